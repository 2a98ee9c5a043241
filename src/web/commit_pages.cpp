// The history of a revision, a page at a time (commits_page), and one commit with its diff
// against its first parent (commit_page).
#include <charconv>

#include "util/encoding.h"
#include "util/time.h"
#include "web/code_html.h"
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

std::string status_name(storage::DiffStatus s) {
  switch (s) {
    case storage::DiffStatus::Added:
      return "added";
    case storage::DiffStatus::Deleted:
      return "deleted";
    case storage::DiffStatus::Renamed:
      return "renamed";
    case storage::DiffStatus::Modified:
      break;
  }
  return "modified";
}

// "1.2 kB → 3.4 kB", or the one side that exists.
std::string sizes_text(const storage::FileDiff& f, uint64_t old_size, uint64_t new_size) {
  if (f.status == storage::DiffStatus::Added) return human_size(new_size);
  if (f.status == storage::DiffStatus::Deleted) return human_size(old_size);
  return human_size(old_size) + " → " + human_size(new_size);
}

// One file of the diff, and whether its lines count in the commit's totals.
struct FileRow {
  mstch::map values;
  bool counted = false;
};

// An LFS file (either side a pointer) shows its real sizes instead of the pointers' text;
// binary and large files their sizes.
Result<FileRow> file_row(const RepoView& v, const storage::FileDiff& f, std::size_t index,
                         bool show_lines) {
  bool renamed = f.status == storage::DiffStatus::Renamed;
  mstch::map row{{"anchor", "file-" + std::to_string(index)},
                 {"path", f.new_path},
                 {"old_path", renamed ? f.old_path : std::string()},
                 {"status", status_name(f.status)},
                 {"additions", std::to_string(f.additions)},
                 {"deletions", std::to_string(f.deletions)},
                 {"counted", false}};
  auto old_lfs = WHARF_TRY(hub::read_lfs_pointer(v.repo.git, f.old_oid, f.old_size));
  auto new_lfs = WHARF_TRY(hub::read_lfs_pointer(v.repo.git, f.new_oid, f.new_size));
  if (old_lfs || new_lfs) {
    row["lfs_sizes"] =
        sizes_text(f, old_lfs ? old_lfs->size : f.old_size, new_lfs ? new_lfs->size : f.new_size);
    return FileRow{std::move(row), false};
  }
  if (f.binary) row["binary_sizes"] = sizes_text(f, f.old_size, f.new_size);
  if (f.too_large) row["large_sizes"] = sizes_text(f, f.old_size, f.new_size);
  // Lines were counted when the file was diffed (see FileDiff::additions).
  bool counted = !f.binary && !f.too_large && !(f.truncated && f.hunks.empty());
  row["counted"] = counted;
  row["has_hunks"] = show_lines && !f.hunks.empty();
  if (show_lines) row["hunks_html"] = diff_hunks_html(f);
  row["truncated"] = f.truncated;
  return FileRow{std::move(row), counted};
}

// The diff's values: "files", "files_changed", "additions", "deletions", "diff_truncated".
Result<void> add_diff(const RepoView& v, const storage::CommitInfo& info, mstch::map& ctx) {
  auto diff = WHARF_TRY(v.repo.git.diff(info.parents.empty() ? "" : info.parents.front(), info.id));
  mstch::array files;
  std::size_t additions = 0, deletions = 0;
  for (std::size_t i = 0; i < diff.files.size(); ++i) {
    const auto& f = diff.files[i];
    auto row = WHARF_TRY(file_row(v, f, i, v.can_read_content));
    if (row.counted) {
      additions += f.additions;
      deletions += f.deletions;
    }
    files.push_back(std::move(row.values));
  }
  ctx["files"] = std::move(files);
  ctx["files_changed"] =
      std::to_string(diff.total_files) + (diff.total_files == 1 ? " file" : " files") + " changed";
  ctx["additions"] = std::to_string(additions) + (additions == 1 ? " addition" : " additions");
  ctx["deletions"] = std::to_string(deletions) + (deletions == 1 ? " deletion" : " deletions");
  ctx["diff_truncated"] = diff.truncated;
  ctx["files_shown"] = std::to_string(diff.files.size());
  return {};
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
  WHARF_TRY_VOID(add_diff(v, info, ctx));
  return render_page(c, "commit", std::move(ctx));
}

}  // namespace wharf::web
