// Discussions (spec §12): numbered threads of a repo, with comments and status and title
// changes. Whoever may read the repo reads them; a signed-in reader (hub/access
// Access::Discuss) opens them and comments; writers close, reopen and hide comments; the
// author of a discussion may rename it (so may writers), the author of a comment edit it.
// Pull requests (git refs, merge) come later: creating one is refused for now.
#pragma once

#include <cstdint>
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

struct DiscussionDetails {
  RepoId repo;
  storage::DiscussionRow discussion;
  std::vector<storage::DiscussionEventRow> events;  // oldest first
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
Result<DiscussionDetails> get_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                         int64_t num);

struct NewDiscussion {
  std::string title;
  std::string description;  // becomes the first comment when not blank
  bool pull_request = false;
};
// The title is trimmed. Pull requests: 501 until they are implemented. Returns the new
// discussion with its events.
Result<DiscussionDetails> create_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            const NewDiscussion& params);
// Comments are accepted on closed discussions too.
Result<DiscussionChange> comment_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            int64_t num, const std::string& comment);
Result<DiscussionChange> rename_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                           int64_t num, const std::string& title);
// `status` "open" or "closed", other than the current one; a non-blank `comment` is recorded
// before the status change. The event is the status change.
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

}  // namespace wharf::hub
