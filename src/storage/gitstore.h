// Bare git repositories through libgit2 (ARCHITECTURE decision 1): object reads, tree
// listings, commits built from edits, and compare-and-swap ref updates.
//
// A GitRepo is one open handle; it is not safe to share between threads, but any number
// of handles on the same repository may be used from different threads at once.
// Shas are 40 lowercase hex characters everywhere.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

struct git_repository;

namespace wharf::storage {

struct Signature {
  std::string name;
  std::string email;
  int64_t time_ms = 0;  // unix milliseconds (git keeps seconds; sub-second part is dropped)
};

struct CommitInfo {
  std::string id;       // commit sha
  std::string tree;     // tree sha
  std::string title;    // first line of the message
  std::string message;  // the full message
  Signature author;
  Signature committer;
  std::vector<std::string> parents;
};

enum class EntryType { File, Directory };

struct TreeEntry {
  std::string path;      // relative to the repository root, '/'-separated, no leading '/'
  EntryType type = EntryType::File;
  std::string oid;       // blob sha (files) or tree sha (directories)
  uint64_t size = 0;     // blob size in bytes (files); 0 for directories
  uint32_t mode = 0;     // git file mode (0100644, 0100755, 0120000, 040000)
};

// A blob that a push brings (see GitRepo::new_blobs).
struct NewBlob {
  std::string oid;
  std::string path;    // one path it appears at
  uint64_t size = 0;
  // The whole content when size <= 1024; the first 8000 bytes when 1 MiB < size <= 10 MiB
  // (enough to tell binary from text); empty otherwise.
  std::string head;
};

struct RefInfo {
  std::string name;    // full ref name, e.g. "refs/heads/main"
  std::string target;  // commit sha (annotated tags are peeled to their commit)
};

// What GitRepo::diff produces at most: a diff of a huge commit is cut, never refused.
struct DiffLimits {
  std::size_t max_files = 300;         // files described; the rest are only counted
  std::size_t max_lines = 20000;       // diff lines over all files; later files get no hunks
  uint64_t max_blob_bytes = 1u << 20;  // larger blobs are not diffed (FileDiff::too_large)
  uint32_t context_lines = 3;
};

// One line of a hunk. origin is ' ' (context), '+' (added), '-' (deleted), or '\\' for git's
// "No newline at end of file" marker of the line before it.
struct DiffLine {
  char origin = ' ';
  int old_no = 0;    // line number in the old file; 0 when the line is not in it
  int new_no = 0;    // line number in the new file; 0 when the line is not in it
  std::string text;  // without the line end
};

struct DiffHunk {
  std::string header;  // "@@ -1,3 +1,4 @@ context"
  std::vector<DiffLine> lines;
};

enum class DiffStatus { Added, Deleted, Modified, Renamed };

// How one file differs between two trees. A side that does not exist (an added file's old
// side) has an empty oid, size 0 and mode 0; its path is the other side's.
struct FileDiff {
  std::string old_path, new_path;
  DiffStatus status = DiffStatus::Modified;
  std::string old_oid, new_oid;
  uint64_t old_size = 0, new_size = 0;
  uint32_t old_mode = 0, new_mode = 0;
  bool binary = false;     // git's own test (NUL bytes in the first 8000 bytes); no hunks
  bool too_large = false;  // a side exceeds DiffLimits::max_blob_bytes; no hunks
  bool truncated = false;  // the line limit cut this file's hunks (or left it without any)
  // Lines of the whole file, even when truncated; 0 when it was not diffed (binary, too large,
  // or past the line limit).
  std::size_t additions = 0, deletions = 0;
  std::vector<DiffHunk> hunks;
};

struct TreeDiff {
  std::vector<FileDiff> files;  // in path order, at most DiffLimits::max_files
  std::size_t total_files = 0;  // files that differ, described or not
  bool truncated = false;       // some file or line was left out by the limits
};

// One change of a commit built by GitRepo::commit_edits. Paths are already validated.
struct TreeEdit {
  enum class Kind { Upsert, Delete, DeleteFolder } kind = Kind::Upsert;
  std::string path;
  std::string blob_oid;   // Upsert: an existing blob (see write_blob)
  uint32_t mode = 0100644;
};

class GitRepo {
 public:
  GitRepo(GitRepo&&) noexcept;
  GitRepo& operator=(GitRepo&&) noexcept;
  ~GitRepo();

