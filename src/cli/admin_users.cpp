// `wharf admin user …`: create, list, disable, enable, delete, set-password, tier.
#include <cstdio>
#include <iostream>

#include "cli/admin.h"
#include "hub/accounts.h"

namespace wharf::cli {
namespace {

constexpr const char* kUsage =
    "usage: wharf admin user create NAME [--admin] [--email EMAIL] [--password-stdin]\n"
    "       wharf admin user list\n"
    "       wharf admin user disable|enable|delete NAME\n"
    "       wharf admin user set-password NAME   (the password is the first line of stdin)\n"
    "       wharf admin user tier NAME free|pro|enterprise\n";

// The first line of stdin, without its line ending; nullopt at end of input.
std::optional<std::string> read_password_line() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int done(const Result<void>& r, const char* what, const std::string& name) {
  if (!r) return admin_report(r.error());
  std::printf("%s %s\n", what, name.c_str());
  return 0;
}

int list_users(hub::Hub& hub) {
  auto users = hub.db().list_users();
  if (!users) return admin_report(users.error());
  std::printf("%-32s %-5s %-8s %-8s %s\n", "NAME", "KIND", "OPERATOR", "DISABLED", "TIER");
  for (const auto& u : *users)
    std::printf("%-32s %-5s %-8s %-8s %s\n", u.name.c_str(), u.is_org ? "org" : "user", u.is_admin ? "yes" : "no",
                u.disabled ? "yes" : "no", u.tier.c_str());
  return 0;
}

int create_user(Environment& env, const std::string& name) {
  std::optional<std::string> password;
  if (env.config.admin_password_stdin) {
    password = read_password_line();
    if (!password) return admin_report(errors::bad_request("No password on stdin"));
  }
  auto user = hub::create_account(*env.hub, name, env.config.admin_flag, env.config.admin_email, password);
  if (!user) return admin_report(user.error());
  std::printf("created user %s%s\n", user->name.c_str(), user->is_admin ? " (operator)" : "");
  return 0;
}

}  // namespace

int run_admin_users(Environment& env, const std::vector<std::string>& w) {
  if (w.empty() || w[0] != "user") return -1;
  auto& hub = *env.hub;
  if (admin_words_are(w, {"user", "create"}) && w.size() == 3) return create_user(env, w[2]);
  if (admin_words_are(w, {"user", "list"}) && w.size() == 2) return list_users(hub);
  if (admin_words_are(w, {"user", "disable"}) && w.size() == 3) return done(hub::disable_user(hub, w[2]), "disabled", w[2]);
  if (admin_words_are(w, {"user", "enable"}) && w.size() == 3) return done(hub::enable_user(hub, w[2]), "enabled", w[2]);
  if (admin_words_are(w, {"user", "delete"}) && w.size() == 3) return done(hub::delete_user(hub, w[2]), "deleted", w[2]);
  if (admin_words_are(w, {"user", "set-password"}) && w.size() == 3) {
    auto password = read_password_line();
    if (!password) return admin_report(errors::bad_request("No password on stdin"));
    return done(hub::set_password(hub, w[2], *password), "set the password of", w[2]);
  }
  if (admin_words_are(w, {"user", "tier"}) && w.size() == 4)
    return done(hub::set_tier(hub, w[2], w[3]), ("set the tier to " + w[3] + " for").c_str(), w[2]);
  std::fputs(kUsage, stderr);
  return 2;
}

}  // namespace wharf::cli
