#include "hub/accounts.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "hub/audit.h"
#include "hub/passwords.h"
#include "util/crypto.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// Failed log-in attempts per key ("name:<user>", "ip:<address>") within the window. An
// attempt is counted when it starts, so that parallel guesses cannot overtake the count,
// and forgiven when it succeeds.
class LoginThrottle {
 public:
  // 0 and the attempt recorded under every key, or the seconds to wait when some key is
  // over the limit (nothing recorded then).
  int64_t try_attempt(const std::vector<std::string>& keys, int64_t now) {
    std::lock_guard lock(mu_);
    int64_t wait_ms = 0;
    for (const auto& key : keys) {
      auto& times = expire(key, now);
      if (static_cast<int>(times.size()) >= kMaxLoginFailures)
        wait_ms = std::max(wait_ms, times.front() + kLoginWindowMs - now);
    }
    if (wait_ms > 0) return (wait_ms + 999) / 1000;
    for (const auto& key : keys) failures_[key].push_back(now);
    if (failures_.size() > kMaxKeys) prune(now);
    return 0;
  }

  void forgive(const std::vector<std::string>& keys, int64_t at) {
    std::lock_guard lock(mu_);
    for (const auto& key : keys) {
      auto it = failures_.find(key);
      if (it == failures_.end()) continue;
      auto pos = std::find(it->second.begin(), it->second.end(), at);
      if (pos != it->second.end()) it->second.erase(pos);
      if (it->second.empty()) failures_.erase(it);
    }
  }

 private:
  static constexpr std::size_t kMaxKeys = 10000;

  std::deque<int64_t>& expire(const std::string& key, int64_t now) {
    auto& times = failures_[key];
    while (!times.empty() && times.front() + kLoginWindowMs <= now) times.pop_front();
    return times;
  }
  void prune(int64_t now) {
    std::erase_if(failures_, [now](const auto& kv) { return kv.second.back() + kLoginWindowMs <= now; });
  }

  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

LoginThrottle& throttle() {
  static LoginThrottle instance;
  return instance;
}

// A valid hash of a password nobody knows: verified when the user does not exist, so that
// the answer takes as long as for a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = hash_password(random_hex(32)).value_or("");
  return hash;
}

Error too_many_attempts(int64_t retry_after_s) {
  return Error{429, "TooManyRequests",
               "Too many failed log-in attempts; try again in " + std::to_string(retry_after_s) + " seconds",
               {{"Retry-After", std::to_string(retry_after_s)}}, {}};
}

Error bad_credentials() { return errors::unauthorized("Invalid user name, email or password"); }

std::optional<std::string> invalid_email(std::string_view email) {
  auto at = email.find('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at > 64 ||
      email.find('@', at + 1) != std::string_view::npos)
    return "Invalid email address";
  for (char ch : email.substr(0, at))
    if (static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f ||
        std::string_view("<>()[]\\,;:\"").find(ch) != std::string_view::npos)
      return "Invalid email address";
  std::string_view domain = email.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.front() == '-' || domain.find("..") != std::string_view::npos)
    return "Invalid email address";
  for (char ch : domain)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-') return "Invalid email address";
  return std::nullopt;
}

// The user (not organization) named `name`.
Result<storage::UserRow> find_person(Hub& hub, const std::string& name) {
  auto user = WHARF_TRY(hub.db().find_user(name));
  if (!user) return fail(errors::not_found("No such user: " + name));
  if (user->is_org) return fail(errors::bad_request(name + " is an organization, not a user"));
  return *user;
}

void operator_audit(Hub& hub, const storage::UserRow& user, std::string action,
                    const nlohmann::json& detail = nlohmann::json::object()) {
  audit_as(hub, "operator", "", user.name, std::move(action), user.name, detail);
}

}  // namespace

