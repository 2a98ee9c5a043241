#include "hub/discussions.h"

#include <nlohmann/json.hpp>

#include "hub/audit.h"
#include "hub/pull_requests.h"
#include "util/crypto.h"
#include "util/markdown.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t characters(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

Result<std::string> checked_discussion_title(std::string_view title) {
  auto t = trim(title);
  if (t.empty()) return fail(errors::bad_request("The title must not be empty"));
  if (characters(t) > kMaxDiscussionTitle)
    return fail(errors::bad_request("The title must be at most " +
                                    std::to_string(kMaxDiscussionTitle) + " characters"));
  for (char c : t)
    if (static_cast<unsigned char>(c) < 0x20)
      return fail(errors::bad_request("The title must not contain control characters"));
  return std::string(t);
}

Result<void> check_comment_size(const std::string& text) {
  if (text.size() > kMaxCommentBytes)
    return fail(errors::payload_too_large("A comment must be at most " +
                                          std::to_string(kMaxCommentBytes >> 10) + " KiB"));
  return {};
}

Result<void> check_discussions_enabled(Hub& hub, const RepoHandle& repo) {
  if (WHARF_TRY(hub.db().discussions_disabled(repo.row.id)))
    return fail(errors::forbidden("Discussions are disabled for " + repo.id.full()));
  return {};
}

std::string discussion_audit_target(const storage::RepoRow& row) {
  return row.type + "/" + row.ns + "/" + row.name;
}

storage::NewDiscussionEvent new_discussion_event(const Identity& who, std::string type,
                                                 std::string data, std::string comment) {
  return {random_hex(24), std::move(type), who.user->id, std::move(data), std::move(comment)};
}

Result<storage::DiscussionRow> discussion_of(Hub& hub, const RepoHandle& repo, int64_t num) {
  auto d = WHARF_TRY(hub.db().find_discussion(repo.row.id, num));
  if (!d) return fail(errors::not_found("Discussion #" + std::to_string(num) + " not found"));
  return std::move(*d);
}

namespace {

// 400 for a blank comment, 413 for a huge one.
Result<void> check_comment(const std::string& text) {
  WHARF_TRY_VOID(check_comment_size(text));
  if (trim(text).empty()) return fail(errors::bad_request("The comment must not be empty"));
  return {};
}

// The comment `comment_id` of a discussion. 404 when there is none (or it is no comment).
Result<storage::DiscussionEventRow> find_comment(Hub& hub, const storage::DiscussionRow& d,
                                                 const std::string& comment_id) {
  auto e = WHARF_TRY(hub.db().find_discussion_event(d.id, comment_id));
  if (!e || e->type != "comment")
    return fail(errors::not_found("Comment " + comment_id + " not found"));
  return std::move(*e);
}

// Records `events` (the last is the one returned) with the title or status changes.
Result<DiscussionChange> record(Hub& hub, const RepoHandle& repo, const storage::DiscussionRow& d,
                                std::vector<storage::NewDiscussionEvent> events,
                                const std::optional<std::string>& title = std::nullopt,
                                const std::optional<std::string>& status = std::nullopt) {
  WHARF_TRY_VOID(hub.db().add_discussion_events(d.id, events, title, status, now_ms()));
  auto after = WHARF_TRY(discussion_of(hub, repo, d.num));
  auto event = WHARF_TRY(hub.db().find_discussion_event(d.id, events.back().object_id));
  if (!event) return fail(errors::internal("discussion event vanished after its insert"));
  return DiscussionChange{repo.id, std::move(after), std::move(*event)};
}

// Reloads a comment after a change.
Result<DiscussionChange> reload(Hub& hub, const RepoHandle& repo, const storage::DiscussionRow& d,
                                const std::string& comment_id) {
  auto event = WHARF_TRY(find_comment(hub, d, comment_id));
  return DiscussionChange{repo.id, d, std::move(event)};
}

}  // namespace

