// Who is calling: resolved once per request from its credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hub/hub.h"

namespace wharf::hub {

struct Identity {
  std::optional<storage::UserRow> user;    // nullopt: anonymous
  std::optional<storage::TokenRow> token;  // the token used, if any (with its scopes)
  std::optional<storage::SessionRow> session;  // the web session used, if any
  std::string remote_address;  // the client's IP, for the audit log and rate limits
  bool authenticated() const { return user.has_value(); }
};

// The web session cookie (HttpOnly, SameSite=Lax; Secure behind https).
inline constexpr std::string_view kSessionCookie = "wharf_session";

// Resolves an Authorization header value ("Bearer hf_…", or "Basic …" whose password is a
// token, as git sends it). An absent or empty header is anonymous.
// Errors: 401 "Invalid credentials in Authorization header" for a token that is unknown,
// malformed, expired or revoked, or whose user is disabled.
Result<Identity> authenticate(Hub& hub, std::optional<std::string_view> authorization);

// Resolves the secret of a web session cookie. An unknown, expired or tampered secret, or a
// disabled user, is anonymous (the web answers with its log-in page, not an error).
Result<Identity> authenticate_session(Hub& hub, std::string_view cookie_secret);

// Creates a user (the operator's `wharf admin user create`). Conflict when the name is taken.
Result<storage::UserRow> create_user(Hub& hub, const std::string& name, bool is_admin);

// Creates an access token for `user_name` with role "read" or "write" and returns the
// secret ("hf_" + 34 characters), which is shown once and stored only as a hash.
Result<std::string> create_token(Hub& hub, const std::string& user_name, const std::string& role,
                                 const std::string& display_name);

}  // namespace wharf::hub
