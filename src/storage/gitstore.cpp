#include "storage/gitstore.h"

#include "storage/git_handles.h"

#include <git2.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

namespace wharf::storage {
using namespace git_detail;
namespace {

constexpr std::string_view kNoSuchFile = "A file with this name doesn't exist";
constexpr uint32_t kDirectoryMode = 040000;

Signature from_git(const git_signature* sig) {
  return {sig->name, sig->email, static_cast<int64_t>(sig->when.time) * 1000};
}

Result<SignaturePtr> to_git(const Signature& sig) {
  SignaturePtr out;
  if (git_signature_new(into(out), sig.name.c_str(), sig.email.c_str(), sig.time_ms / 1000, 0) < 0)
    return fail(libgit2_failure("Invalid signature"));
  return out;
}

Result<TreePtr> tree_of(const git_commit* commit) {
  TreePtr tree;
  if (git_commit_tree(into(tree), commit) < 0) return fail(libgit2_failure("Cannot read tree"));
  return tree;
}

Result<OdbPtr> odb_of(git_repository* repo) {
  OdbPtr odb;
  if (git_repository_odb(into(odb), repo) < 0)
    return fail(libgit2_failure("Cannot open object database"));
  return odb;
}

// The commit sha a 4..40 hex prefix names, or nullopt when it is unknown or ambiguous.
std::optional<std::string> commit_by_hex(git_repository* repo, const std::string& hex) {
  if (hex.size() < 4 || hex.size() > GIT_OID_HEXSZ || !is_lower_hex(hex)) return std::nullopt;
  git_oid prefix;
  if (git_oid_fromstrn(&prefix, hex.data(), hex.size()) != 0) return std::nullopt;
  ObjectPtr obj;
  if (git_object_lookup_prefix(into(obj), repo, &prefix, hex.size(), GIT_OBJECT_COMMIT) != 0)
    return std::nullopt;
  return to_hex(*git_object_id(obj.get()));
}

// Revision strings are names or shas, never git revspec syntax (ranges, ancestry, reflogs).
bool has_revspec_syntax(std::string_view rev) {
  return rev.find("..") != rev.npos ||
         rev.find_first_of(std::string_view("~^:\0", 4)) != rev.npos || rev.find("@{") != rev.npos;
}

// ---- Trees -------------------------------------------------------------------------------

std::string join_path(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string path(dir);
  path += '/';
  path += name;
  return path;
}

// Gitlinks (submodules) have no object here and are not part of a Hub repository.
bool is_listed(const git_tree_entry* entry) {
  git_object_t type = git_tree_entry_type(entry);
  return type == GIT_OBJECT_BLOB || type == GIT_OBJECT_TREE;
}

Result<TreeEntry> make_entry(git_odb* odb, const git_tree_entry* entry, std::string path) {
  TreeEntry out;
  out.path = std::move(path);
  out.oid = to_hex(*git_tree_entry_id(entry));
  out.mode = static_cast<uint32_t>(git_tree_entry_filemode(entry));
  if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
    out.type = EntryType::Directory;
    return out;
  }
  // The header gives the size without inflating the blob.
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb, git_tree_entry_id(entry)) < 0)
    return fail(libgit2_failure("Cannot read blob " + out.oid));
  out.type = EntryType::File;
  out.size = size;
  return out;
}

Result<void> append_children(git_repository* repo, git_odb* odb, const git_tree* tree,
                             const std::string& dir, bool recursive, std::vector<TreeEntry>& out) {
  for (size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    if (!is_listed(entry)) continue;
    out.push_back(WHARF_TRY(make_entry(odb, entry, join_path(dir, git_tree_entry_name(entry)))));
    if (!recursive || out.back().type != EntryType::Directory) continue;
    TreePtr sub;
    if (git_tree_lookup(into(sub), repo, git_tree_entry_id(entry)) < 0)
      return fail(libgit2_failure("Cannot read tree " + out.back().oid));
    std::string sub_dir = out.back().path;
    WHARF_TRY_VOID(append_children(repo, odb, sub.get(), sub_dir, recursive, out));
  }
  return {};
}

