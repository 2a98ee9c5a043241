// Commits through the API: the NDJSON body of spec §10.4 applied as one git commit.
#pragma once

#include <string>

#include "hub/repos.h"
#include "util/byte_source.h"

namespace wharf::hub {

// Regular (non-LFS) files larger than this are refused; clients send them through LFS.
inline constexpr uint64_t kMaxRegularFileSize = 10ULL << 20;

// The full ref that a write to `revision` moves: an existing branch ("main",
// "refs/heads/main") or pull request ref ("refs/pr/3"). Errors: RevisionNotFound.
Result<std::string> writable_ref(const storage::GitRepo& git, const std::string& revision);

struct CommitResult {
  std::string commit;        // the new commit sha
  std::string ref;           // the full ref it was written to
  int64_t pull_request = 0;  // create_pr: the number of the pull request it opened
};

// Reads NDJSON lines from `body`, writes their blobs as they arrive (memory stays bounded
// by one line), then commits on `revision` and moves its ref with compare-and-swap.
// With `create_pr`, `revision` is a branch that does not move: the commit is built on
// `parentCommit` (any commit of the repo) or the branch head, and a pull request into that
// branch is opened on it (hub/pull_requests). A commit to refs/pr/<num> is recorded as the
// PR's `commit` event.
// Requires the access of open_repo_for_commit (checked by the caller).
// Errors: BadRequest for malformed lines, bad paths, over-large regular files and unknown
// LFS objects (nothing changes); EntryNotFound for deleting a missing file; 412 when
// `parentCommit` is not the head, or when the ref moved during the commit.
Result<CommitResult> commit_ndjson(Hub& hub, RepoHandle& repo, const Identity& who,
                                   const std::string& revision, ByteSource& body,
                                   bool create_pr = false);

// The git author of commits made by `who`.
struct CommitAuthor {
  std::string name;
  std::string email;
};
CommitAuthor author_of(const Identity& who);

// Runs the index update that must follow any move of the default branch.
void after_ref_update(Hub& hub, RepoHandle& repo, const std::string& ref);

}  // namespace wharf::hub
