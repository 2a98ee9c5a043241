// A repo's Community tab: the list of its discussions and pull requests with filters and
// pages, and the forms that open a discussion or a (draft) pull request. The thread pages
// are in discussion_thread_pages.cpp. Who may do what is hub/discussions' rule; the pages
// only hide the buttons that would be refused.
#include <charconv>

#include "hub/discussions.h"
#include "util/encoding.h"
#include "util/time.h"
#include "web/discussion_view.h"
#include "web/human_format.h"
#include "web/pages.h"
#include "web/repo_view.h"

namespace wharf::web {
namespace {

// The filters of the list as the query spells them; anything unknown is the default.
struct ListFilter {
  std::string type = "all";     // "all" | "discussion" | "pull_request"
  std::string status = "open";  // "open" | "closed" | "all"
  int64_t page = 0;
};

ListFilter list_filter(const PageCall& c) {
  auto q = QueryParams::parse(c.req.query);
  ListFilter f;
  auto type = q.get("type").value_or("");
  if (type == "discussion" || type == "pull_request") f.type = type;
  auto status = q.get("status").value_or("");
  if (status == "closed" || status == "all") f.status = status;
  auto p = q.get("p").value_or("");
  int64_t n = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
  if (ec == std::errc() && end == p.data() + p.size() && n > 0 && n < (int64_t{1} << 30))
    f.page = n;
  return f;
}

std::string list_href(const PageCall& c, const hub::RepoId& id, const ListFilter& f) {
  std::string href = c.base + repo_path(id) + "/discussions?type=" + f.type + "&status=" + f.status;
  if (f.page > 0) href += "&p=" + std::to_string(f.page);
  return href;
}

// The filter links of one kind: {label, href, current}.
mstch::array filter_links(const PageCall& c, const hub::RepoId& id, const ListFilter& now,
                          std::initializer_list<std::pair<const char*, const char*>> choices,
                          std::string ListFilter::*field) {
  mstch::array out;
  for (auto [value, label] : choices) {
    ListFilter f = now;
    f.*field = value;
    f.page = 0;
    out.push_back(mstch::map{{"label", std::string(label)},
                             {"href", list_href(c, id, f)},
                             {"current", now.*field == value}});
  }
  return out;
}

mstch::map discussion_row(const PageCall& c, const hub::RepoId& id, const storage::DiscussionRow& d,
                          int64_t now) {
  auto row = discussion_summary(c, id, d);
  row["ago"] = human_ago(d.created_ms, now);
  row["date"] = human_date(d.created_ms);
  row["datetime"] = format_iso8601(d.created_ms);
  return row;
}

Result<http::Response> get_only() {
  return fail(Error{
      405, "MethodNotAllowed", "Method not allowed on this page", {{"Allow", "GET, HEAD"}}, {}});
}

Result<http::Response> list_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, repo_route(r)));
  const auto& id = v.repo.id;
  auto f = list_filter(c);
  auto page = WHARF_TRY(hub::list_discussions(c.hub, c.who, id, {f.type, f.status, "", f.page}));
  int64_t now = now_ms();
  mstch::array rows;
  for (const auto& d : page.discussions) rows.push_back(discussion_row(c, id, d, now));

  auto ctx = repo_context(c, v, "community");
  ctx["title"] = "Discussions · " + id.full();
  WHARF_TRY_VOID(add_discuss_rights(c, v, ctx, repo_path(id) + "/discussions"));
  ctx["discussions"] = std::move(rows);
  ctx["has_discussions"] = !page.discussions.empty();
  ctx["type_links"] = filter_links(
      c, id, f, {{"all", "All"}, {"discussion", "Discussions"}, {"pull_request", "Pull requests"}},
      &ListFilter::type);
  ctx["status_links"] = filter_links(
      c, id, f, {{"open", "Open"}, {"closed", "Closed"}, {"all", "All"}}, &ListFilter::status);
  ctx["new_discussion_href"] = c.base + repo_path(id) + "/discussions/new";
  ctx["new_pr_href"] = c.base + repo_path(id) + "/discussions/new?pull_request=1";
  ctx["count"] = std::to_string(page.count) + (f.status == "all" ? "" : " " + f.status);
  int64_t pages = (page.count + hub::kDiscussionPageSize - 1) / hub::kDiscussionPageSize;
  if (f.page > 0) {
    ListFilter prev = f;
    prev.page = f.page - 1;
    ctx["prev_href"] = list_href(c, id, prev);
  }
  if (f.page + 1 < pages) {
    ListFilter next = f;
    next.page = f.page + 1;
    ctx["next_href"] = list_href(c, id, next);
  }
  ctx["paged"] = pages > 1;
  ctx["page"] = std::to_string(f.page + 1);
  ctx["pages"] = std::to_string(std::max<int64_t>(pages, 1));
  return render_page(c, "discussions", std::move(ctx));
}

