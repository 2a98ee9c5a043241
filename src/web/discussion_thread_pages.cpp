// One discussion or pull request: its thread of events with the forms that act on it
// (comment, close and reopen, publish a draft, rename, edit one's comment, hide a comment,
// merge), and a pull request's "Files changed". Every form posts to the thread's URL with an
// "action" field; a change is followed by a redirect back to the thread, a refusal shows the
// thread again with the reason and the refusal's status.
#include <nlohmann/json.hpp>

#include "hub/discussions.h"
#include "hub/pull_requests.h"
#include "util/encoding.h"
#include "util/time.h"
#include "web/diff_view.h"
#include "web/discussion_view.h"
#include "web/human_format.h"
#include "web/pages.h"

namespace wharf::web {
namespace {

// What a thread page knows about the caller and the discussion.
struct Thread {
  RepoView view;
  hub::DiscussionDetails details;
  bool is_author = false;
  bool may_moderate = false;  // the author or a writer: close, reopen, rename
};

Result<Thread> open_thread(PageCall& c, const PageRoute& r, int64_t num) {
  auto v = WHARF_TRY(open_repo_view(c, repo_route(r)));
  auto details = WHARF_TRY(hub::get_discussion(c.hub, c.who, v.repo.id, num));
  bool is_author = c.who.user && details.discussion.author_id == c.who.user->id;
  bool may_moderate = c.who.session && (is_author || v.can_write);
  return Thread{std::move(v), std::move(details), is_author, may_moderate};
}

std::string json_field(const nlohmann::json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A status change as a sentence's verb. "open" after "closed" reopens; otherwise it is a
// draft pull request made ready for review.
std::string status_words(const std::string& status, const std::string& before) {
  if (status == "closed") return "closed this";
  if (status == "open") return before == "closed" ? "reopened this" : "published this";
  if (status == "merged") return "merged this";
  return "changed the status to " + status;
}

// An edited comment's earlier versions (newest first, the current one included) as text.
mstch::array comment_versions(const hub::CommentView& view) {
  mstch::array out;
  if (!view.edited) return out;
  for (const auto& v : view.history)
    out.push_back(mstch::map{{"author", v.author.empty() ? std::string("deleted user") : v.author},
                             {"date", human_date(v.updated_ms)},
                             {"datetime", format_iso8601(v.updated_ms)},
                             {"text", v.raw}});
  return out;
}

mstch::map comment_event(const PageCall& c, const Thread& t, const storage::DiscussionEventRow& e) {
  auto view = hub::comment_view(e);
  bool own = c.who.user && e.author_id == c.who.user->id && c.who.session;
  return mstch::map{{"is_comment", true},
                    {"html", view.latest.html},
                    {"raw", view.latest.raw},
                    {"hidden", view.hidden},
                    {"edited", view.edited && !view.hidden},
                    {"versions", comment_versions(view)},
                    {"can_edit", own && !view.hidden},
                    {"can_hide", t.view.can_write && c.who.session && !view.hidden}};
}

// `status` is the discussion's status before the event; a status change updates it.
mstch::map event_row(const PageCall& c, const Thread& t, const storage::DiscussionEventRow& e,
                     int64_t now, std::string& status) {
  mstch::map row;
  if (e.type == "comment") {
    row = comment_event(c, t, e);
  } else {
    auto data = nlohmann::json::parse(e.data, nullptr, false);
    if (!data.is_object()) data = nlohmann::json::object();
    if (e.type == "status-change") {
      row["is_status"] = true;
      std::string to = json_field(data, "status");
      row["words"] = status_words(to, status);
      status = to;
    } else if (e.type == "title-change") {
      row["is_title"] = true;
      row["from"] = json_field(data, "from");
      row["to"] = json_field(data, "to");
    } else if (e.type == "commit") {
      std::string oid = json_field(data, "oid");
      row["is_commit"] = true;
      row["subject"] = json_field(data, "subject");
      row["short"] = oid.substr(0, 7);
      row["href"] = c.base + repo_path(t.view.repo.id, "commit", oid);
    }
  }
  row["id"] = e.object_id;
  row["author"] = e.author.empty() ? std::string("deleted user") : e.author;
  row["author_href"] = e.author.empty() ? std::string() : c.base + "/" + e.author;
  row["ago"] = human_ago(e.created_ms, now);
  row["date"] = human_date(e.created_ms);
  row["datetime"] = format_iso8601(e.created_ms);
  return row;
}

std::string branch_of(const std::string& ref) {
  return ref.starts_with("refs/heads/") ? ref.substr(11) : ref;
}

// The pull request's box: its refs, how to push to it, conflicts, the merge button.
void add_pull_request(const PageCall& c, const Thread& t, mstch::map& ctx) {
  const auto& d = t.details.discussion;
  const auto& pr = *t.details.pull_request;
  const auto& id = t.view.repo.id;
  std::string ref = hub::pull_request_ref(d.num);
  bool open = d.status == "open" || d.status == "draft";
  ctx["is_pr"] = true;
  ctx["pr_ref"] = ref;
  ctx["base_branch"] = branch_of(d.base_ref);
  ctx["base_href"] = c.base + repo_path(id, "tree", branch_of(d.base_ref));
  ctx["files_href"] = c.base + discussion_path(id, d.num) + "/files";
  ctx["clone_url"] = public_origin(c) + c.base + repo_path(id);
  ctx["pr_branch"] = "pr/" + std::to_string(d.num);
  ctx["may_push"] = open && c.who.session && (t.is_author || t.view.can_write);
  ctx["pr_tree_href"] = c.base + repo_path(id, "tree", ref);
  ctx["pr_edit_readme_href"] = c.base + repo_path(id, "edit", ref, "README.md");
  ctx["pr_upload_href"] = c.base + repo_path(id, "upload", ref);
  mstch::array conflicts;
  for (const auto& f : pr.conflicts) conflicts.push_back(f);
  ctx["has_conflicts"] = open && !pr.conflicts.empty();
  ctx["conflicts"] = std::move(conflicts);
  // A new draft starts at the base head: nothing yet, rather than "already merged".
  bool at_base = !pr.head.empty() && pr.head == pr.base_head;
  ctx["nothing_yet"] = open && at_base;
  ctx["merged_already"] = open && pr.merged_already && !at_base;
  ctx["unrelated"] = open && pr.unrelated;
  ctx["base_gone"] = open && pr.base_head.empty();
  ctx["can_merge"] =
      open && pr.mergeable && !pr.merged_already && t.view.can_write && c.who.session;
  if (!d.merge_commit.empty()) {
    ctx["merge_commit_short"] = d.merge_commit.substr(0, 7);
    ctx["merge_commit_href"] = c.base + repo_path(id, "commit", d.merge_commit);
  }
}

Result<mstch::map> thread_context(PageCall& c, const Thread& t, std::string_view subtab) {
  const auto& d = t.details.discussion;
  const auto& id = t.view.repo.id;
  auto ctx = repo_context(c, t.view, "community");
  ctx["title"] = d.title + " · #" + std::to_string(d.num) + " · " + id.full();
  ctx["discussion"] = discussion_summary(c, id, d);
  ctx["ago"] = human_ago(d.created_ms, now_ms());
  ctx["action"] = c.base + discussion_path(id, d.num);
  ctx["conversation_href"] = c.base + discussion_path(id, d.num);
  ctx["subtab_conversation"] = subtab == "conversation";
  ctx["subtab_files"] = subtab == "files";
  WHARF_TRY_VOID(add_discuss_rights(c, t.view, ctx, discussion_path(id, d.num)));
  bool merged = d.status == "merged";
  ctx["may_moderate"] = t.may_moderate && !merged;
  ctx["can_close"] = t.may_moderate && (d.status == "open" || d.status == "draft");
  ctx["can_reopen"] = t.may_moderate && d.status == "closed";
  ctx["can_publish"] = t.may_moderate && d.status == "draft";
  ctx["is_draft"] = d.status == "draft";
  if (t.details.pull_request) add_pull_request(c, t, ctx);
  return ctx;
}

template <typename T>
Result<void> done_or(Result<T> r) {
  if (!r) return fail(std::move(r.error()));
  return {};
}

// Applies the posted form to the thread.
Result<void> act(PageCall& c, const hub::RepoId& id, int64_t num) {
  std::string action = c.field("action");
  std::string comment = c.field("comment");
  if (action == "comment") {
    if (comment.find_first_not_of(" \t\r\n") == std::string::npos)
      return fail(errors::bad_request("Write a comment first"));
    return done_or(hub::comment_discussion(c.hub, c.who, id, num, comment));
  }
  if (action == "status")
    return done_or(
        hub::change_discussion_status(c.hub, c.who, id, num, c.field("status"), comment));
  if (action == "title")
    return done_or(hub::rename_discussion(c.hub, c.who, id, num, c.field("title")));
  if (action == "edit")
    return done_or(
        hub::edit_discussion_comment(c.hub, c.who, id, num, c.field("comment_id"), comment));
  if (action == "hide")
    return done_or(hub::hide_discussion_comment(c.hub, c.who, id, num, c.field("comment_id")));
  if (action == "merge") return done_or(hub::merge_pull_request(c.hub, c.who, id, num, comment));
  return fail(errors::bad_request("Unknown discussion action"));
}

}  // namespace

Result<http::Response> discussion_thread_page(PageCall& c, const PageRoute& r, int64_t num) {
  std::string here = discussion_path(r.repo, num);
  if (c.is_post() && !c.who.session)
    return redirect(c, "/login?next=" + percent_encode(here, true));
  std::optional<Error> refused;
  if (c.is_post()) {
    auto done = act(c, r.repo, num);
    if (done) return redirect(c, here);
    if (done.error().status == 500) return fail(done.error());
    refused = done.error();
  }
  auto t = WHARF_TRY(open_thread(c, r, num));
  auto ctx = WHARF_TRY(thread_context(c, t, "conversation"));
  int64_t now = now_ms();
  mstch::array events;
  std::string status;
  for (const auto& e : t.details.events) events.push_back(event_row(c, t, e, now, status));
  ctx["events"] = std::move(events);
  if (refused) {
    // The text the caller wrote is kept.
    if (c.field("action") == "comment" || c.field("action") == "status")
      ctx["comment_value"] = c.field("comment");
    return render_error(c, "discussion", std::move(ctx), *refused);
  }
  return render_page(c, "discussion", std::move(ctx));
}

Result<http::Response> discussion_files_page(PageCall& c, const PageRoute& r, int64_t num) {
  auto t = WHARF_TRY(open_thread(c, r, num));
  if (!t.details.pull_request) return redirect(c, discussion_path(t.view.repo.id, num));
  auto ctx = WHARF_TRY(thread_context(c, t, "files"));
  ctx["title"] = "Files changed · " + t.details.discussion.title + " · #" + std::to_string(num) +
                 " · " + t.view.repo.id.full();
  const auto& pr = *t.details.pull_request;
  if (pr.head.empty()) {
    ctx["no_diff"] = true;
    return render_page(c, "discussion_files", std::move(ctx));
  }
  WHARF_TRY_VOID(add_diff(t.view, pr.diff_base, pr.head, ctx));
  return render_page(c, "discussion_files", std::move(ctx));
}

}  // namespace wharf::web
