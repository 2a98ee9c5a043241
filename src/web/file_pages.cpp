// "Files and versions": a folder of the repo at any branch, tag or commit (tree_page), and one
// file with its details and, for text, its content (blob_page).
#include <algorithm>

#include "util/encoding.h"
#include "util/markdown.h"
#include "util/repo_path.h"
#include "util/time.h"
#include "web/code_html.h"
#include "web/file_view.h"
#include "web/human_format.h"
#include "web/pages.h"

namespace wharf::web {
namespace {

// A folder lists this many entries; the rest are counted.
constexpr std::size_t kMaxEntriesShown = 1000;
// The last commit of each entry costs a history walk: only the first entries get one, and the
// walk stops after this many commits (older changes show no commit).
constexpr std::size_t kLastCommitEntries = 200;
constexpr std::size_t kLastCommitWalk = 1000;
// Text shown on the file page at most; larger files are offered for download.
constexpr uint64_t kMaxTextBytes = 1 << 20;
constexpr std::size_t kMaxTextLines = 10000;

std::string base_name(std::string_view path) {
  return std::string(path.substr(path.rfind('/') + 1));
}

bool is_markdown(std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  return ext == "md" || ext == "markdown";
}

// The entry at `path` of the shown commit. Errors: EntryNotFound when the path is invalid or
// absent.
Result<storage::TreeEntry> find_entry(const RepoView& v, const std::string& path) {
  if (invalid_repo_path(path))
    return fail(errors::entry_not_found("There is no " + path + " at " + v.rev));
  auto entry = WHARF_TRY(v.repo.git.stat(v.commit, path));
  if (!entry) return fail(errors::entry_not_found("There is no " + path + " at " + v.rev));
  return std::move(*entry);
}

// Folders first, then files, each by name.
void sort_for_listing(std::vector<storage::TreeEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    bool a_dir = a.type == storage::EntryType::Directory,
         b_dir = b.type == storage::EntryType::Directory;
    return a_dir != b_dir ? a_dir : a.path < b.path;
  });
}

// The table rows of a folder: name and link, size (an LFS file's real size), last commit.
Result<mstch::array> entry_rows(const PageCall& c, const RepoView& v,
                                const std::vector<storage::TreeEntry>& entries, int64_t now) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < entries.size() && i < kLastCommitEntries; ++i)
    paths.push_back(entries[i].path);
  auto last = WHARF_TRY(v.repo.git.last_commits(v.commit, paths, kLastCommitWalk));
  const auto& id = v.repo.id;
  mstch::array rows;
  for (const auto& e : entries) {
    bool dir = e.type == storage::EntryType::Directory;
    mstch::map row{{"name", base_name(e.path)},
                   {"is_dir", dir},
                   {"href", c.base + repo_path(id, dir ? "tree" : "blob", v.rev, e.path)}};
    if (!dir) {
      auto lfs = WHARF_TRY(hub::read_lfs_pointer(v.repo.git, e.oid, e.size));
      row["size"] = human_size(lfs ? lfs->size : e.size);
      row["lfs"] = lfs.has_value();
    }
    if (auto it = last.find(e.path); it != last.end())
      row["commit"] = commit_summary(c, id, it->second, now);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The header shared by the folder and file pages: switcher, breadcrumbs, title.
mstch::map file_context(const PageCall& c, const RepoView& v, std::string_view action,
                        const std::string& path) {
  auto ctx = repo_context(c, v, "files");
  if (!path.empty()) ctx["title"] = path + " · " + v.repo.id.full();
  ctx["switcher"] = rev_switcher(c, v, action, path);
  ctx["crumbs"] = breadcrumbs(c, v, path);
  return ctx;
}

// The content of a file that is not LFS: "lines_html" for text, or why it is not shown ("binary",
// "too_large"); Markdown is also rendered unless ?code=1 asks for the source.
Result<void> add_content(const PageCall& c, const RepoView& v, const storage::TreeEntry& e,
                         mstch::map& ctx) {
  if (e.size > kMaxTextBytes) {
    ctx["too_large"] = true;
    return {};
  }
  std::string content = WHARF_TRY(v.repo.git.read_blob(e.oid));
  if (!is_text(content)) {
    ctx["binary"] = true;
    return {};
  }
  if (std::count(content.begin(), content.end(), '\n') >=
      static_cast<std::ptrdiff_t>(kMaxTextLines)) {
    ctx["too_large"] = true;
    return {};
  }
  std::size_t lines = 0;
  ctx["lines_html"] = numbered_lines_html(content, lines);
  ctx["is_text"] = true;
  ctx["empty_file"] = lines == 0;
  if (!is_markdown(e.path)) return {};
  const auto& id = v.repo.id;
  std::string dir =
      e.path.find('/') == std::string::npos ? "" : e.path.substr(0, e.path.rfind('/'));
  std::string rel = dir.empty() ? "/" : "/" + percent_encode(dir, true) + "/";
  MarkdownLinks links{c.base + repo_path(id, "blob", v.rev) + rel,
                      c.base + repo_path(id, "resolve", v.rev) + rel};
  std::string here = c.base + repo_path(id, "blob", v.rev, e.path);
  bool show_code = QueryParams::parse(c.req.query).flag("code");
  ctx["markdown"] =
      mstch::map{{"preview_href", here}, {"code_href", here + "?code=1"}, {"show_code", show_code}};
  if (!show_code) ctx["markdown_html"] = render_markdown(content, links);
  return {};
}

}  // namespace