// The form of a new discussion or (?pull_request=1) a new draft pull request.
Result<http::Response> new_page(PageCall& c, const PageRoute& r) {
  bool pr = c.is_post() ? c.field("pull_request") == "1"
                        : QueryParams::parse(c.req.query).get("pull_request").value_or("") == "1";
  std::string here = repo_path(r.repo) + "/discussions/new" + (pr ? "?pull_request=1" : "");
  if (!c.who.session) return redirect(c, "/login?next=" + percent_encode(here, true));
  auto v = WHARF_TRY(open_repo_view(c, repo_route(r)));
  const auto& id = v.repo.id;
  auto ctx = repo_context(c, v, "community");
  ctx["title"] = std::string(pr ? "New pull request · " : "New discussion · ") + id.full();
  ctx["pull_request"] = pr;
  ctx["action"] = c.base + repo_path(id) + "/discussions/new";
  ctx["cancel_href"] = c.base + repo_path(id) + "/discussions";
  ctx["default_branch"] = v.repo.git.default_branch();
  if (!c.is_post()) {
    if (auto enabled = hub::check_discussions_enabled(c.hub, v.repo); !enabled)
      return render_error(c, "discussion_new", ctx, enabled.error());
    ctx["form"] = true;
    return render_page(c, "discussion_new", ctx);
  }
  ctx["form"] = true;
  ctx["title_value"] = c.field("title");
  ctx["description"] = c.field("description");
  auto created =
      hub::create_discussion(c.hub, c.who, id, {c.field("title"), c.field("description"), pr});
  if (!created) {
    if (created.error().status == 500) return fail(created.error());
    return render_error(c, "discussion_new", ctx, created.error());
  }
  return redirect(c, discussion_path(id, created->discussion.num));
}

}  // namespace

PageRoute repo_route(const PageRoute& r) {
  PageRoute out = r;
  out.action.clear();
  out.rev.clear();
  out.path.clear();
  return out;
}

std::string discussion_path(const hub::RepoId& id, int64_t num) {
  return repo_path(id) + "/discussions/" + std::to_string(num);
}

mstch::map discussion_summary(const PageCall& c, const hub::RepoId& id,
                              const storage::DiscussionRow& d) {
  return mstch::map{{"num", std::to_string(d.num)},
                    {"title", d.title},
                    {"href", c.base + discussion_path(id, d.num)},
                    {"status", d.status},
                    {"is_pr", d.is_pull_request},
                    {"kind", std::string(d.is_pull_request ? "Pull request" : "Discussion")},
                    {"author", d.author.empty() ? std::string("deleted user") : d.author},
                    {"author_href", d.author.empty() ? std::string() : c.base + "/" + d.author}};
}

Result<void> add_discuss_rights(const PageCall& c, const RepoView& v, mstch::map& ctx,
                                const std::string& here) {
  bool disabled = WHARF_TRY(c.hub.db().discussions_disabled(v.repo.row.id));
  bool may_discuss =
      !disabled && c.who.session &&
      hub::check_repo_access(c.hub, c.who, v.repo.row, hub::Access::Discuss).has_value();
  ctx["discussions_disabled"] = disabled;
  ctx["may_discuss"] = may_discuss;
  if (!disabled && !c.who.session)
    ctx["login_href"] = c.base + "/login?next=" + percent_encode(here, true);
  return {};
}

Result<http::Response> discussions_page(PageCall& c, const PageRoute& r) {
  if (r.rev.empty() && r.path.empty()) {
    if (c.is_post()) return get_only();
    return list_page(c, r);
  }
  if (r.rev == "new" && r.path.empty()) return new_page(c, r);
  int64_t num = 0;
  auto [end, ec] = std::from_chars(r.rev.data(), r.rev.data() + r.rev.size(), num);
  if (ec != std::errc() || end != r.rev.data() + r.rev.size() || num <= 0 || r.rev[0] == '0')
    return fail(errors::not_found("There is no such discussion"));
  if (r.path.empty()) return discussion_thread_page(c, r, num);
  if (r.path == "files") {
    if (c.is_post()) return get_only();
    return discussion_files_page(c, r, num);
  }
  return fail(errors::not_found("There is no such page"));
}

}  // namespace wharf::web
