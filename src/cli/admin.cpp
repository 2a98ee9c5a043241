// `wharf admin …`: operator tasks on a data dir.
#include <cstdio>

#include "cli/admin.h"
#include "cli/commands.h"
#include "hub/identity.h"
#include "hub/indexer.h"
#include "hub/repos.h"
#include "hub/uploads.h"

namespace wharf::cli {

int admin_report(const Error& e) {
  std::fprintf(stderr, "wharf admin: %s\n", e.message.c_str());
  return 1;
}

bool admin_words_are(const std::vector<std::string>& words, std::initializer_list<const char*> expected) {
  if (words.size() < expected.size()) return false;
  std::size_t i = 0;
  for (const char* w : expected)
    if (words[i++] != w) return false;
  return true;
}

namespace {
int report(const Error& e) { return admin_report(e); }
bool is(const std::vector<std::string>& words, std::initializer_list<const char*> expected) {
  return admin_words_are(words, expected);
}
}  // namespace

int run_admin(const std::vector<std::string>& args) {
  if (int code = run_admin_catalog(args); code >= 0) return code;
  Environment env;
  if (int code = open_environment(args, env); code >= 0) return code;
  auto& hub = *env.hub;
  const auto& w = env.rest;
  for (auto family : {run_admin_users, run_admin_accounts})
    if (int code = family(env, w); code >= 0) return code;
  if (is(w, {"token", "create"}) && w.size() == 2) {
    if (env.config.admin_user.empty()) return report(errors::bad_request("--user is required"));
    auto token = hub::create_token(hub, env.config.admin_user, env.config.admin_role, env.config.admin_token_name);
    if (!token) return report(token.error());
    std::printf("%s\n", token->c_str());
    return 0;
  }
  if (is(w, {"repair"}) && w.size() == 1) {
    hub::repair_repo_dirs(hub);
    std::printf("re-indexed %zu repositories\n", hub::reindex_stale(hub));
    return 0;
  }
  if (is(w, {"gc"}) && w.size() == 1) {
    std::printf("removed %zu uncommitted LFS objects\n", hub::collect_lfs_garbage(hub));
    return 0;
  }
  std::fputs("usage: wharf admin user create NAME [--admin] | token create --user NAME [--role read|write] "
             "[--name LABEL] | repair | gc | generate-catalog [--models N] [--datasets N] [--spaces N] "
             "[--seed S]  [--data-dir DIR]\n", stderr);
  return 2;
}

}  // namespace wharf::cli