Result<http::Response> tree_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, r));
  const auto& id = v.repo.id;
  if (!r.path.empty()) {
    auto entry = WHARF_TRY(find_entry(v, r.path));
    if (entry.type == storage::EntryType::File)
      return redirect(c, repo_path(id, "blob", v.rev, r.path));
  }
  auto entries = WHARF_TRY(v.repo.git.list_tree(v.commit, r.path, false));
  sort_for_listing(entries);
  std::size_t total = entries.size();
  if (entries.size() > kMaxEntriesShown) entries.resize(kMaxEntriesShown);

  int64_t now = now_ms();
  auto ctx = file_context(c, v, "tree", r.path);
  ctx["entries"] = WHARF_TRY(entry_rows(c, v, entries, now));
  ctx["empty_dir"] = entries.empty();
  ctx["more_entries"] =
      total > entries.size() ? std::to_string(total - entries.size()) : std::string();
  ctx["latest"] = commit_summary(c, id, WHARF_TRY(v.repo.git.read_commit(v.commit)), now);
  std::size_t commits = WHARF_TRY(v.repo.git.count_commits(v.commit));
  ctx["commit_count"] = std::to_string(commits) + (commits == 1 ? " commit" : " commits");
  ctx["history_href"] = c.base + repo_path(id, "commits", v.rev);
  if (may_commit_to(c, v)) ctx["upload_href"] = c.base + repo_path(id, "upload", v.rev);
  return render_page(c, "files", std::move(ctx));
}

Result<http::Response> blob_page(PageCall& c, const PageRoute& r) {
  auto v = WHARF_TRY(open_repo_view(c, r));
  const auto& id = v.repo.id;
  auto e = WHARF_TRY(find_entry(v, r.path));
  if (e.type == storage::EntryType::Directory)
    return redirect(c, repo_path(id, "tree", v.rev, r.path));

  auto ctx = file_context(c, v, "blob", r.path);
  auto lfs = WHARF_TRY(hub::read_lfs_pointer(v.repo.git, e.oid, e.size));
  ctx["name"] = base_name(e.path);
  ctx["size"] = human_size(lfs ? lfs->size : e.size);
  ctx["oid"] = e.oid;
  if (lfs) ctx["lfs"] = mstch::map{{"sha256", lfs->oid}, {"pointer_size", human_size(e.size)}};
  auto last = WHARF_TRY(v.repo.git.last_commits(v.commit, {e.path}, kLastCommitWalk));
  if (auto it = last.find(e.path); it != last.end())
    ctx["last_commit"] = commit_summary(c, id, it->second, now_ms());
  ctx["history_href"] = c.base + repo_path(id, "commits", v.rev);
  if (v.can_read_content) {
    ctx["download_href"] = c.base + repo_path(id, "resolve", v.rev, e.path);
    ctx["raw_href"] = c.base + repo_path(id, "raw", v.rev, e.path);
    if (!lfs) WHARF_TRY_VOID(add_content(c, v, e, ctx));
  }
  bool is_text_file = ctx.count("is_text") != 0;
  if (is_text_file && may_commit_to(c, v))
    ctx["edit_href"] = c.base + repo_path(id, "edit", v.rev, e.path);
  return render_page(c, "blob", std::move(ctx));
}

}  // namespace wharf::web