CommentView comment_view(const storage::DiscussionEventRow& event) {
  CommentView v;
  v.hidden = event.hidden;
  v.edited = event.versions.size() > 1;
  if (event.versions.empty()) return v;
  const auto& last = event.versions.back();
  v.latest.author = last.author;
  v.latest.updated_ms = last.created_ms;
  if (event.hidden) {
    v.latest.raw = std::string(kHiddenComment);
    v.latest.html = render_markdown(kHiddenComment);
    return v;
  }
  v.latest.raw = last.raw;
  v.latest.html = render_markdown(last.raw);
  for (auto it = event.versions.rbegin(); it != event.versions.rend(); ++it)
    v.history.push_back({it->raw, "", it->author, it->created_ms});
  return v;
}

Result<DiscussionPage> list_discussions(Hub& hub, const Identity& who, const RepoId& id,
                                        const DiscussionQuery& query) {
  storage::DiscussionFilter filter;
  if (query.type == "discussion")
    filter.is_pull_request = 0;
  else if (query.type == "pull_request")
    filter.is_pull_request = 1;
  else if (query.type != "all" && !query.type.empty())
    return fail(errors::bad_request("type must be one of all, discussion, pull_request"));
  // Drafts are open pull requests; merged ones are closed.
  if (query.status == "open")
    filter.statuses = {"open", "draft"};
  else if (query.status == "closed")
    filter.statuses = {"closed", "merged"};
  else if (query.status != "all" && !query.status.empty())
    return fail(errors::bad_request("status must be one of all, open, closed"));
  if (query.page < 0) return fail(errors::bad_request("p must not be negative"));
  filter.author = query.author;
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Read));
  DiscussionPage page;
  page.repo = repo.id;
  page.start = query.page * kDiscussionPageSize;
  page.count = WHARF_TRY(hub.db().count_discussions(repo.row.id, filter));
  page.discussions =
      WHARF_TRY(hub.db().list_discussions(repo.row.id, filter, page.start, kDiscussionPageSize));
  return page;
}

Result<DiscussionDetails> get_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                         int64_t num, bool with_diff) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Read));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  DiscussionDetails details;
  details.repo = repo.id;
  if (d.is_pull_request) {
    WHARF_TRY_VOID(record_pull_request_commits(hub, repo, num, 0));
    d = WHARF_TRY(discussion_of(hub, repo, num));
    auto state = WHARF_TRY(pull_request_state(repo, d));
    if (with_diff && !state.head.empty()) {
      auto patch = WHARF_TRY(repo.git.patch_text(state.diff_base, state.head, kMaxPullRequestDiffBytes));
      details.diff = std::move(patch.text);
      details.diff_truncated = patch.truncated;
    }
    details.pull_request = std::move(state);
  }
  details.events = WHARF_TRY(hub.db().list_discussion_events(d.id));
  details.discussion = std::move(d);
  return details;
}

Result<DiscussionDetails> create_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            const NewDiscussion& params) {
  // The repo first: to anonymous callers a private repo stays RepoNotFound.
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to open a discussion"));
  WHARF_TRY_VOID(check_discussions_enabled(hub, repo));
  auto title = WHARF_TRY(checked_discussion_title(params.title));
  WHARF_TRY_VOID(check_comment_size(params.description));
  if (params.pull_request) {
    // A draft whose ref starts at the default branch: commits to refs/pr/<num> fill it.
    std::string base_ref = "refs/heads/" + repo.git.default_branch();
    auto head = repo.git.ref_target(base_ref);
    if (!head)
      return fail(errors::bad_request("The repository has no commit to open a pull request on"));
    int64_t num = WHARF_TRY(open_pull_request(
        hub, repo, who, {base_ref, *head, title, params.description, "draft", false}));
    return get_discussion(hub, who, id, num);
  }
  storage::DiscussionRow row;
  row.repo_id = repo.row.id;
  row.title = title;
  row.status = "open";
  row.author_id = who.user->id;
  row.created_ms = now_ms();
  std::vector<storage::NewDiscussionEvent> events;
  if (!trim(params.description).empty())
    events.push_back(new_discussion_event(who, "comment", "", params.description));
  auto created = WHARF_TRY(hub.db().insert_discussion(row, events));
  audit(hub, who, repo.row.ns, "discussion.create", discussion_audit_target(repo.row),
        {{"num", created.num}, {"title", created.title}});
  return get_discussion(hub, who, id, created.num);
}

