// How two trees differ, file by file and line by line: the commit page's diff and, later, a
// pull request's. Everything is bounded by DiffLimits, so that one huge commit costs a page
// of work, not the server's memory.
#include "storage/git_handles.h"
#include "storage/gitstore.h"

namespace wharf::storage {
using namespace git_detail;
namespace {

using DiffPtr = GitPtr<git_diff, git_diff_free>;
using PatchPtr = GitPtr<git_patch, git_patch_free>;

// The tree of `commit`, or a null tree (libgit2's empty tree) for "".
Result<TreePtr> tree_of_commit(git_repository* repo, const std::string& commit) {
  if (commit.empty()) return TreePtr();
  auto oid = parse_sha(commit);
  if (!oid) return fail(errors::revision_not_found(commit));
  CommitPtr c;
  int rc = git_commit_lookup(into(c), repo, &*oid);
  if (rc == GIT_ENOTFOUND) return fail(errors::revision_not_found(commit));
  if (rc < 0) return fail(libgit2_failure("Cannot read commit " + commit));
  TreePtr tree;
  if (git_commit_tree(into(tree), c.get()) < 0)
    return fail(libgit2_failure("Cannot read the tree of " + commit));
  return tree;
}

DiffStatus status_of(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
      return DiffStatus::Added;
    case GIT_DELTA_DELETED:
      return DiffStatus::Deleted;
    case GIT_DELTA_RENAMED:
      return DiffStatus::Renamed;
    default:
      return DiffStatus::Modified;  // modified, or a file turned into a symlink
  }
}

// The size of one side's blob from the object header (the blob is not inflated). Gitlinks
// (submodule commits) have no object here and count as 0.
Result<uint64_t> side_size(git_odb* odb, const git_diff_file& file) {
  if (file.mode == GIT_FILEMODE_COMMIT) return 0;
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb, &file.id) < 0)
    return fail(libgit2_failure("Cannot read blob " + to_hex(file.id)));
  return size;
}

Result<FileDiff> describe(git_odb* odb, const git_diff_delta& d, uint64_t max_blob_bytes) {
  FileDiff f;
  f.status = status_of(d.status);
  f.old_path = d.old_file.path;
  f.new_path = d.new_file.path;
  if (f.status != DiffStatus::Added) {
    f.old_oid = to_hex(d.old_file.id);
    f.old_mode = d.old_file.mode;
    f.old_size = WHARF_TRY(side_size(odb, d.old_file));
  }
  if (f.status != DiffStatus::Deleted) {
    f.new_oid = to_hex(d.new_file.id);
    f.new_mode = d.new_file.mode;
    f.new_size = WHARF_TRY(side_size(odb, d.new_file));
  }
  f.too_large = f.old_size > max_blob_bytes || f.new_size > max_blob_bytes;
  return f;
}

DiffLine line_of(const git_diff_line& l) {
  DiffLine out;
  switch (l.origin) {
    case GIT_DIFF_LINE_ADDITION:
      out.origin = '+';
      break;
    case GIT_DIFF_LINE_DELETION:
      out.origin = '-';
      break;
    case GIT_DIFF_LINE_CONTEXT:
      out.origin = ' ';
      break;
    default:  // the three end-of-file markers: the line before has no newline
      out.origin = '\\';
      out.text = "No newline at end of file";
      return out;
  }
  out.old_no = std::max(0, l.old_lineno);
  out.new_no = std::max(0, l.new_lineno);
  std::string_view text(l.content, l.content_len);
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  out.text = text;
  return out;
}

std::string hunk_header(const git_diff_hunk& h) {
  std::string_view header(h.header, h.header_len);
  while (header.ends_with('\n') || header.ends_with('\r')) header.remove_suffix(1);
  return std::string(header);
}

// Fills f's hunks from `patch`, taking at most `lines_left` lines (and lowering it).
Result<void> add_hunks(git_patch* patch, FileDiff& f, std::size_t& lines_left) {
  size_t context = 0, additions = 0, deletions = 0;
  if (git_patch_line_stats(&context, &additions, &deletions, patch) < 0)
    return fail(libgit2_failure("Cannot count the lines of a diff"));
  f.additions = additions;
  f.deletions = deletions;
  for (size_t h = 0; h < git_patch_num_hunks(patch); ++h) {
    const git_diff_hunk* hunk = nullptr;
    size_t count = 0;
    if (git_patch_get_hunk(&hunk, &count, patch, h) < 0)
      return fail(libgit2_failure("Cannot read a diff hunk"));
    if (lines_left == 0) {
      f.truncated = true;
      break;
    }
    DiffHunk out{hunk_header(*hunk), {}};
    for (size_t i = 0; i < count; ++i, --lines_left) {
      if (lines_left == 0) {
        f.truncated = true;
        break;
      }
      const git_diff_line* line = nullptr;
      if (git_patch_get_line_in_hunk(&line, patch, h, i) < 0)
        return fail(libgit2_failure("Cannot read a diff line"));
      out.lines.push_back(line_of(*line));
    }
    f.hunks.push_back(std::move(out));
  }
  return {};
}

// The patch of delta `index`: its hunks when the file is text and the line budget allows.
Result<void> add_patch(git_diff* diff, size_t index, FileDiff& f, std::size_t& lines_left) {
  if (f.too_large) return {};
  if (lines_left == 0) {  // not even diffed: the budget is spent
    f.truncated = true;
    return {};
  }
  PatchPtr patch;
  if (git_patch_from_diff(into(patch), diff, index) < 0)
    return fail(libgit2_failure("Cannot diff " + f.new_path));
  // libgit2 decides binary-ness while it loads the blobs for the patch.
  if (patch == nullptr || (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) != 0) {
    f.binary = true;
    return {};
  }
  return add_hunks(patch.get(), f, lines_left);
}

}  // namespace

Result<TreeDiff> GitRepo::diff(const std::string& from_commit, const std::string& to_commit,
                               const DiffLimits& limits) const {
  TreePtr old_tree = WHARF_TRY(tree_of_commit(repo_, from_commit));
  TreePtr new_tree = WHARF_TRY(tree_of_commit(repo_, to_commit));
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = limits.context_lines;
  // A safety net behind FileDiff::too_large: libgit2 never loads a larger blob to diff it.
  options.max_size = static_cast<git_off_t>(limits.max_blob_bytes);
  DiffPtr diff;
  if (git_diff_tree_to_tree(into(diff), repo_, old_tree.get(), new_tree.get(), &options) < 0)
    return fail(libgit2_failure("Cannot diff " + from_commit + ".." + to_commit));
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff.get(), &find) < 0)
    return fail(libgit2_failure("Cannot find renames"));

  OdbPtr odb;
  if (git_repository_odb(into(odb), repo_) < 0)
    return fail(libgit2_failure("Cannot open the object database"));
  TreeDiff out;
  out.total_files = git_diff_num_deltas(diff.get());
  std::size_t lines_left = limits.max_lines;
  for (size_t i = 0; i < out.total_files && out.files.size() < limits.max_files; ++i) {
    FileDiff f =
        WHARF_TRY(describe(odb.get(), *git_diff_get_delta(diff.get(), i), limits.max_blob_bytes));
    WHARF_TRY_VOID(add_patch(diff.get(), i, f, lines_left));
    out.truncated = out.truncated || f.truncated;
    out.files.push_back(std::move(f));
  }
  out.truncated = out.truncated || out.files.size() < out.total_files;
  return out;
}

}  // namespace wharf::storage
