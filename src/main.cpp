#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {
constexpr const char* kUsage =
    "usage: wharf serve [options]           run the hub server\n"
    "       wharf admin user create NAME [--admin]\n"
    "       wharf admin token create --user NAME [--role read|write] [--name LABEL]\n"
    "       wharf admin repair               re-index repositories from git\n"
    "       wharf admin gc                   collect uncommitted LFS uploads\n"
    "Run `wharf serve --help` for the options (data dir, port, public URL, ...).\n";
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string cmd = args.front();
  args.erase(args.begin());
  if (cmd == "serve") return wharf::cli::run_serve(args);
  if (cmd == "admin") return wharf::cli::run_admin(args);
  if (cmd == "hook") return wharf::cli::run_hook(args);  // run by git, not by people
  std::fputs(kUsage, cmd == "help" || cmd == "--help" || cmd == "-h" ? stdout : stderr);
  return cmd == "help" || cmd == "--help" || cmd == "-h" ? 0 : 2;
}
