// git over HTTP (ARCHITECTURE decision 1): the commands that serve fetches and pushes with
// git's own upload-pack and receive-pack, the receive hook that applies the push rules, and
// what follows a push.
#pragma once

#include <string>
#include <vector>

#include "hub/repos.h"

namespace wharf::hub {

enum class GitService { UploadPack, ReceivePack };

// "git-upload-pack" / "git-receive-pack".
std::string_view service_name(GitService s);

struct GitCommand {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value added to the server's environment
};

// Who pushes: the hook lets writers push branches, tags and pull request refs, and other
// contributors (Access::Discuss) only the refs of their own pull requests.
struct Pusher {
  int64_t user_id = 0;
  bool writes = false;
};
// The pusher of a receive-pack run by `who` on `repo` (opened with Access::Discuss at least).
Pusher pusher_of(Hub& hub, const Identity& who, const RepoHandle& repo);

// The stateless-rpc command for `service` on `repo`; `advertise` for the info/refs answer.
// `protocol` is the client's Git-Protocol header ("" when absent; only safe characters kept).
// receive-pack runs with wharf's pre-receive hook and object checks (receive.fsckObjects);
// the hook learns `pusher` from WHARF_HOOK_PUSHER ("<user id>:<1 when writer>").
GitCommand git_service_command(const Hub& hub, const RepoHandle& repo, GitService service, bool advertise,
                               const std::string& protocol, const Pusher& pusher = {});

// Writes <data>/hooks/pre-receive, which runs this binary's `wharf hook pre-receive`.
Result<void> install_git_hooks(const Hub& hub);

// After a push: re-indexes the default branch, records the commits pushed to pull requests
// (as `pusher_id`'s), and lets git maintain the repo.
void after_push(Hub& hub, const RepoId& id, int64_t pusher_id);

// Runs git's own maintenance (`git maintenance run --auto`, tasks loose-objects and gc) for the
// repo in the background after every 25th ref update or once a
// minute has passed, one at a time per repo, never blocking readers or writers (git's gc is
// safe beside both).
void maintain_repo(const std::string& repo_path);
// Waits until no background maintenance runs and starts no more (for an orderly shutdown).
void stop_maintenance();

}  // namespace wharf::hub
