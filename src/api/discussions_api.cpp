// Discussions (spec §12), all under /api/{type}s/{id}/discussions:
//   GET  .../discussions?p=&type=&status=&author=    {discussions, count, start}
//   POST .../discussions {title, description, pullRequest}    {num, ...}
//   GET  .../discussions/{num}                       the item with its events
//   POST .../discussions/{num}/comment {comment}     {newMessage}
//   POST .../discussions/{num}/title {title}         {newTitle}
//   POST .../discussions/{num}/status {status, comment?}       {newStatus}
//   POST .../discussions/{num}/comment/{id}/edit {content}     {updatedComment}
//   POST .../discussions/{num}/comment/{id}/hide                {updatedComment}
//   POST .../discussions/{num}/merge {comment?} or no body         {newStatus}
// Details of a pull request add changes {base, mergeCommitId?}, filesWithConflicts and, with
// ?diff=1, the diff. The rules live in hub/discussions and hub/pull_requests.
#include <string_view>

#include "api/accounts_api.h"
#include "hub/discussions.h"
#include "hub/pull_requests.h"
#include "util/time.h"

namespace wharf::api {
namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // a 64 KiB comment escaped in JSON fits
constexpr int64_t kMaxPage = 100000000;

nlohmann::json author_json(const std::string& name) { return {{"name", name}}; }

// The item of the list and the head of the details. A deleted author is left out: the
// clients read that as "deleted".
nlohmann::json discussion_json(const hub::RepoId& repo, const storage::DiscussionRow& d) {
  nlohmann::json j = {
      {"num", d.num},
      {"title", d.title},
      {"status", d.status},
      {"createdAt", format_iso8601(d.created_ms)},
      {"isPullRequest", d.is_pull_request},
      {"repo", {{"name", repo.full()}, {"type", std::string(hub::type_name(repo.type))}}}};
  if (!d.author.empty()) j["author"] = author_json(d.author);
  return j;
}

nlohmann::json text_json(const hub::CommentText& t, bool with_html) {
  nlohmann::json j = {{"raw", t.raw}, {"updatedAt", format_iso8601(t.updated_ms)}};
  if (with_html) j["html"] = t.html;
  if (!t.author.empty()) j["author"] = author_json(t.author);
  return j;
}

nlohmann::json event_json(const storage::DiscussionEventRow& e) {
  nlohmann::json j = {
      {"id", e.object_id}, {"type", e.type}, {"createdAt", format_iso8601(e.created_ms)}};
  if (!e.author.empty()) j["author"] = author_json(e.author);
  if (e.type == "comment") {
    auto v = hub::comment_view(e);
    nlohmann::json history = nlohmann::json::array();
    for (const auto& h : v.history) history.push_back(text_json(h, false));
    j["data"] = {{"edited", v.edited},
                 {"hidden", v.hidden},
                 {"latest", text_json(v.latest, true)},
                 {"history", std::move(history)}};
  } else {
    auto data = nlohmann::json::parse(e.data, nullptr, false);
    j["data"] = data.is_object() ? data : nlohmann::json::object();
  }
  return j;
}

// A discussion number: 1 to 999999999. 400 otherwise.
Result<int64_t> discussion_num(std::string_view s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string_view::npos ||
      s == "0" || s[0] == '0')
    return fail(errors::bad_request("Invalid discussion number: " + std::string(s)));
  return std::stoll(std::string(s));
}

Result<int64_t> page_param(const Call& c) {
  auto v = c.query.get("p");
  if (!v || v->empty()) return 0;
  if (v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos)
    return fail(errors::bad_request("p must be a page number from 0"));
  int64_t p = std::stoll(*v);
  if (p > kMaxPage) return fail(errors::bad_request("p is too large"));
  return p;
}

Result<http::Response> list(Call& c) {
  hub::DiscussionQuery q;
  q.page = WHARF_TRY(page_param(c));
  q.type = c.query.get("type").value_or("all");
  q.status = c.query.get("status").value_or("all");
  q.author = c.query.get("author").value_or("");
  auto page = WHARF_TRY(hub::list_discussions(c.hub, c.who, c.route.repo, q));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : page.discussions) items.push_back(discussion_json(page.repo, d));
  return json_response(
      {{"discussions", std::move(items)}, {"count", page.count}, {"start", page.start}});
}