Result<DiscussionChange> comment_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                            int64_t num, const std::string& comment) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to comment"));
  WHARF_TRY_VOID(check_discussions_enabled(hub, repo));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  WHARF_TRY_VOID(check_comment(comment));
  return record(hub, repo, d, {new_discussion_event(who, "comment", "", comment)});
}

Result<DiscussionChange> rename_discussion(Hub& hub, const Identity& who, const RepoId& id,
                                           int64_t num, const std::string& title) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to rename a discussion"));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  if (d.author_id != who.user->id)
    WHARF_TRY_VOID(check_repo_access(hub, who, repo.row, Access::Write));
  auto to = WHARF_TRY(checked_discussion_title(title));
  nlohmann::json data = {{"from", d.title}, {"to", to}};
  return record(hub, repo, d, {new_discussion_event(who, "title-change", data.dump())}, to);
}

Result<DiscussionChange> change_discussion_status(Hub& hub, const Identity& who, const RepoId& id,
                                                  int64_t num, const std::string& status,
                                                  const std::string& comment) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to change a discussion's status"));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  if (d.author_id != who.user->id)
    WHARF_TRY_VOID(check_repo_access(hub, who, repo.row, Access::Write));
  if (status != "open" && status != "closed")
    return fail(errors::bad_request("status must be \"open\" or \"closed\""));
  if (d.status == "merged")
    return fail(errors::bad_request("Pull request #" + std::to_string(num) +
                                    " is merged; its status cannot change"));
  if (d.status == status)
    return fail(
        errors::bad_request("Discussion #" + std::to_string(num) + " is already " + status));
  WHARF_TRY_VOID(check_comment_size(comment));
  std::vector<storage::NewDiscussionEvent> events;
  if (!trim(comment).empty()) events.push_back(new_discussion_event(who, "comment", "", comment));
  events.push_back(new_discussion_event(who, "status-change", nlohmann::json{{"status", status}}.dump()));
  auto change = WHARF_TRY(record(hub, repo, d, std::move(events), std::nullopt, status));
  audit(hub, who, repo.row.ns, "discussion.status", discussion_audit_target(repo.row),
        {{"num", num}, {"status", status}});
  return change;
}

Result<DiscussionChange> edit_discussion_comment(Hub& hub, const Identity& who, const RepoId& id,
                                                 int64_t num, const std::string& comment_id,
                                                 const std::string& content) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Discuss));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to edit a comment"));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  auto comment = WHARF_TRY(find_comment(hub, d, comment_id));
  if (comment.author_id != who.user->id)
    return fail(errors::forbidden("Only the author of a comment may edit it"));
  if (comment.hidden) return fail(errors::bad_request("A hidden comment cannot be edited"));
  WHARF_TRY_VOID(check_comment(content));
  WHARF_TRY_VOID(hub.db().add_comment_version(comment.id, content, who.user->id, now_ms()));
  return reload(hub, repo, d, comment_id);
}

Result<DiscussionChange> hide_discussion_comment(Hub& hub, const Identity& who, const RepoId& id,
                                                 int64_t num, const std::string& comment_id) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Write));
  auto d = WHARF_TRY(discussion_of(hub, repo, num));
  auto comment = WHARF_TRY(find_comment(hub, d, comment_id));
  if (!comment.hidden) {
    WHARF_TRY_VOID(hub.db().hide_discussion_event(comment.id));
    audit(hub, who, repo.row.ns, "discussion.hide_comment", discussion_audit_target(repo.row),
          {{"num", num}, {"comment", comment_id}, {"author", comment.author}});
  }
  return reload(hub, repo, d, comment_id);
}

}  // namespace wharf::hub