// The entry at `path` below `root`, or nullptr when absent.
Result<TreeEntryPtr> entry_at(git_tree* root, const std::string& path) {
  TreeEntryPtr entry;
  int rc = git_tree_entry_bypath(into(entry), root, path.c_str());
  if (rc < 0 && rc != GIT_ENOTFOUND) return fail(libgit2_failure("Cannot look up " + path));
  return entry;
}

// The oid of the entry at `path` ("" is the root), or nullopt when absent.
Result<std::optional<git_oid>> entry_oid(git_tree* root, const std::string& path) {
  if (path.empty()) return *git_tree_id(root);
  TreeEntryPtr entry = WHARF_TRY(entry_at(root, path));
  if (!entry) return std::nullopt;
  return *git_tree_entry_id(entry.get());
}

// ---- Commit building ---------------------------------------------------------------------

bool has_entries_under(git_index* index, const std::string& dir) {
  return git_index_find_prefix(nullptr, index, (dir + "/").c_str()) == 0;
}

// git_index_add silently replaces entries on a file/directory collision; the Hub refuses.
Result<void> check_no_collision(git_index* index, const std::string& path) {
  for (size_t slash = path.find('/'); slash != path.npos; slash = path.find('/', slash + 1)) {
    std::string parent = path.substr(0, slash);
    if (git_index_get_bypath(index, parent.c_str(), 0) != nullptr)
      return fail(errors::bad_request("Cannot create '" + path + "': '" + parent + "' is a file"));
  }
  if (has_entries_under(index, path))
    return fail(errors::bad_request("Cannot create file '" + path + "': it is a directory"));
  return {};
}

Result<void> upsert(git_odb* odb, git_index* index, const TreeEdit& edit) {
  if (edit.mode != GIT_FILEMODE_BLOB && edit.mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
      edit.mode != GIT_FILEMODE_LINK)
    return fail(errors::bad_request("Invalid file mode for '" + edit.path + "'"));
  auto oid = parse_sha(edit.blob_oid);
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  // An in-memory index does not check that the blob exists; a tree must not dangle.
  if (!oid || git_odb_read_header(&size, &type, odb, &*oid) < 0 || type != GIT_OBJECT_BLOB)
    return fail(errors::internal("Blob " + edit.blob_oid + " for '" + edit.path + "' is missing"));
  WHARF_TRY_VOID(check_no_collision(index, edit.path));
  git_index_entry entry{};
  entry.mode = edit.mode;
  entry.id = *oid;
  entry.path = edit.path.c_str();
  if (git_index_add(index, &entry) < 0) return fail(libgit2_failure("Cannot add " + edit.path));
  return {};
}

Result<void> apply_edit(git_odb* odb, git_index* index, const TreeEdit& edit) {
  const char* path = edit.path.c_str();
  switch (edit.kind) {
    case TreeEdit::Kind::Upsert:
      return upsert(odb, index, edit);
    case TreeEdit::Kind::Delete:
      if (git_index_get_bypath(index, path, 0) == nullptr)
        return fail(errors::entry_not_found(std::string(kNoSuchFile)));
      if (git_index_remove(index, path, 0) < 0) return fail(libgit2_failure("Cannot delete"));
      return {};
    case TreeEdit::Kind::DeleteFolder:
      if (!has_entries_under(index, edit.path))
        return fail(errors::entry_not_found(std::string(kNoSuchFile)));
      if (git_index_remove_directory(index, path, 0) < 0)
        return fail(libgit2_failure("Cannot delete folder"));
      return {};
  }
  return fail(errors::internal("Unknown tree edit"));
}

Result<std::string> create_commit(git_repository* repo, const git_tree* tree,
                                  const std::vector<CommitPtr>& parents, const Signature& author,
                                  const std::string& message) {
  SignaturePtr sig = WHARF_TRY(to_git(author));
  std::vector<const git_commit*> raw;
  for (const auto& p : parents) raw.push_back(p.get());
  git_oid id;
  if (git_commit_create(&id, repo, nullptr, sig.get(), sig.get(), nullptr, message.c_str(), tree,
                        raw.size(), raw.data()) < 0)
    return fail(libgit2_failure("Cannot write commit"));
  return to_hex(id);
}

