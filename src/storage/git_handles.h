// RAII handles and small helpers for libgit2, shared by the files of storage/ that use it.
// Internal to storage/: nothing outside it includes libgit2.
#pragma once

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/gitstore.h"
#include "util/error.h"

namespace wharf::storage::git_detail {

// ---- RAII for libgit2 handles ------------------------------------------------------------

template <auto FreeFn>
struct GitFree {
  template <typename T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};
template <typename T, auto FreeFn>
using GitPtr = std::unique_ptr<T, GitFree<FreeFn>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using RefPtr = GitPtr<git_reference, git_reference_free>;
using RefIterPtr = GitPtr<git_reference_iterator, git_reference_iterator_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;

// Lets a smart pointer receive a libgit2 out-parameter: git_commit_lookup(into(c), ...).
// The temporary hands the raw pointer over at the end of the full expression, so `c` must not
// be used later in that same expression.
template <typename Ptr>
class Into {
 public:
  explicit Into(Ptr& target) : target_(target) {}
  ~Into() { target_.reset(raw_); }
  Into(const Into&) = delete;
  Into& operator=(const Into&) = delete;
  operator typename Ptr::pointer *() { return &raw_; }

 private:
  Ptr& target_;
  typename Ptr::pointer raw_ = nullptr;
};
template <typename Ptr>
Into<Ptr> into(Ptr& target) {
  return Into<Ptr>(target);
}

// ---- Errors, shas, signatures ------------------------------------------------------------

inline Error libgit2_failure(std::string_view what) {
  const git_error* e = git_error_last();
  std::string msg(what);
  msg += ": ";
  msg += (e != nullptr && e->message != nullptr) ? e->message : "unknown libgit2 error";
  return errors::internal(std::move(msg));
}

inline bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A full 40-hex lowercase sha, or nullopt.
inline std::optional<git_oid> parse_sha(std::string_view sha) {
  git_oid oid;
  if (sha.size() != GIT_OID_HEXSZ || !is_lower_hex(sha)) return std::nullopt;
  if (git_oid_fromstrn(&oid, sha.data(), sha.size()) != 0) return std::nullopt;
  return oid;
}

inline std::string to_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

// ---- Commits (defined in gitstore.cpp) ---------------------------------------------------

CommitInfo commit_info(const git_commit* commit);
// RevisionNotFound when `sha` is no full sha of an existing commit.
Result<CommitPtr> lookup_commit(git_repository* repo, const std::string& sha);

}  // namespace wharf::storage::git_detail
