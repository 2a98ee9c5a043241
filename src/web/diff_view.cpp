#include "web/diff_view.h"

#include "hub/lfs_pointer.h"
#include "web/code_html.h"
#include "web/human_format.h"

namespace wharf::web {
namespace {

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

}  // namespace

Result<void> add_diff(const RepoView& v, const std::string& from_commit,
                      const std::string& to_commit, mstch::map& ctx) {
  auto diff = WHARF_TRY(v.repo.git.diff(from_commit, to_commit));
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

}  // namespace wharf::web