Result<RevwalkPtr> walk_from(git_repository* repo, const std::string& head, unsigned sorting) {
  CommitPtr start = WHARF_TRY(lookup_commit(repo, head));
  RevwalkPtr walk;
  if (git_revwalk_new(into(walk), repo) < 0) return fail(libgit2_failure("Cannot walk history"));
  if (git_revwalk_sorting(walk.get(), sorting) < 0 ||
      git_revwalk_push(walk.get(), git_commit_id(start.get())) < 0)
    return fail(libgit2_failure("Cannot walk history"));
  return walk;
}

// Maps the outcome of a compare-and-swap ref write.
Result<void> ref_write_result(int rc, std::string_view what) {
  switch (rc) {
    case 0:
      return {};
    case GIT_EEXISTS:    // the ref exists although it was expected to be absent
    case GIT_EMODIFIED:  // the ref moved away from expected_old
    case GIT_ENOTFOUND:  // the ref vanished although expected_old was given
    case GIT_ELOCKED:    // another writer holds the ref's lock right now
      return fail(errors::precondition_failed());
    case GIT_EINVALIDSPEC:
      return fail(errors::bad_request("Invalid reference name"));
    default:
      return fail(libgit2_failure(what));
  }
}

}  // namespace

// ---- Shared with the other files of storage/ (git_handles.h) ------------------------------

namespace git_detail {

CommitInfo commit_info(const git_commit* commit) {
  CommitInfo info;
  info.id = to_hex(*git_commit_id(commit));
  info.tree = to_hex(*git_commit_tree_id(commit));
  const char* raw = git_commit_message(commit);
  std::string_view message = raw != nullptr ? raw : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
    message.remove_suffix(1);
  info.message = message;
  std::string_view title = message.substr(0, message.find('\n'));
  if (title.ends_with('\r')) title.remove_suffix(1);
  info.title = title;
  info.author = from_git(git_commit_author(commit));
  info.committer = from_git(git_commit_committer(commit));
  for (unsigned i = 0; i < git_commit_parentcount(commit); ++i)
    info.parents.push_back(to_hex(*git_commit_parent_id(commit, i)));
  return info;
}

Result<CommitPtr> lookup_commit(git_repository* repo, const std::string& sha) {
  auto oid = parse_sha(sha);
  if (!oid) return fail(errors::revision_not_found(sha));
  CommitPtr commit;
  int rc = git_commit_lookup(into(commit), repo, &*oid);
  if (rc == GIT_ENOTFOUND) return fail(errors::revision_not_found(sha));
  if (rc < 0) return fail(libgit2_failure("Cannot read commit " + sha));
  return commit;
}

}  // namespace git_detail

// ---- Library, lifetime -------------------------------------------------------------------

GitLibrary::GitLibrary() {
  git_libgit2_init();
  // The repositories are wharf's own: the operator's ~/.gitconfig, XDG and system git config
  // must not change how they are read, and skipping their lookup saves stat calls on every
  // repository opened (one per request).
  for (auto level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA})
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
}
GitLibrary::~GitLibrary() { git_libgit2_shutdown(); }

GitRepo::GitRepo(git_repository* repo, std::string path) : repo_(repo), path_(std::move(path)) {}
GitRepo::GitRepo(GitRepo&& other) noexcept
    : repo_(std::exchange(other.repo_, nullptr)), path_(std::move(other.path_)) {}
