// What a push brings: the new blobs a receive hook checks before git accepts the push.
#include <set>

#include "storage/git_handles.h"
#include "storage/gitstore.h"

namespace wharf::storage {
using namespace git_detail;
namespace {

constexpr std::size_t kSmallBlob = 1024;
constexpr std::size_t kSniffBytes = 8000;  // as git's own binary detection
constexpr std::size_t kSniffAbove = 1u << 20;
constexpr std::size_t kSniffUpTo = 10u << 20;

using DiffPtr = GitPtr<git_diff, git_diff_free>;

Result<TreePtr> tree_of(git_repository* repo, const git_oid& commit_id) {
  CommitPtr commit;
  if (git_commit_lookup(into(commit), repo, &commit_id) < 0) return fail(libgit2_failure("Cannot read a pushed commit"));
  TreePtr tree;
  if (git_commit_tree(into(tree), commit.get()) < 0) return fail(libgit2_failure("Cannot read a pushed tree"));
  return tree;
}

// The first parent's tree, or none for a root commit.
Result<TreePtr> parent_tree_of(git_repository* repo, const git_oid& commit_id) {
  CommitPtr commit;
  if (git_commit_lookup(into(commit), repo, &commit_id) < 0) return fail(libgit2_failure("Cannot read a pushed commit"));
  if (git_commit_parentcount(commit.get()) == 0) return TreePtr();
  return tree_of(repo, *git_commit_parent_id(commit.get(), 0));
}

Result<NewBlob> describe_blob(git_repository* repo, const git_diff_file& file) {
  NewBlob b;
  b.oid = to_hex(file.id);
  b.path = file.path;
  OdbPtr odb;
  if (git_repository_odb(into(odb), repo) < 0) return fail(libgit2_failure("Cannot open the object database"));
  size_t len = 0;
  git_object_t type;
  if (git_odb_read_header(&len, &type, odb.get(), &file.id) < 0) return fail(libgit2_failure("Cannot read a pushed blob"));
  b.size = len;
  // Only two sizes need content: a small blob may be an LFS pointer, and a blob between 1 MiB
  // and 10 MiB is refused when binary. Others are decided by size alone and never inflated.
  if (len <= kSmallBlob || (len > kSniffAbove && len <= kSniffUpTo)) {
    BlobPtr blob;
    if (git_blob_lookup(into(blob), repo, &file.id) < 0) return fail(libgit2_failure("Cannot read a pushed blob"));
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    b.head.assign(data, len <= kSmallBlob ? len : std::min<std::size_t>(len, kSniffBytes));
  }
  return b;
}

}  // namespace

Result<GitRepo> GitRepo::open_from_env() {
  RepoPtr repo;
  if (git_repository_open_ext(into(repo), nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr) < 0)
    return fail(libgit2_failure("Cannot open the repository of the hook"));
  std::string path = git_repository_path(repo.get());
  return GitRepo(repo.release(), path);
}

Result<std::vector<NewBlob>> GitRepo::new_blobs(const std::vector<std::string>& tips,
                                                const std::vector<std::string>& known,
                                                std::size_t max_blobs) const {
  RevwalkPtr walk;
  if (git_revwalk_new(into(walk), repo_) < 0) return fail(libgit2_failure("Cannot walk the push"));
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL);
  for (const auto& t : tips) {
    auto oid = parse_sha(t);
    if (!oid || git_revwalk_push(walk.get(), &*oid) < 0)
      return fail(
          errors::bad_request(t + " is not a commit: branches and tags must point to commits"));
  }
  for (const auto& k : known) {
    auto oid = parse_sha(k);
    if (oid) git_revwalk_hide(walk.get(), &*oid);  // a ref pointing at a non-commit is simply not hidden
  }
  std::vector<NewBlob> out;
  std::set<std::string> seen;
  git_oid commit_id;
  while (git_revwalk_next(&commit_id, walk.get()) == 0) {
    TreePtr tree = WHARF_TRY(tree_of(repo_, commit_id));
    TreePtr parent = WHARF_TRY(parent_tree_of(repo_, commit_id));
    DiffPtr diff;
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
    if (git_diff_tree_to_tree(into(diff), repo_, parent.get(), tree.get(), &opts) < 0)
      return fail(libgit2_failure("Cannot diff a pushed commit"));
    for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
      const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
      if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED && d->status != GIT_DELTA_TYPECHANGE) continue;
      if (d->new_file.mode != GIT_FILEMODE_BLOB && d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE) continue;
      if (!seen.insert(to_hex(d->new_file.id)).second) continue;
      if (out.size() >= max_blobs) return fail(errors::payload_too_large("The push brings too many files at once"));
      out.push_back(WHARF_TRY(describe_blob(repo_, d->new_file)));
    }
  }
  return out;
}

}  // namespace wharf::storage
