// Discussions (spec §12): numbered threads of a repo, with comments and status and title
// changes. Whoever may read the repo reads them; a signed-in reader (hub/access
// Access::Discuss) opens them and comments; writers close, reopen and hide comments; the
// author of a discussion may rename it (so may writers), the author of a comment edit it.
// Pull requests are discussions too; what is theirs alone (refs, commits, merge) lives in
// hub/pull_requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/repos.h"

namespace wharf::hub {

inline constexpr int64_t kDiscussionPageSize = 50;       // the Hub's page
inline constexpr std::size_t kMaxDiscussionTitle = 200;  // characters
inline constexpr std::size_t kMaxCommentBytes = 64 << 10;
inline constexpr std::string_view kHiddenComment = "This comment has been hidden";

struct DiscussionQuery {
  std::string type = "all";    // "all" | "discussion" | "pull_request"
  std::string status = "all";  // "all" | "open" | "closed"
  std::string author;          // user name; "" for anyone
  int64_t page = 0;            // 0-based, pages of kDiscussionPageSize
};

struct DiscussionPage {
  RepoId repo;                                      // canonical spelling
  std::vector<storage::DiscussionRow> discussions;  // newest first
  int64_t count = 0;                                // of all pages
  int64_t start = 0;                                // index of the first item
};

// A pull request as it stands in git (hub/pull_requests computes it).
struct PullRequestState {
  std::string head;                    // refs/pr/<num>'s commit ("" when the ref is gone)
  std::string base_head;               // its base branch's head ("" when the branch is gone)
  std::string diff_base;               // the commit its diff starts from ("": the empty tree)
  std::vector<std::string> conflicts;  // open PRs: files that conflict with the base, sorted
  std::string merged_tree;             // open PRs that need a merge commit, without conflicts:
                                       // the merged tree (already written)
  bool merged_already = false;         // open PRs: every commit is already in the base
  bool unrelated = false;              // open PRs: no history in common with the base
  bool mergeable = false;              // open (not draft), with something to merge, no conflicts
};

struct DiscussionDetails {
  RepoId repo;
  storage::DiscussionRow discussion;
  std::vector<storage::DiscussionEventRow> events;  // oldest first
  std::optional<PullRequestState> pull_request;     // pull requests only
  std::string diff;                                 // asked for: the PR's patch text
  bool diff_truncated = false;                      // cut at kMaxPullRequestDiffBytes
};

// A change made to a discussion: the discussion afterwards and the event recorded.
struct DiscussionChange {
  RepoId repo;
  storage::DiscussionRow discussion;
  storage::DiscussionEventRow event;
};

// One version of a comment as shown: the text, its safe HTML (util/markdown), who wrote it.
struct CommentText {
  std::string raw;
  std::string html;
  std::string author;  // "" when deleted
  int64_t updated_ms = 0;
};

// A comment as everyone sees it: a hidden comment shows kHiddenComment and no history.
struct CommentView {
  bool edited = false;
  bool hidden = false;
  CommentText latest;
  std::vector<CommentText> history;  // every version, newest first (html left empty)
};
CommentView comment_view(const storage::DiscussionEventRow& event);

// Errors (every function): those of open_repo; 400 for a bad filter, title, comment or
// status; 413 for a comment over kMaxCommentBytes; 404 NotFound for a missing discussion or
// comment; 401 anonymous, 403 without the right.
Result<DiscussionPage> list_discussions(Hub& hub, const Identity& who, const RepoId& id,
                                        const DiscussionQuery& query);
// Records a pull request's new commits first (hub/pull_requests); `with_diff` fills `diff`.
Result<DiscussionDetails> get_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                         int64_t num, bool with_diff = false);

struct NewDiscussion {
  std::string title;
  std::string description;  // becomes the first comment when not blank
  bool pull_request = false;
};
// The title is trimmed. A pull request opened this way is a draft whose ref starts at the
// default branch's head. Returns the new discussion with its events.
Result<DiscussionDetails> create_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            const NewDiscussion& params);
// Comments are accepted on closed discussions too.
Result<DiscussionChange> comment_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            int64_t num, const std::string& comment);
Result<DiscussionChange> rename_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                           int64_t num, const std::string& title);
// `status` "open" or "closed", other than the current one (a draft pull request may be
// opened, a merged one changes no more), by the discussion's author or a writer; a non-blank
// `comment` is recorded before the status change. The event is the status change.
Result<DiscussionChange> change_discussion_status(Hub& hub, const Identity& who, const RepoId& id,
                                                  int64_t num, const std::string& status,
                                                  const std::string& comment);
// `comment_id` is the event id. A hidden comment cannot be edited.
Result<DiscussionChange> edit_discussion_comment(Hub& hub, const Identity& who, const RepoId& id,
                                                 int64_t num, const std::string& comment_id,
                                                 const std::string& content);
// Hiding twice changes nothing.
Result<DiscussionChange> hide_discussion_comment(Hub& hub, const Identity& who, const RepoId& id,
                                                 int64_t num, const std::string& comment_id);

// Shared with hub/pull_requests.
// The trimmed title. 400 when blank, too long or holding control characters.
Result<std::string> checked_discussion_title(std::string_view title);
// 413 for a comment over kMaxCommentBytes.
Result<void> check_comment_size(const std::string& text);
// 403 when the repo's owner turned discussions off.
Result<void> check_discussions_enabled(Hub& hub, const RepoHandle& repo);
// The discussion `num` of an opened repo. 404 when there is none.
Result<storage::DiscussionRow> discussion_of(Hub& hub, const RepoHandle& repo, int64_t num);
// A new event by `who` (signed in) with a fresh id.
storage::NewDiscussionEvent new_discussion_event(const Identity& who, std::string type,
                                                 std::string data, std::string comment = "");
// "<type>/<ns>/<name>", the audit log's target.
std::string discussion_audit_target(const storage::RepoRow& row);

}  // namespace wharf::hub
