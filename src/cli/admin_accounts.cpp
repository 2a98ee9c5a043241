// `wharf admin token list|revoke`, `org create|members|member set|member remove` and `audit`
// (issue 4). The operator's changes are recorded in the audit log as actor "operator".
#include <charconv>
#include <cstdio>

#include "cli/admin.h"
#include "hub/audit.h"
#include "hub/audit_log.h"
#include "hub/orgs.h"
#include "hub/tokens.h"
#include "util/time.h"

namespace wharf::cli {
namespace {

int report(const Error& e) { return admin_report(e); }
bool is(const std::vector<std::string>& words, std::initializer_list<const char*> expected) {
  return admin_words_are(words, expected);
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

int token_list(hub::Hub& hub, const Config& config) {
  if (config.admin_user.empty()) return report(errors::bad_request("--user is required"));
  auto tokens = hub::list_user_tokens(hub, config.admin_user);
  if (!tokens) return report(tokens.error());
  for (const auto& t : *tokens) {
    std::string scopes;
    for (const auto& s : t.scopes) {
      std::string perms;
      for (const auto& p : s.permissions) perms += (perms.empty() ? "" : ",") + p;
      scopes += (scopes.empty() ? "" : " ") + s.entity_type + ":" + s.entity + "=" + perms;
    }
    std::printf("%lld\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(t.id), t.name.c_str(), t.role.c_str(),
                format_iso8601(t.created_ms).c_str(),
                t.expires_ms ? format_iso8601(t.expires_ms).c_str() : "never", or_dash(scopes).c_str());
  }
  return 0;
}

int token_revoke(hub::Hub& hub, const Config& config, const std::string& id_text) {
  if (config.admin_user.empty()) return report(errors::bad_request("--user is required"));
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size())
    return report(errors::bad_request("Invalid token id \"" + id_text + "\""));
  if (auto r = hub::revoke_user_token(hub, config.admin_user, id); !r) return report(r.error());
  std::printf("revoked token %lld of %s\n", static_cast<long long>(id), config.admin_user.c_str());
  return 0;
}

int org_create(hub::Hub& hub, const Config& config, const std::string& name) {
  if (config.admin_user.empty()) return report(errors::bad_request("--user OWNER is required"));
  auto owner = hub::find_account_user(hub, config.admin_user);
  if (!owner) return report(owner.error());
  auto org = hub::create_org(hub, hub::operator_identity(), *owner, name, "");
  if (!org) return report(org.error());
  std::printf("created organization %s (admin: %s)\n", org->name.c_str(), owner->name.c_str());
  return 0;
}

int org_members(hub::Hub& hub, const std::string& name) {
  auto org = hub::find_org(hub, name);
  if (!org) return report(org.error());
  auto members = hub.db().list_members(org->id);
  if (!members) return report(members.error());
  for (const auto& m : *members) std::printf("%s\t%s\n", m.user.name.c_str(), m.role.c_str());
  return 0;
}

int org_member_set(hub::Hub& hub, const Config& config, const std::string& org, const std::string& user) {
  auto r = hub::set_member(hub, hub::operator_identity(), org, user, config.admin_role, hub::MemberChange::Set);
  if (!r) return report(r.error());
  std::printf("%s is now %s of %s\n", user.c_str(), config.admin_role.c_str(), org.c_str());
  return 0;
}

int org_member_remove(hub::Hub& hub, const std::string& org, const std::string& user) {
  if (auto r = hub::remove_member(hub, hub::operator_identity(), org, user); !r) return report(r.error());
  std::printf("removed %s from %s\n", user.c_str(), org.c_str());
  return 0;
}

// One line per entry, newest first: time, actor, ip, namespace, action, target, detail.
int audit(hub::Hub& hub, const Config& config) {
  auto page = hub::read_audit_log_as_operator(hub, config.admin_namespace, 0, config.admin_limit);
  if (!page) return report(page.error());
  for (const auto& row : page->entries)
    std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", format_iso8601(row.at_ms).c_str(), or_dash(row.actor).c_str(),
                or_dash(row.ip).c_str(), or_dash(row.ns).c_str(), row.action.c_str(), or_dash(row.target).c_str(),
                row.detail.c_str());
  return 0;
}

}  // namespace

int run_admin_accounts(Environment& env, const std::vector<std::string>& w) {
  auto& hub = *env.hub;
  const auto& config = env.config;
  if (is(w, {"token", "list"}) && w.size() == 2) return token_list(hub, config);
  if (is(w, {"token", "revoke"}) && w.size() == 3) return token_revoke(hub, config, w[2]);
  if (is(w, {"org", "create"}) && w.size() == 3) return org_create(hub, config, w[2]);
  if (is(w, {"org", "members"}) && w.size() == 3) return org_members(hub, w[2]);
  if (is(w, {"org", "member", "set"}) && w.size() == 5) return org_member_set(hub, config, w[3], w[4]);
  if (is(w, {"org", "member", "remove"}) && w.size() == 5) return org_member_remove(hub, w[3], w[4]);
  if (is(w, {"audit"}) && w.size() == 1) return audit(hub, config);
  if (is(w, {"token"}) || is(w, {"org"}) || is(w, {"audit"})) {
    if (is(w, {"token", "create"})) return -1;  // admin.cpp
    std::fputs("usage: wharf admin token list --user U | token revoke --user U ID | org create NAME --user OWNER |\n"
               "       org members ORG | org member set ORG USER --role R | org member remove ORG USER |\n"
               "       audit [--namespace NS] [--limit N]  [--data-dir DIR]\n", stderr);
    return 2;
  }
  return -1;
}

}  // namespace wharf::cli