  // Opens an existing bare repository at `path`.
  static Result<GitRepo> open(const std::string& path);
  // Creates a bare repository at `path` (parents created as needed) whose HEAD points at
  // refs/heads/<default_branch>. Fails if something already exists at `path`.
  static Result<GitRepo> init_bare(const std::string& path, const std::string& default_branch);

  // Opens the repository that git's environment names (GIT_DIR, GIT_OBJECT_DIRECTORY and
  // GIT_ALTERNATE_OBJECT_DIRECTORIES), as a receive hook sees it: quarantined objects included.
  static Result<GitRepo> open_from_env();

  // Turns fsync of objects and refs on for the whole process (crash safety). Call once at start.
  static void enable_fsync();

  // Removes the lock files (refs/**/*.lock, packed-refs.lock, HEAD.lock) that a writer
  // killed mid-update leaves behind: while one exists, every update of that ref fails.
  // Returns how many were removed.
  // REQUIRES: no process is writing the repository (server start-up).
  static std::size_t remove_stale_locks(const std::string& path);

  // Resolves a Hub revision to a commit sha: "HEAD" (the default branch), a branch or tag
  // name (tags peeled), a full 40-hex sha of an existing commit, a short hex sha of 4..39
  // characters that is unambiguous, or a full ref name ("refs/pr/3", "refs/convert/parquet",
  // "refs/heads/x", "refs/tags/y"). Branches win over tags of the same name.
  // Errors: RevisionNotFound (404).
  Result<std::string> resolve_revision(const std::string& rev) const;

  // The commit a full ref name points at (peeled), or nullopt when the ref does not exist.
  std::optional<std::string> ref_target(const std::string& full_ref) const;

  // Every ref under refs/ (branches, tags, pr, convert), peeled to commits, sorted by name.
  std::vector<RefInfo> list_refs() const;

  // The branch HEAD points at, without "refs/heads/".
  std::string default_branch() const;

  Result<CommitInfo> read_commit(const std::string& sha) const;

  // Lists the tree of `commit` at directory `dir` ("" for the root). Non-recursive lists the
  // direct children; recursive lists every descendant, directories included, in a
  // pre-order walk sorted by path. Errors: EntryNotFound when `dir` is missing or a file.
  Result<std::vector<TreeEntry>> list_tree(const std::string& commit, const std::string& dir,
                                           bool recursive) const;

  // The entry at `path` in `commit` (a file or directory), or nullopt when absent.
  Result<std::optional<TreeEntry>> stat(const std::string& commit, const std::string& path) const;

  // The full content of a blob. Intended for regular (non-LFS) files, which are small.
  Result<std::string> read_blob(const std::string& oid) const;

  // Writes a blob into the object database and returns its sha (the git blob id).
  Result<std::string> write_blob(std::string_view content);

  // Builds a new tree from `parent`'s tree (an empty tree when parent is empty) with the
  // edits applied in order, and writes a commit object. Does NOT move any ref.
  // Errors: EntryNotFound for a Delete of a missing file or a DeleteFolder of a missing
  // folder (message "A file with this name doesn't exist"); BadRequest when an Upsert
  // would put a file where a directory is, or below a file.
  Result<std::string> commit_edits(const std::string& parent, const std::vector<TreeEdit>& edits,
                                   const Signature& author, const std::string& message);

  // Writes a commit with the given tree and parents (used by super-squash).
  Result<std::string> write_commit(const std::string& tree, const std::vector<std::string>& parents,
                                   const Signature& author, const std::string& message);

  // Compare-and-swap of a ref: sets `full_ref` to `new_sha` only if it currently points at
  // `expected_old`; an empty `expected_old` means the ref must not exist yet.
  // Errors: PreconditionFailed (412) when the ref moved.
  Result<void> update_ref(const std::string& full_ref, const std::string& new_sha,
                          const std::string& expected_old, const std::string& log_message);

