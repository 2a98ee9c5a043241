#include "hub/identity.h"

#include "util/crypto.h"
#include "util/encoding.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// The secret carried by the header, or nullopt when the scheme is unknown.
std::optional<std::string> token_of(std::string_view header) {
  header = trim(header);
  if (starts_with_ci(header, "bearer ")) return std::string(trim(header.substr(7)));
  if (starts_with_ci(header, "basic ")) {
    auto decoded = base64_decode(trim(header.substr(6)));
    if (!decoded) return std::nullopt;
    auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return decoded->substr(colon + 1);  // the user name is ignored (spec §17.1)
  }
  return std::nullopt;
}

}  // namespace

Result<Identity> authenticate(Hub& hub, std::optional<std::string_view> authorization) {
  Identity id;
  if (!authorization || trim(*authorization).empty()) return id;
  auto secret = token_of(*authorization);
  if (!secret || secret->size() < 8 || secret->size() > 256) return fail(errors::invalid_credentials());
  // Tokens are looked up by their hash: the lookup is an index probe on a digest, so the
  // time taken does not depend on how much of a guess matches a real token.
  auto token = WHARF_TRY(hub.db().find_token_by_hash(sha256_hex(*secret)));
  if (!token) return fail(errors::invalid_credentials());
  if (token->expires_ms != 0 && token->expires_ms <= now_ms()) return fail(errors::invalid_credentials());
  auto user = WHARF_TRY(hub.db().find_user_by_id(token->user_id));
  if (!user || user->disabled || user->is_org) return fail(errors::invalid_credentials());
  id.user = std::move(*user);
  id.token = std::move(*token);
  return id;
}

Result<Identity> authenticate_session(Hub& hub, std::string_view cookie_secret) {
  Identity id;
  if (cookie_secret.size() < 16 || cookie_secret.size() > 256) return id;
  auto session = WHARF_TRY(hub.db().find_session(sha256_hex(cookie_secret)));
  if (!session || session->expires_ms <= now_ms()) return id;
  auto user = WHARF_TRY(hub.db().find_user_by_id(session->user_id));
  if (!user || user->disabled || user->is_org) return id;
  id.user = std::move(*user);
  id.session = std::move(*session);
  return id;
}

Result<storage::UserRow> create_user(Hub& hub, const std::string& name, bool is_admin) {
  if (auto why = invalid_name_segment(name)) return fail(errors::bad_request("Invalid user name: " + *why));
  if (is_reserved_namespace(name)) return fail(errors::bad_request("The name '" + name + "' is reserved"));
  return hub.db().create_user(name, name, "", is_admin, now_ms());
}

Result<std::string> create_token(Hub& hub, const std::string& user_name, const std::string& role,
                                 const std::string& display_name) {
  if (role != "read" && role != "write") return fail(errors::bad_request("Token role must be read or write"));
  auto user = WHARF_TRY(hub.db().find_user(user_name));
  if (!user) return fail(errors::not_found("No such user: " + user_name));
  std::string secret = "hf_" + random_alnum(34);
  WHARF_TRY(hub.db().create_token(user->id, display_name, role, sha256_hex(secret), now_ms()));
  return secret;
}

}  // namespace wharf::hub