Result<storage::UserRow> sign_up(Hub& hub, const SignupPolicy& policy, const std::string& name,
                                 const std::string& email, const std::string& password, const std::string& ip) {
  if (!policy.open) return fail(errors::forbidden("Sign-up is closed on this server; ask its operator for an account"));
  if (auto why = invalid_name_segment(name)) return fail(errors::bad_request("Invalid user name: it " + *why));
  if (is_reserved_namespace(name)) return fail(errors::bad_request("This user name is reserved"));
  if (auto why = invalid_email(email)) return fail(errors::bad_request(*why));
  std::string domain = lower(email.substr(email.find('@') + 1));
  if (!policy.email_domains.empty() &&
      std::find(policy.email_domains.begin(), policy.email_domains.end(), domain) == policy.email_domains.end())
    return fail(errors::forbidden("Sign-up is limited to email addresses of some domains; " + domain + " is not one"));
  if (auto why = invalid_password(password)) return fail(errors::bad_request(*why));
  if (WHARF_TRY(hub.db().find_user_by_email(email)))
    return fail(errors::conflict("This email address is used by another account"));
  auto hash = WHARF_TRY(hash_password(password));
  auto user = WHARF_TRY(hub.db().create_user(name, name, email, false, now_ms()));
  WHARF_TRY_VOID(hub.db().set_password_hash(user.id, hash));
  user.password_hash = hash;
  audit_as(hub, user.name, ip, user.name, "user.signup", user.name);
  return user;
}

Result<storage::UserRow> log_in(Hub& hub, const std::string& name_or_email, const std::string& password,
                                const std::string& ip) {
  std::string tried = name_or_email.substr(0, 256);
  auto failed = [&](std::string reason) {
    audit_as(hub, tried, ip, "", "auth.login_failed", tried, {{"reason", std::move(reason)}});
  };
  std::optional<storage::UserRow> user;
  if (!tried.empty() && tried.size() <= 254)
    user = WHARF_TRY(tried.find('@') != std::string::npos ? hub.db().find_user_by_email(tried)
                                                          : hub.db().find_user(tried));
  if (user && user->is_org) user.reset();
  std::vector<std::string> keys = {"name:" + lower(user ? user->name : tried), "ip:" + ip};
  int64_t started = now_ms();
  if (int64_t wait_s = throttle().try_attempt(keys, started)) {
    failed("throttled");
    return fail(too_many_attempts(wait_s));
  }
  bool has_password = user && !user->password_hash.empty();
  bool ok = verify_password(has_password ? user->password_hash : dummy_hash(), password) && has_password;
  if (!ok) {
    failed("bad_credentials");
    return fail(bad_credentials());
  }
  throttle().forgive(keys, started);
  if (user->disabled) {
    failed("disabled");
    return fail(errors::forbidden("This account is disabled"));
  }
  audit_as(hub, user->name, ip, user->name, "auth.login", user->name);
  return *user;
}

Result<OpenedSession> open_session(Hub& hub, const storage::UserRow& user) {
  int64_t now = now_ms();
  WHARF_TRY_VOID(hub.db().delete_expired_sessions(now));
  OpenedSession s;
  s.secret = random_hex(64);
  s.row = {sha256_hex(s.secret), user.id, random_hex(64), now, now + kSessionLifetimeMs};
  WHARF_TRY_VOID(hub.db().create_session(s.row));
  return s;
}

Result<void> close_session(Hub& hub, std::string_view secret) {
  if (secret.empty()) return {};
  return hub.db().delete_session(sha256_hex(secret));
}

Result<void> change_password(Hub& hub, const Identity& who, const std::string& current,
                             const std::string& replacement) {
  if (!who.user) return fail(errors::unauthorized("Log in to change your password"));
  auto user = WHARF_TRY(find_person(hub, who.user->name));
  std::vector<std::string> keys = {"name:" + lower(user.name), "ip:" + who.remote_address};
  int64_t started = now_ms();
  if (int64_t wait_s = throttle().try_attempt(keys, started)) return fail(too_many_attempts(wait_s));
  if (!verify_password(user.password_hash, current)) {
    audit(hub, who, user.name, "auth.login_failed", user.name, {{"reason", "password_change"}});
    return fail(errors::forbidden("The current password is not right"));
  }
  throttle().forgive(keys, started);
  if (auto why = invalid_password(replacement)) return fail(errors::bad_request(*why));
  WHARF_TRY_VOID(hub.db().set_password_hash(user.id, WHARF_TRY(hash_password(replacement))));
  if (who.session) WHARF_TRY_VOID(hub.db().delete_other_sessions(user.id, who.session->hash));
  else WHARF_TRY_VOID(hub.db().delete_sessions_of(user.id));
  audit(hub, who, user.name, "user.password_change", user.name);
  return {};
}

