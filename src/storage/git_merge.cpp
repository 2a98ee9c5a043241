// What pull requests need from git: merge bases, the commits a PR adds, a three-way merge of
// two commits with its conflicts, and the PR's diff as git's patch text.
#include "storage/git_handles.h"
#include "storage/gitstore.h"

#include <algorithm>

namespace wharf::storage {
using namespace git_detail;
namespace {

using DiffPtr = GitPtr<git_diff, git_diff_free>;
using ConflictIterPtr = GitPtr<git_index_conflict_iterator, git_index_conflict_iterator_free>;

Result<git_oid> commit_oid(git_repository* repo, const std::string& sha) {
  CommitPtr c = WHARF_TRY(lookup_commit(repo, sha));
  return *git_commit_id(c.get());
}

}  // namespace

Result<std::optional<std::string>> GitRepo::merge_base(const std::string& a,
                                                       const std::string& b) const {
  git_oid oa = WHARF_TRY(commit_oid(repo_, a)), ob = WHARF_TRY(commit_oid(repo_, b));
  git_oid base;
  int rc = git_merge_base(&base, repo_, &oa, &ob);
  if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
  if (rc < 0) return fail(libgit2_failure("Cannot find the merge base of " + a + " and " + b));
  return std::optional<std::string>(to_hex(base));
}

Result<bool> GitRepo::is_ancestor(const std::string& ancestor, const std::string& descendant) const {
  git_oid oa = WHARF_TRY(commit_oid(repo_, ancestor)), od = WHARF_TRY(commit_oid(repo_, descendant));
  if (git_oid_equal(&oa, &od)) return true;
  int rc = git_graph_descendant_of(repo_, &od, &oa);
  if (rc < 0) return fail(libgit2_failure("Cannot compare the history of " + ancestor + " and " + descendant));
  return rc == 1;
}

Result<std::vector<CommitInfo>> GitRepo::commits_between(const std::string& head,
                                                         const std::vector<std::string>& hide,
                                                         std::size_t limit) const {
  git_oid start = WHARF_TRY(commit_oid(repo_, head));
  RevwalkPtr walk;
  if (git_revwalk_new(into(walk), repo_) < 0) return fail(libgit2_failure("Cannot walk history"));
  if (git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
      git_revwalk_push(walk.get(), &start) < 0)
    return fail(libgit2_failure("Cannot walk history"));
  for (const auto& h : hide) {
    git_oid oid = WHARF_TRY(commit_oid(repo_, h));
    if (git_revwalk_hide(walk.get(), &oid) < 0) return fail(libgit2_failure("Cannot walk history"));
  }
  std::vector<CommitInfo> out;  // newest first while walking
  git_oid id;
  while (out.size() < limit) {
    int rc = git_revwalk_next(&id, walk.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return fail(libgit2_failure("Cannot walk history"));
    CommitPtr c;
    if (git_commit_lookup(into(c), repo_, &id) < 0)
      return fail(libgit2_failure("Cannot read commit " + to_hex(id)));
    out.push_back(commit_info(c.get()));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<GitRepo::MergeOutcome> GitRepo::merge_commits(const std::string& ours,
                                                     const std::string& theirs) {
  CommitPtr a = WHARF_TRY(lookup_commit(repo_, ours)), b = WHARF_TRY(lookup_commit(repo_, theirs));
  git_merge_options opts = GIT_MERGE_OPTIONS_INIT;
  opts.flags = GIT_MERGE_FIND_RENAMES;
  IndexPtr index;
  if (git_merge_commits(into(index), repo_, a.get(), b.get(), &opts) < 0)
    return fail(libgit2_failure("Cannot merge " + theirs + " into " + ours));
  MergeOutcome out;
  if (git_index_has_conflicts(index.get())) {
    ConflictIterPtr it;
    if (git_index_conflict_iterator_new(into(it), index.get()) < 0)
      return fail(libgit2_failure("Cannot list merge conflicts"));
    const git_index_entry *ancestor = nullptr, *mine = nullptr, *other = nullptr;
    int rc;
    while ((rc = git_index_conflict_next(&ancestor, &mine, &other, it.get())) == 0) {
      const git_index_entry* any = mine ? mine : other ? other : ancestor;
      if (any) out.conflicts.emplace_back(any->path);
    }
    if (rc != GIT_ITEROVER) return fail(libgit2_failure("Cannot list merge conflicts"));
    std::sort(out.conflicts.begin(), out.conflicts.end());
    out.conflicts.erase(std::unique(out.conflicts.begin(), out.conflicts.end()), out.conflicts.end());
    return out;
  }
  git_oid tree;
  if (git_index_write_tree_to(&tree, index.get(), repo_) < 0)
    return fail(libgit2_failure("Cannot write the merged tree"));
  out.tree = to_hex(tree);
  return out;
}

Result<GitRepo::PatchText> GitRepo::patch_text(const std::string& from_commit,
                                               const std::string& to_commit,
                                               std::size_t max_bytes) const {
  TreePtr from, to;
  if (!from_commit.empty()) {
    CommitPtr c = WHARF_TRY(lookup_commit(repo_, from_commit));
    if (git_commit_tree(into(from), c.get()) < 0) return fail(libgit2_failure("Cannot read tree"));
  }
  CommitPtr c = WHARF_TRY(lookup_commit(repo_, to_commit));
  if (git_commit_tree(into(to), c.get()) < 0) return fail(libgit2_failure("Cannot read tree"));
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  DiffPtr diff;
  if (git_diff_tree_to_tree(into(diff), repo_, from.get(), to.get(), &opts) < 0)
    return fail(libgit2_failure("Cannot diff " + from_commit + " and " + to_commit));
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff.get(), &find) < 0) return fail(libgit2_failure("Cannot find renames"));
  PatchText out;
  // Printed line by line, so that a huge diff stops at the limit instead of being built whole.
  struct Sink {
    PatchText* out;
    std::size_t max;
  } sink{&out, max_bytes};
  auto print = [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) -> int {
    auto* s = static_cast<Sink*>(payload);
    std::size_t extra = line->content_len +
                        (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION ||
                                 line->origin == GIT_DIFF_LINE_DELETION
                             ? 1
                             : 0);
    if (s->out->text.size() + extra > s->max) {
      s->out->truncated = true;
      return 1;  // stops the walk
    }
    if (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION ||
        line->origin == GIT_DIFF_LINE_DELETION)
      s->out->text += line->origin;
    s->out->text.append(line->content, line->content_len);
    return 0;
  };
  int rc = git_diff_print(diff.get(), GIT_DIFF_FORMAT_PATCH, print, &sink);
  if (rc < 0 && !out.truncated) return fail(libgit2_failure("Cannot print the diff"));
  return out;
}

}  // namespace wharf::storage
