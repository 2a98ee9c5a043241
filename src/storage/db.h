// The metadata store (ARCHITECTURE "storage/db"): SQLite in WAL mode now, PostgreSQL next.
// All SQL of wharf lives under storage/db. Methods are persistence only: no rules, no users'
// rights; they return rows or a 500 error on database failure. Safe from many threads
// (calls are serialized on one connection; each is a short statement).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace wharf::storage {

struct UserRow {
  int64_t id = 0;
  std::string name;
  std::string fullname;
  std::string email;
  bool is_admin = false;
  int64_t created_ms = 0;
};

struct TokenRow {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;        // display name
  std::string role;        // "read" | "write"
  std::string hash;        // sha256 hex of the secret; the secret itself is never stored
  int64_t created_ms = 0;
};

struct RepoRow {
  int64_t id = 0;
  std::string object_id;   // 24 hex, the Hub's _id
  std::string type;        // "model" | "dataset" | "space"
  std::string ns;
  std::string name;
  bool is_private = false;
  std::string gated;       // "" (not gated), "auto" or "manual"
  std::string sdk;         // spaces only
  std::string default_branch = "main";
  int64_t created_ms = 0;
  int64_t last_modified_ms = 0;
  std::string sha;         // last indexed commit of the default branch
  std::string card_data;   // JSON object text of the README front matter, "" when none
  int64_t downloads = 0;
  int64_t likes = 0;
};

// A repository name (an old name, kept as a redirect).
struct RepoName {
  std::string type;
  std::string ns;
  std::string name;
};

struct MultipartUploadRow {
  std::string id;
  int64_t repo_id = 0;
  std::string oid;
  int64_t size = 0;
  int64_t chunk_size = 0;
  int64_t created_ms = 0;
};

class Db {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  static Result<std::unique_ptr<Db>> open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // --- key/value settings (server secret, schema facts) ---
  Result<std::optional<std::string>> get_setting(const std::string& key);
  Result<void> put_setting(const std::string& key, const std::string& value);

  // --- users and tokens ---
  // Conflict (409) when the name is taken (case-insensitively).
  Result<UserRow> create_user(const std::string& name, const std::string& fullname,
                              const std::string& email, bool is_admin, int64_t now_ms);
  Result<std::optional<UserRow>> find_user(const std::string& name);
  Result<std::optional<UserRow>> find_user_by_id(int64_t id);
  Result<int64_t> count_users();
  Result<TokenRow> create_token(int64_t user_id, const std::string& name, const std::string& role,
                                const std::string& hash, int64_t now_ms);
  Result<std::optional<TokenRow>> find_token_by_hash(const std::string& hash);

  // --- repositories ---
  // Inserts a repo; Conflict (409) when (type, ns, name) exists, case-insensitively.
  Result<RepoRow> insert_repo(const RepoRow& row);
  // Case-insensitive lookup of (type, ns, name).
  Result<std::optional<RepoRow>> find_repo(const std::string& type, const std::string& ns,
                                           const std::string& name);
  Result<std::vector<RepoRow>> list_repos();
  // Deletes the repo, its redirects and its multipart uploads. Its LFS records become
  // pending records of no repo, so that orphan_lfs_objects reports the objects no other
  // repo committed (after the grace period of their upload time).
  Result<void> delete_repo(int64_t repo_id);
  // Renames a repo and records the old name as a redirect. Conflict if the target exists.
  Result<void> rename_repo(int64_t repo_id, const std::string& new_ns, const std::string& new_name);
  // The repo an old name now redirects to, if any.
  Result<std::optional<RepoRow>> find_redirect(const std::string& type, const std::string& ns,
                                               const std::string& name);
  // The old names that redirect to `repo_id`.
  Result<std::vector<RepoName>> redirects_of(int64_t repo_id);
  Result<void> update_repo_settings(int64_t repo_id, bool is_private, const std::string& gated);
  // Records what was indexed from git for the default branch.
  Result<void> update_repo_index(int64_t repo_id, const std::string& sha, int64_t last_modified_ms,
                                 const std::string& card_data);

  // --- LFS objects ---
  // Records that `oid` (stored in the blob store) was uploaded for `repo_id`; it stays
  // pending until mark_lfs_committed.
  Result<void> record_lfs_upload(int64_t repo_id, const std::string& oid, int64_t size,
                                 int64_t now_ms);
  // Creates the record when `repo_id` has none (the object was stored for another repo).
  Result<void> mark_lfs_committed(int64_t repo_id, const std::string& oid);
  // Whether `oid` was uploaded to (or committed in) `repo_id`.
  Result<bool> repo_has_lfs(int64_t repo_id, const std::string& oid);
  // Objects whose every upload record is pending and older than `before_ms`, and which no
  // repo committed. Their records are deleted by forget_lfs.
  Result<std::vector<std::string>> orphan_lfs_objects(int64_t before_ms);
  Result<void> forget_lfs(const std::string& oid);

  // --- multipart uploads ---
  Result<void> insert_multipart(const MultipartUploadRow& row);
  Result<std::optional<MultipartUploadRow>> find_multipart(const std::string& id);
  Result<void> delete_multipart(const std::string& id);

 private:
  struct Impl;
  explicit Db(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wharf::storage