Result<storage::UserRow> create_account(Hub& hub, const std::string& name, bool is_admin, const std::string& email,
                                        const std::optional<std::string>& password) {
  if (!email.empty()) {
    if (auto why = invalid_email(email)) return fail(errors::bad_request(*why));
    if (WHARF_TRY(hub.db().find_user_by_email(email)))
      return fail(errors::conflict("This email address is used by another account"));
  }
  if (password)
    if (auto why = invalid_password(*password)) return fail(errors::bad_request(*why));
  auto user = WHARF_TRY(create_user(hub, name, is_admin));
  if (!email.empty()) WHARF_TRY_VOID(hub.db().set_user_profile(user.id, user.fullname, email));
  user.email = email;
  if (password) {
    user.password_hash = WHARF_TRY(hash_password(*password));
    WHARF_TRY_VOID(hub.db().set_password_hash(user.id, user.password_hash));
  }
  operator_audit(hub, user, "user.create", {{"operator", is_admin}});
  return user;
}

Result<void> set_password(Hub& hub, const std::string& name, const std::string& password) {
  auto user = WHARF_TRY(find_person(hub, name));
  if (auto why = invalid_password(password)) return fail(errors::bad_request(*why));
  WHARF_TRY_VOID(hub.db().set_password_hash(user.id, WHARF_TRY(hash_password(password))));
  WHARF_TRY_VOID(hub.db().delete_sessions_of(user.id));
  operator_audit(hub, user, "user.password_set");
  return {};
}

Result<void> disable_user(Hub& hub, const std::string& name) {
  auto user = WHARF_TRY(find_person(hub, name));
  WHARF_TRY_VOID(hub.db().set_user_disabled(user.id, true));
  WHARF_TRY_VOID(hub.db().delete_sessions_of(user.id));
  operator_audit(hub, user, "user.disable");
  return {};
}

Result<void> enable_user(Hub& hub, const std::string& name) {
  auto user = WHARF_TRY(find_person(hub, name));
  WHARF_TRY_VOID(hub.db().set_user_disabled(user.id, false));
  operator_audit(hub, user, "user.enable");
  return {};
}

Result<void> delete_user(Hub& hub, const std::string& name) {
  auto user = WHARF_TRY(find_person(hub, name));
  auto repos = WHARF_TRY(hub.db().count_repos_in(user.name));
  if (repos.models + repos.datasets + repos.spaces > 0)
    return fail(errors::conflict(user.name + " still owns repositories; delete or move them first"));
  if (user.is_admin) {
    auto users = WHARF_TRY(hub.db().list_users());
    auto operators = std::count_if(users.begin(), users.end(), [](const auto& u) { return u.is_admin && !u.is_org; });
    if (operators <= 1) return fail(errors::conflict("Cannot delete the last operator"));
  }
  WHARF_TRY_VOID(hub.db().delete_user(user.id));
  operator_audit(hub, user, "user.delete");
  return {};
}

Result<void> set_tier(Hub& hub, const std::string& name, const std::string& tier) {
  if (tier != "free" && tier != "pro" && tier != "enterprise")
    return fail(errors::bad_request("The tier must be free, pro or enterprise"));
  auto user = WHARF_TRY(find_person(hub, name));
  WHARF_TRY_VOID(hub.db().set_user_tier(user.id, tier));
  operator_audit(hub, user, "user.tier", {{"tier", tier}});
  return {};
}

}  // namespace wharf::hub
