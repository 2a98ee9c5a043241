// `wharf hook pre-receive`: run by git receive-pack for a push over HTTP. The server passes
// the data dir and the repo in the environment; git passes the ref updates on stdin and the
// quarantined objects in GIT_* variables. A refusal is printed for the pusher and exits 1.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "cli/setup.h"
#include "hub/push_rules.h"

namespace wharf::cli {
namespace {

int refuse(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace

int run_hook(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "pre-receive") return refuse("usage: wharf hook pre-receive");
  Environment env;
  if (int code = open_environment({}, env); code >= 0) return code;
  const char* repo_env = std::getenv("WHARF_HOOK_REPO");  // "<type>:<ns>/<name>"
  std::string spec = repo_env ? repo_env : "";
  auto colon = spec.find(':'), slash = spec.find('/');
  if (colon == std::string::npos || slash == std::string::npos || slash < colon)
    return refuse("this repository is not served by wharf (WHARF_HOOK_REPO is missing)");
  auto row = env.hub->db().find_repo(spec.substr(0, colon), spec.substr(colon + 1, slash - colon - 1),
                                     spec.substr(slash + 1));
  if (!row || !*row) return refuse("unknown repository " + spec);
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto updates = hub::parse_ref_updates(input);
  if (!updates) return refuse(updates.error().message);
  auto git = storage::GitRepo::open_from_env();
  if (!git) return refuse(git.error().message);
  // "<user id>:<1 when the pusher writes>", set by the server for this push.
  const char* pusher_env = std::getenv("WHARF_HOOK_PUSHER");
  std::string pusher = pusher_env ? pusher_env : "";
  auto sep = pusher.find(':');
  if (sep == std::string::npos || sep == 0 || pusher.find_first_not_of("0123456789") != sep)
    return refuse("this push did not come through wharf (WHARF_HOOK_PUSHER is missing)");
  int64_t pusher_id = std::stoll(pusher.substr(0, sep));
  bool writes = pusher.substr(sep + 1) == "1";
  if (auto ok = hub::check_push(*env.hub, *git, **row, *updates, pusher_id, writes); !ok)
    return refuse(ok.error().message);
  return 0;
}

}  // namespace wharf::cli