GitRepo& GitRepo::operator=(GitRepo&& other) noexcept {
  if (this != &other) {
    git_repository_free(repo_);
    repo_ = std::exchange(other.repo_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}
GitRepo::~GitRepo() { git_repository_free(repo_); }

Result<GitRepo> GitRepo::open(const std::string& path) {
  RepoPtr repo;
  int rc = git_repository_open_bare(into(repo), path.c_str());
  if (rc == GIT_ENOTFOUND) return fail(errors::not_found("Repository not found"));
  if (rc < 0) return fail(libgit2_failure("Cannot open repository"));
  return GitRepo(repo.release(), path);
}

Result<GitRepo> GitRepo::init_bare(const std::string& path, const std::string& default_branch) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
    return fail(errors::conflict("Repository already exists"));
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  // MKPATH creates missing parents; NO_REINIT refuses a repository created meanwhile.
  opts.flags =
      GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
  opts.initial_head = default_branch.c_str();
  RepoPtr repo;
  int rc = git_repository_init_ext(into(repo), path.c_str(), &opts);
  if (rc == GIT_EEXISTS) return fail(errors::conflict("Repository already exists"));
  if (rc < 0) return fail(libgit2_failure("Cannot create repository"));
  return GitRepo(repo.release(), path);
}

namespace {
std::atomic<bool> g_durable{false};

// Objects are written without an fsync each (libgit2's per-file fsync made a commit of a
// thousand files take seconds). Instead one syncfs makes every object durable before a ref
// may point at them, and one after makes the ref itself durable.
void flush_filesystem(const std::string& path) {
  if (!g_durable.load(std::memory_order_relaxed)) return;
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

// Flushes after a successful ref write.
Result<void> flushed(Result<void> r, const std::string& path) {
  if (r) flush_filesystem(path);
  return r;
}
}  // namespace

void GitRepo::enable_fsync() { g_durable = true; }

std::size_t GitRepo::remove_stale_locks(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> locks;
  for (const char* name : {"packed-refs.lock", "HEAD.lock"})
    locks.emplace_back(fs::path(path) / name);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(fs::path(path) / "refs", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".lock") locks.push_back(it->path());
  }
  std::size_t removed = 0;
  for (const auto& lock : locks) removed += fs::remove(lock, ec) ? 1 : 0;
  return removed;
}

// ---- Refs --------------------------------------------------------------------------------

Result<std::string> GitRepo::resolve_revision(const std::string& rev) const {
  if (rev.empty() || has_revspec_syntax(rev)) return fail(errors::revision_not_found(rev));
  if (rev == "HEAD") {
    if (auto sha = ref_target("refs/heads/" + default_branch())) return *sha;
    return fail(errors::revision_not_found(rev));
  }
  if (rev.starts_with("refs/")) {
    if (auto sha = ref_target(rev)) return *sha;
    return fail(errors::revision_not_found(rev));
  }
  // Branches before tags before shas: a branch named like a sha prefix still wins.
  for (std::string_view prefix : {"refs/heads/", "refs/tags/"}) {
    if (auto sha = ref_target(std::string(prefix) + rev)) return *sha;
  }
  if (auto sha = commit_by_hex(repo_, rev)) return *sha;
  return fail(errors::revision_not_found(rev));
}

std::optional<std::string> GitRepo::ref_target(const std::string& full_ref) const {
  RefPtr ref;
  if (git_reference_lookup(into(ref), repo_, full_ref.c_str()) != 0) return std::nullopt;
  ObjectPtr commit;
  if (git_reference_peel(into(commit), ref.get(), GIT_OBJECT_COMMIT) != 0) return std::nullopt;
  return to_hex(*git_object_id(commit.get()));
}

std::vector<RefInfo> GitRepo::list_refs() const {
  std::vector<RefInfo> refs;
  RefIterPtr it;
  if (git_reference_iterator_new(into(it), repo_) < 0) return refs;
  const char* name = nullptr;
  while (git_reference_next_name(&name, it.get()) == 0) {
    std::string full(name);
    if (!full.starts_with("refs/")) continue;
    // Refs that do not peel to a commit (e.g. a tag of a blob) are not revisions.
    if (auto sha = ref_target(full)) refs.push_back({std::move(full), std::move(*sha)});
  }
  std::ranges::sort(refs, {}, &RefInfo::name);
  return refs;
}

std::string GitRepo::default_branch() const {
  // HEAD is read as a symbolic ref, not resolved, so this works before the first commit.
  RefPtr head;
  if (git_reference_lookup(into(head), repo_, "HEAD") != 0) return "";
  const char* target = git_reference_symbolic_target(head.get());
  if (target == nullptr) return "";
  std::string_view branch = target;
  if (branch.starts_with("refs/heads/"))
    branch.remove_prefix(std::string_view("refs/heads/").size());
  return std::string(branch);
}

Result<void> GitRepo::update_ref(const std::string& full_ref, const std::string& new_sha,
                                 const std::string& expected_old, const std::string& log_message) {
  CommitPtr target = WHARF_TRY(lookup_commit(repo_, new_sha));
  flush_filesystem(path_);
  RefPtr ref;
  if (expected_old.empty()) {
    int rc = git_reference_create(into(ref), repo_, full_ref.c_str(), git_commit_id(target.get()),
                                  0, log_message.c_str());
    return flushed(ref_write_result(rc, "Cannot create " + full_ref), path_);
  }
  auto old = parse_sha(expected_old);
  if (!old) return fail(errors::precondition_failed());
  // libgit2 compares the current value under the ref's lock, which makes this a real CAS.
  int rc =
      git_reference_create_matching(into(ref), repo_, full_ref.c_str(), git_commit_id(target.get()),
                                    1, &*old, log_message.c_str());
  return flushed(ref_write_result(rc, "Cannot update " + full_ref), path_);
}

Result<void> GitRepo::create_ref(const std::string& full_ref, const std::string& sha) {
  CommitPtr target = WHARF_TRY(lookup_commit(repo_, sha));
  flush_filesystem(path_);
  RefPtr ref;
  int rc = git_reference_create(into(ref), repo_, full_ref.c_str(), git_commit_id(target.get()), 0,
                                nullptr);
  if (rc == GIT_EEXISTS || rc == GIT_ELOCKED)
    return fail(errors::conflict("Reference already exists"));
  return flushed(ref_write_result(rc, "Cannot create " + full_ref), path_);
}

Result<void> GitRepo::create_annotated_tag(const std::string& name, const std::string& sha,
                                           const Signature& tagger, const std::string& message) {
  auto oid = parse_sha(sha);
  ObjectPtr target;
  if (!oid || git_object_lookup(into(target), repo_, &*oid, GIT_OBJECT_COMMIT) != 0)
    return fail(errors::revision_not_found(sha));
  SignaturePtr sig = WHARF_TRY(to_git(tagger));
  // The tag object first, made durable, then the ref that names it.
  git_oid tag_id;
  int rc = git_tag_annotation_create(&tag_id, repo_, name.c_str(), target.get(), sig.get(),
                                     message.c_str());
  if (rc == GIT_EINVALIDSPEC) return fail(errors::bad_request("Invalid tag name"));
  if (rc < 0) return fail(libgit2_failure("Cannot create tag " + name));
  flush_filesystem(path_);
  RefPtr ref;
  rc = git_reference_create(into(ref), repo_, ("refs/tags/" + name).c_str(), &tag_id, 0, nullptr);
  if (rc == GIT_EEXISTS || rc == GIT_ELOCKED) return fail(errors::conflict("Tag already exists"));
  if (rc == GIT_EINVALIDSPEC) return fail(errors::bad_request("Invalid tag name"));
  if (rc < 0) return fail(libgit2_failure("Cannot create tag " + name));
  flush_filesystem(path_);
  return {};
}

Result<void> GitRepo::delete_ref(const std::string& full_ref) {
  RefPtr ref;
  int rc = git_reference_lookup(into(ref), repo_, full_ref.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
    return fail(errors::not_found("Reference not found"));
  if (rc < 0) return fail(libgit2_failure("Cannot read " + full_ref));
  rc = git_reference_delete(ref.get());
  // A concurrent writer moved or holds the ref: not deleted, like a failed CAS.
  if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED) return fail(errors::precondition_failed());
  if (rc < 0) return fail(libgit2_failure("Cannot delete " + full_ref));
  flush_filesystem(path_);
  return {};
}

// ---- Objects -----------------------------------------------------------------------------

Result<CommitInfo> GitRepo::read_commit(const std::string& sha) const {
  CommitPtr commit = WHARF_TRY(lookup_commit(repo_, sha));
  return commit_info(commit.get());
}

Result<std::vector<TreeEntry>> GitRepo::list_tree(const std::string& commit, const std::string& dir,
                                                  bool recursive) const {
  CommitPtr c = WHARF_TRY(lookup_commit(repo_, commit));
  TreePtr root = WHARF_TRY(tree_of(c.get()));
  TreePtr listed;
  if (dir.empty()) {
    listed = std::move(root);
  } else {
    TreeEntryPtr entry = WHARF_TRY(entry_at(root.get(), dir));
    if (!entry || git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
      return fail(errors::entry_not_found());
    if (git_tree_lookup(into(listed), repo_, git_tree_entry_id(entry.get())) < 0)
      return fail(libgit2_failure("Cannot read tree " + dir));
  }
  OdbPtr odb = WHARF_TRY(odb_of(repo_));
  std::vector<TreeEntry> out;
  WHARF_TRY_VOID(append_children(repo_, odb.get(), listed.get(), dir, recursive, out));
  return out;
}

Result<std::optional<TreeEntry>> GitRepo::stat(const std::string& commit,
                                               const std::string& path) const {
  CommitPtr c = WHARF_TRY(lookup_commit(repo_, commit));
  TreePtr root = WHARF_TRY(tree_of(c.get()));
  if (path.empty()) {
    return TreeEntry{"", EntryType::Directory, to_hex(*git_tree_id(root.get())), 0, kDirectoryMode};
  }
  TreeEntryPtr entry = WHARF_TRY(entry_at(root.get(), path));
  if (!entry || !is_listed(entry.get())) return std::nullopt;
  OdbPtr odb = WHARF_TRY(odb_of(repo_));
  return WHARF_TRY(make_entry(odb.get(), entry.get(), path));
}

Result<std::string> GitRepo::read_blob(const std::string& oid) const {
  auto id = parse_sha(oid);
  if (!id) return fail(errors::entry_not_found());
  BlobPtr blob;
  int rc = git_blob_lookup(into(blob), repo_, &*id);
  if (rc == GIT_ENOTFOUND) return fail(errors::entry_not_found());
  if (rc < 0) return fail(libgit2_failure("Cannot read blob " + oid));
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
}

Result<std::string> GitRepo::write_blob(std::string_view content) {
  git_oid id;
  if (git_blob_create_from_buffer(&id, repo_, content.data(), content.size()) < 0)
    return fail(libgit2_failure("Cannot write blob"));
  return to_hex(id);
}

std::string GitRepo::hash_blob(std::string_view content) {
  git_oid id;
  // Hashing a buffer in memory only fails on allocation failure.
  if (git_odb_hash(&id, content.empty() ? "" : content.data(), content.size(), GIT_OBJECT_BLOB) < 0)
    return "";
  return to_hex(id);
}

Result<std::string> GitRepo::commit_edits(const std::string& parent,
                                          const std::vector<TreeEdit>& edits,
                                          const Signature& author, const std::string& message) {
  std::vector<CommitPtr> parents;
  IndexPtr index;
  if (git_index_new(into(index)) < 0) return fail(libgit2_failure("Cannot create index"));
  if (!parent.empty()) {
    parents.push_back(WHARF_TRY(lookup_commit(repo_, parent)));
    TreePtr base = WHARF_TRY(tree_of(parents.front().get()));
    if (git_index_read_tree(index.get(), base.get()) < 0)
      return fail(libgit2_failure("Cannot read tree of " + parent));
  }
  OdbPtr odb = WHARF_TRY(odb_of(repo_));
  for (const TreeEdit& edit : edits) WHARF_TRY_VOID(apply_edit(odb.get(), index.get(), edit));
  git_oid tree_id;
  TreePtr tree;
  if (git_index_write_tree_to(&tree_id, index.get(), repo_) < 0 ||
      git_tree_lookup(into(tree), repo_, &tree_id) < 0)
    return fail(libgit2_failure("Cannot write tree"));
  return create_commit(repo_, tree.get(), parents, author, message);
}

Result<std::string> GitRepo::write_commit(const std::string& tree,
                                          const std::vector<std::string>& parents,
                                          const Signature& author, const std::string& message) {
  auto tree_id = parse_sha(tree);
  TreePtr t;
  if (!tree_id || git_tree_lookup(into(t), repo_, &*tree_id) < 0)
    return fail(errors::internal("Tree " + tree + " does not exist"));
  std::vector<CommitPtr> parent_commits;
  for (const std::string& p : parents) parent_commits.push_back(WHARF_TRY(lookup_commit(repo_, p)));
  return create_commit(repo_, t.get(), parent_commits, author, message);
}

// ---- History -----------------------------------------------------------------------------

Result<std::vector<CommitInfo>> GitRepo::log(const std::string& head, std::size_t offset,
                                             std::size_t limit) const {
  RevwalkPtr walk = WHARF_TRY(walk_from(repo_, head, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME));
  std::vector<CommitInfo> out;
  git_oid id;
  for (std::size_t seen = 0; out.size() < limit; ++seen) {
    int rc = git_revwalk_next(&id, walk.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return fail(libgit2_failure("Cannot walk history"));
    if (seen < offset) continue;
    CommitPtr commit;
    if (git_commit_lookup(into(commit), repo_, &id) < 0)
      return fail(libgit2_failure("Cannot read commit " + to_hex(id)));
    out.push_back(commit_info(commit.get()));
  }
  return out;
}

Result<std::size_t> GitRepo::count_commits(const std::string& head) const {
  RevwalkPtr walk = WHARF_TRY(walk_from(repo_, head, GIT_SORT_NONE));
  std::size_t count = 0;
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk.get())) == 0) ++count;
  if (rc != GIT_ITEROVER) return fail(libgit2_failure("Cannot walk history"));
  return count;
}