// The item with its events: the details, and the answer to a creation (whose `num` is what
// the clients read).
http::Response details_response(const hub::DiscussionDetails& d) {
  auto j = discussion_json(d.repo, d.discussion);
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : d.events) events.push_back(event_json(e));
  j["events"] = std::move(events);
  if (const auto& pr = d.pull_request) {
    nlohmann::json changes = {{"base", d.discussion.base_ref}};
    if (!d.discussion.merge_commit.empty()) changes["mergeCommitId"] = d.discussion.merge_commit;
    j["changes"] = std::move(changes);
    j["filesWithConflicts"] = pr->conflicts;
    if (!d.diff.empty() || d.diff_truncated) j["diff"] = d.diff;
    if (d.diff_truncated) j["diffTruncated"] = true;
  }
  return json_response(j);
}

Result<http::Response> create(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, kMaxBody));
  hub::NewDiscussion params;
  params.title = WHARF_TRY(string_field(body, "title", true));
  params.description = WHARF_TRY(string_field(body, "description", false));
  if (auto it = body.find("pullRequest"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean())
      return fail(errors::bad_request("Field \"pullRequest\" must be a boolean"));
    params.pull_request = it->get<bool>();
  }
  return details_response(WHARF_TRY(hub::create_discussion(c.hub, c.who, c.route.repo, params)));
}

Result<http::Response> details(Call& c, int64_t num) {
  return details_response(
      WHARF_TRY(hub::get_discussion(c.hub, c.who, c.route.repo, num, c.query.flag("diff"))));
}

// The body of a merge: {"comment"} or nothing at all (huggingface_hub sends none without a
// comment; read_json reads an empty body as {}).
Result<std::string> merge_comment(Call& c) {
  auto body = WHARF_TRY(read_json(c.req, kMaxBody));
  return string_field(body, "comment", false);
}

http::Response change_response(const char* key, const hub::DiscussionChange& change) {
  return json_response({{key, event_json(change.event)}});
}

// .../discussions/{num}/{action...}, POST.
Result<http::Response> act(Call& c, int64_t num, const std::vector<std::string_view>& rest) {
  const auto& repo = c.route.repo;
  if (rest.size() == 1 && rest[0] == "comment") {
    auto body = WHARF_TRY(read_json(c.req, kMaxBody));
    auto comment = WHARF_TRY(string_field(body, "comment", true));
    return change_response("newMessage",
                           WHARF_TRY(hub::comment_discussion(c.hub, c.who, repo, num, comment)));
  }
  if (rest.size() == 1 && rest[0] == "title") {
    auto body = WHARF_TRY(read_json(c.req, kMaxBody));
    auto title = WHARF_TRY(string_field(body, "title", true));
    return change_response("newTitle",
                           WHARF_TRY(hub::rename_discussion(c.hub, c.who, repo, num, title)));
  }
  if (rest.size() == 1 && rest[0] == "status") {
    auto body = WHARF_TRY(read_json(c.req, kMaxBody));
    auto status = WHARF_TRY(string_field(body, "status", true));
    auto comment = WHARF_TRY(string_field(body, "comment", false));
    return change_response("newStatus", WHARF_TRY(hub::change_discussion_status(
                                            c.hub, c.who, repo, num, status, comment)));
  }
  if (rest.size() == 1 && rest[0] == "merge") {
    auto comment = WHARF_TRY(merge_comment(c));
    return change_response("newStatus",
                           WHARF_TRY(hub::merge_pull_request(c.hub, c.who, repo, num, comment)));
  }
  if (rest.size() == 3 && rest[0] == "comment" && rest[2] == "edit") {
    auto body = WHARF_TRY(read_json(c.req, kMaxBody));
    auto content = WHARF_TRY(string_field(body, "content", true));
    return change_response("updatedComment",
                           WHARF_TRY(hub::edit_discussion_comment(c.hub, c.who, repo, num,
                                                                  std::string(rest[1]), content)));
  }
  if (rest.size() == 3 && rest[0] == "comment" && rest[2] == "hide") {
    return change_response("updatedComment", WHARF_TRY(hub::hide_discussion_comment(
                                                 c.hub, c.who, repo, num, std::string(rest[1]))));
  }
  return unknown_route();
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

Result<http::Response> handle_discussions(Call& c) {
  const auto& m = c.req.method;
  bool read = m == "GET" || m == "HEAD";
  auto s = split_path(c.route.path);
  if (s.empty()) {
    if (read) return list(c);
    return m == "POST" ? create(c) : method_not_allowed_here();
  }
  int64_t num = WHARF_TRY(discussion_num(s[0]));
  if (s.size() == 1) return read ? details(c, num) : method_not_allowed_here();
  if (m != "POST") return method_not_allowed_here();
  return act(c, num, std::vector<std::string_view>(s.begin() + 1, s.end()));
}

}  // namespace wharf::api