  // Creates a ref if absent; Conflict (409) if it exists.
  Result<void> create_ref(const std::string& full_ref, const std::string& sha);
  // Creates an annotated tag object pointing at `sha` plus refs/tags/<name>; Conflict if it exists.
  Result<void> create_annotated_tag(const std::string& name, const std::string& sha,
                                    const Signature& tagger, const std::string& message);
  // Deletes a ref; NotFound (404) if absent.
  Result<void> delete_ref(const std::string& full_ref);

  // Commits reachable from `head` in reverse chronological (topological) order, skipping
  // `offset` and returning at most `limit`.
  Result<std::vector<CommitInfo>> log(const std::string& head, std::size_t offset,
                                      std::size_t limit) const;
  // Number of commits reachable from `head`.
  Result<std::size_t> count_commits(const std::string& head) const;

  // For each path, the most recent commit reachable from `head` that changed it (the
  // entry's oid differs from the first parent's). Paths never found are left out.
  // Stops after walking `max_walk` commits.
  Result<std::map<std::string, CommitInfo>> last_commits(const std::string& head,
                                                         const std::vector<std::string>& paths,
                                                         std::size_t max_walk = 10000) const;

  // The blobs that commits reachable from `tips` and not from `known` add or change against
  // their first parent, each once, in walk order. Fails with 413 past `max_blobs`.
  // Defined in git_push_scan.cpp.
  Result<std::vector<NewBlob>> new_blobs(const std::vector<std::string>& tips,
                                         const std::vector<std::string>& known,
                                         std::size_t max_blobs) const;

  // How the tree of `to_commit` differs from that of `from_commit` ("" for the empty tree,
  // as for a root commit), renames detected, cut to `limits`. For a commit, from is its first
  // parent; for a pull request, the merge base of the target branch and the PR head.
  // Errors: RevisionNotFound when a commit does not exist. Defined in git_diff.cpp.
  Result<TreeDiff> diff(const std::string& from_commit, const std::string& to_commit,
                        const DiffLimits& limits = {}) const;

  // --- Pull requests (git_merge.cpp) ---
  // The best common ancestor of two commits, or nullopt when they share no history.
  Result<std::optional<std::string>> merge_base(const std::string& a, const std::string& b) const;
  // True when `ancestor` is `descendant` or one of its ancestors.
  Result<bool> is_ancestor(const std::string& ancestor, const std::string& descendant) const;
  // Commits reachable from `head` and not from any of `hide`, oldest first, at most `limit`
  // (the newest ones when there are more).
  Result<std::vector<CommitInfo>> commits_between(const std::string& head,
                                                  const std::vector<std::string>& hide,
                                                  std::size_t limit) const;
  // A three-way merge of the trees of two commits (from their merge base, as git merge does;
  // renames detected). On success the merged tree is written; otherwise `conflicts` lists the
  // paths that conflict, sorted, and `tree` is empty.
  struct MergeOutcome {
    std::string tree;
    std::vector<std::string> conflicts;
  };
  Result<MergeOutcome> merge_commits(const std::string& ours, const std::string& theirs);
  // The unified diff (git's patch format, binary files named) from `from_commit` ("" for the
  // empty tree) to `to_commit`, cut after `max_bytes` at a line end; `truncated` tells.
  struct PatchText {
    std::string text;
    bool truncated = false;
  };
  Result<PatchText> patch_text(const std::string& from_commit, const std::string& to_commit,
                               std::size_t max_bytes) const;

  // The sha a blob of this content would get, without writing it.
  static std::string hash_blob(std::string_view content);

  const std::string& path() const { return path_; }
  // False for a moved-from handle.
  bool valid() const { return repo_ != nullptr; }

 private:
  GitRepo(git_repository* repo, std::string path);
  git_repository* repo_ = nullptr;
  std::string path_;
};

// Initializes libgit2 once per process (RAII; keep one alive for the program's life).
class GitLibrary {
 public:
  GitLibrary();
  ~GitLibrary();
  GitLibrary(const GitLibrary&) = delete;
  GitLibrary& operator=(const GitLibrary&) = delete;
};

}  // namespace wharf::storage