Result<std::map<std::string, CommitInfo>> GitRepo::last_commits(
    const std::string& head, const std::vector<std::string>& paths, std::size_t max_walk) const {
  RevwalkPtr walk = WHARF_TRY(walk_from(repo_, head, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME));
  std::set<std::string> pending(paths.begin(), paths.end());
  std::map<std::string, CommitInfo> found;
  git_oid id;
  for (std::size_t walked = 0; !pending.empty() && walked < max_walk; ++walked) {
    int rc = git_revwalk_next(&id, walk.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) return fail(libgit2_failure("Cannot walk history"));
    CommitPtr commit;
    if (git_commit_lookup(into(commit), repo_, &id) < 0)
      return fail(libgit2_failure("Cannot read commit " + to_hex(id)));
    TreePtr tree = WHARF_TRY(tree_of(commit.get()));
    TreePtr parent_tree;  // stays null for a root commit: it changed everything it has
    if (git_commit_parentcount(commit.get()) > 0) {
      CommitPtr parent;
      if (git_commit_parent(into(parent), commit.get(), 0) < 0)
        return fail(libgit2_failure("Cannot read parent of " + to_hex(id)));
      parent_tree = WHARF_TRY(tree_of(parent.get()));
      if (git_oid_equal(git_tree_id(tree.get()), git_tree_id(parent_tree.get()))) continue;
    }
    std::optional<CommitInfo> info;  // built once, only if this commit changed something
    for (auto it = pending.begin(); it != pending.end();) {
      auto mine = WHARF_TRY(entry_oid(tree.get(), *it));
      std::optional<git_oid> theirs;
      if (mine && parent_tree) theirs = WHARF_TRY(entry_oid(parent_tree.get(), *it));
      if (!mine || (theirs && git_oid_equal(&*mine, &*theirs))) {
        ++it;
        continue;
      }
      if (!info) info = commit_info(commit.get());
      found.emplace(*it, *info);
      it = pending.erase(it);
    }
  }
  return found;
}

}  // namespace wharf::storage
