// Pull requests (spec §12, §10.4, §17.1): discussions whose changes live on the repo's own
// ref refs/pr/<num>. One is opened by a commit with create_pr=1 (the ref points at the new
// commit, built on parentCommit or the base branch's head) or through the discussions API
// (a draft whose ref starts at the base head). Commits reach refs/pr/<num> through the
// commit API or `git push`, and each new commit becomes a `commit` event. A writer merges it
// into its base branch: fast-forward when the base has not moved, otherwise a merge commit;
// conflicts refuse the merge and name the files.
//
// Who may do what: whoever may open a discussion opens pull requests and comments; the
// author of a PR and the repo's writers commit and push to its ref; writers merge; the
// author or a writer closes and reopens. The owner can turn a repo's discussions off.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/discussions.h"

namespace wharf::hub {

inline constexpr std::size_t kMaxPullRequestDiffBytes = 4u << 20;  // the `diff` text of details
inline constexpr std::size_t kMaxCommitEvents = 100;               // recorded per update

std::string pull_request_ref(int64_t num);                      // "refs/pr/<num>"
std::optional<int64_t> pull_request_num(std::string_view ref);  // of "refs/pr/<num>"

// How the pull request stands in git (PullRequestState is in hub/discussions.h).
// Errors: 500 for git failures only; a missing ref or branch shows as "".
Result<PullRequestState> pull_request_state(RepoHandle& repo, const storage::DiscussionRow& pr);

// The repo opened for a commit or preupload to `revision`: with create_pr, the right to open
// a pull request (discussions on, Access::Discuss); to refs/pr/<num>, the PR's author or a
// writer, and the PR open or draft; otherwise Access::Write.
// Errors: those of open_repo; 403 when discussions are off or the caller may not commit to
// the PR; 404 RevisionNotFound for a missing PR; 400 for a closed or merged one.
Result<RepoHandle> open_repo_for_commit(Hub& hub, const Identity& who, const RepoId& id,
                                        const std::string& revision, bool create_pr);

// Opens a pull request whose ref refs/pr/<num> is `commit` (already written): for a
// create_pr commit, that commit (recorded as the first `commit` event) with the commit's
// summary as title and its description as first comment; for the discussions API, a draft
// at the base head. The title is checked as a discussion title. Returns the new number.
struct NewPullRequest {
  std::string base_ref;  // "refs/heads/<branch>"
  std::string commit;
  std::string title;
  std::string description;
  std::string status = "open";  // or "draft"
  bool commit_event = true;     // record `commit` as a `commit` event
};
Result<int64_t> open_pull_request(Hub& hub, RepoHandle& repo, const Identity& who,
                                  const NewPullRequest& params);

// Records the commits that reached refs/pr/<num> since the last record as `commit` events,
// by `actor_id` (0: the user named as the commit's author, when there is one). Safe to call
// at any time and from several threads: each commit is recorded once.
Result<void> record_pull_request_commits(Hub& hub, RepoHandle& repo, int64_t num, int64_t actor_id);
// The same for every open or draft pull request of the repo (after a push). Logs failures.
void record_pushed_commits(Hub& hub, RepoHandle& repo, int64_t actor_id);

// Whether a push may move refs/pr/<num> from `old_sha` to `new_sha` (40 zeros: create or
// delete, both refused): the PR exists and is open or draft, and the pusher is its author
// or a writer. Errors: 400 with the message git shows the pusher.
Result<void> check_pull_request_push(Hub& hub, const storage::RepoRow& repo, const std::string& ref,
                                     const std::string& old_sha, const std::string& new_sha,
                                     int64_t pusher_id, bool pusher_writes);

// Merges pull request `num` into its base branch (writers). A non-blank `comment` is
// recorded first. Errors: 400 for a discussion, a draft (publish it first, as on the Hub), a
// closed or merged PR, or nothing to merge;
// 409 MergeConflict naming the files; 412 when the base branch moved during the merge (try
// again); 404 when the base branch is gone.
Result<DiscussionChange> merge_pull_request(Hub& hub, const Identity& who, const RepoId& id,
                                            int64_t num, const std::string& comment);

}  // namespace wharf::hub
