// The history of a revision, a page at a time (commits_page), and one commit with its diff
// against its first parent (commit_page).
#include <charconv>

#include "util/encoding.h"
#include "util/time.h"
#include "web/diff_view.h"
#include "web/file_view.h"
#include "web/human_format.h"
#include "web/pages.h"

namespace wharf::web {
namespace {

constexpr std::size_t kCommitsPerPage = 50;

// ?p=N, the page of the history (0 is the newest); nullopt when it is not a number.
std::optional<std::size_t> page_number(const PageCall& c) {
  auto p = QueryParams::parse(c.req.query).get("p");
  if (!p || p->empty()) return 0;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), n);
  if (ec != std::errc() || end != p->data() + p->size()) return std::nullopt;
  return n;
}

}  // namespace

Result<http::Response> commits_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, r));
  const auto& id = v.repo.id;
  auto page = page_number(c);
  std::size_t total = WHARF_TRY(v.repo.git.count_commits(v.commit));
  std::size_t pages = std::max<std::size_t>(1, (total + kCommitsPerPage - 1) / kCommitsPerPage);
  if (!page || *page >= pages)
    return fail(errors::not_found("There is no such page of the history"));

  int64_t now = now_ms();
  mstch::array commits;
  for (const auto& info :
       WHARF_TRY(v.repo.git.log(v.commit, *page * kCommitsPerPage, kCommitsPerPage)))
    commits.push_back(commit_summary(c, id, info, now));
  auto ctx = repo_context(c, v, "commits");
  ctx["title"] = "Commits · " + id.full();
  ctx["switcher"] = rev_switcher(c, v, "commits", "");
  ctx["commits"] = std::move(commits);
  ctx["commit_count"] = std::to_string(total) + (total == 1 ? " commit" : " commits");
  std::string here = c.base + repo_path(id, "commits", v.rev);
  if (*page > 0) ctx["newer_href"] = *page == 1 ? here : here + "?p=" + std::to_string(*page - 1);
  if (*page + 1 < pages) ctx["older_href"] = here + "?p=" + std::to_string(*page + 1);
  ctx["page"] = std::to_string(*page + 1);
  ctx["pages"] = std::to_string(pages);
  ctx["paged"] = pages > 1;
  return render_page(c, "commits", std::move(ctx));
}

Result<http::Response> commit_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, r));
  const auto& id = v.repo.id;
  auto info = WHARF_TRY(v.repo.git.read_commit(v.commit));
  auto ctx = repo_context(c, v, "commits");
  ctx["title"] = info.title + " · " + id.full();
  ctx["info"] = commit_summary(c, id, info, now_ms());
  mstch::array parents;
  for (const auto& p : info.parents)
    parents.push_back(
        mstch::map{{"short", p.substr(0, 7)}, {"href", c.base + repo_path(id, "commit", p)}});
  ctx["has_parents"] = !parents.empty();
  ctx["parents"] = std::move(parents);
  ctx["browse_href"] = c.base + repo_path(id, "tree", info.id);
  ctx["committer"] = info.committer.name != info.author.name ? info.committer.name : std::string();
  WHARF_TRY_VOID(add_diff(v, info.parents.empty() ? "" : info.parents.front(), info.id, ctx));
  return render_page(c, "commit", std::move(ctx));
}

}  // namespace wharf::web
