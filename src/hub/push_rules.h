// The rules a `git push` must follow, checked by the pre-receive hook before git accepts it
// (issue: git over HTTP). The same limits as the API's commits: big and binary files go
// through LFS, LFS pointers name objects uploaded to this repo.
#pragma once

#include <string>
#include <vector>

#include "hub/hub.h"

namespace wharf::hub {

struct RefUpdate {
  std::string old_sha;  // 40 zeros when the ref is created
  std::string new_sha;  // 40 zeros when the ref is deleted
  std::string ref;      // full name
};

// Parses the hook's stdin ("<old> <new> <ref>" lines). BadRequest on a malformed line.
Result<std::vector<RefUpdate>> parse_ref_updates(std::string_view text);

// Checks `updates` against the repo's rules, with `git` opened as the hook sees it: writers
// move branches and tags; pull request refs (refs/pr/<num>) take pushes from writers and the
// PR's author while it is open (hub/pull_requests). On success, records every LFS object the
// push points at as committed in the repo.
// Errors: 400 with a message for the pusher (git shows it as "remote: ...").
Result<void> check_push(Hub& hub, storage::GitRepo& git, const storage::RepoRow& repo,
                        const std::vector<RefUpdate>& updates, int64_t pusher_id, bool pusher_writes);

}  // namespace wharf::hub
