// User accounts as people and the operator manage them: sign-up, log-in (throttled),
// web sessions, password change; and the operator's disable, enable, delete, set-password
// and tier. Tokens are in hub/tokens.h, organizations elsewhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/identity.h"

namespace wharf::hub {

// Who may sign up. The operator turns sign-up off (`--signup closed`) or restricts it to
// email domains (`--signup-email-domains a.org,b.com`).
struct SignupPolicy {
  bool open = true;
  std::vector<std::string> email_domains;  // lower case; empty: any domain
};

inline constexpr int64_t kSessionLifetimeMs = 30LL * 24 * 3600 * 1000;
// Failed log-ins allowed per user name and per IP within the window before 429.
inline constexpr int kMaxLoginFailures = 5;
inline constexpr int64_t kLoginWindowMs = 15LL * 60 * 1000;

// Creates a user with a password. Errors: 403 when sign-up is closed or the email's domain
// is not allowed; 400 for a bad name, email or password; 409 when the name (of a user or an
// organization) or the email is taken. Records user.signup.
Result<storage::UserRow> sign_up(Hub& hub, const SignupPolicy& policy, const std::string& name,
                                 const std::string& email, const std::string& password, const std::string& ip);

// The user whose name or email is `name_or_email` and whose password is `password`.
// Takes the same time whether the user exists or not. Errors: 429 TooManyRequests (with
// Retry-After) after kMaxLoginFailures failures for that name or from that IP within
// kLoginWindowMs, checked before the password; 401 for a wrong name or password; 403 for a
// disabled user. Records auth.login or auth.login_failed (never the password).
// Failure counts live in this process's memory.
Result<storage::UserRow> log_in(Hub& hub, const std::string& name_or_email, const std::string& password,
                                const std::string& ip);

struct OpenedSession {
  std::string secret;        // the cookie's value (64 hex); only its sha256 is stored
  storage::SessionRow row;
};

// A new web session of `user`, valid for kSessionLifetimeMs, with its own CSRF token.
Result<OpenedSession> open_session(Hub& hub, const storage::UserRow& user);
// Ends the session whose cookie secret is `secret` (nothing when there is none).
Result<void> close_session(Hub& hub, std::string_view secret);

// Changes the password of the signed-in user after checking `current` (failures count as
// failed log-ins). Ends the user's other sessions. Records user.password_change.
Result<void> change_password(Hub& hub, const Identity& who, const std::string& current,
                             const std::string& replacement);

// --- the operator (`wharf admin user …`); each records its action with actor "operator" ---
// A user with an optional email and password, checked as at sign-up (whatever the sign-up
// policy). Conflict when the name or the email is taken.
Result<storage::UserRow> create_account(Hub& hub, const std::string& name, bool is_admin, const std::string& email,
                                        const std::optional<std::string>& password);
// The others: NotFound for an unknown name, BadRequest for an organization.
// set_password also ends the user's sessions.
Result<void> set_password(Hub& hub, const std::string& name, const std::string& password);
// Also ends the user's sessions; tokens stay but authenticate() refuses a disabled user.
Result<void> disable_user(Hub& hub, const std::string& name);
Result<void> enable_user(Hub& hub, const std::string& name);
// Conflict when the user still owns repositories or is the last operator.
Result<void> delete_user(Hub& hub, const std::string& name);
// `tier`: free, pro or enterprise.
Result<void> set_tier(Hub& hub, const std::string& name, const std::string& tier);

}  // namespace wharf::hub
