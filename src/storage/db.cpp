#include "storage/db.h"

#include <sqlite3.h>

#include <iterator>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace wharf::storage {
namespace {

// Migration i takes the schema from version i to i + 1 (PRAGMA user_version). Never edit one
// that has shipped; append a new one.
//
// DDL is per engine (PostgreSQL gets its own list); the statements in the methods below stay
// portable. AUTOINCREMENT keeps ids from being reused after a delete: a repo id may name
// things outside the database (LFS records of deleted repos, storage shards).
// lfs_uploads has no foreign key on purpose: when a repo is deleted its rows move to
// repo_id 0 (pending), so that garbage collection still finds the objects it held.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  fullname TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  is_admin INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);
CREATE TABLE repos (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  object_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  namespace TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  private INTEGER NOT NULL DEFAULT 0,
  gated TEXT NOT NULL DEFAULT '',
  sdk TEXT NOT NULL DEFAULT '',
  default_branch TEXT NOT NULL DEFAULT 'main',
  created_at INTEGER NOT NULL,
  last_modified INTEGER NOT NULL,
  sha TEXT NOT NULL DEFAULT '',
  card_data TEXT NOT NULL DEFAULT '',
  downloads INTEGER NOT NULL DEFAULT 0,
  likes INTEGER NOT NULL DEFAULT 0,
  UNIQUE (type, namespace, name)
);
CREATE TABLE repo_redirects (
  type TEXT NOT NULL,
  namespace TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
  PRIMARY KEY (type, namespace, name)
);
CREATE INDEX repo_redirects_repo ON repo_redirects (repo_id);
CREATE TABLE lfs_uploads (
  repo_id INTEGER NOT NULL,
  oid TEXT NOT NULL,
  size INTEGER NOT NULL,
  committed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (repo_id, oid)
);
CREATE INDEX lfs_uploads_oid ON lfs_uploads (oid);
CREATE TABLE multipart_uploads (
  id TEXT PRIMARY KEY,
  repo_id INTEGER NOT NULL,
  oid TEXT NOT NULL,
  size INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX multipart_uploads_repo ON multipart_uploads (repo_id);
)sql",
};
constexpr int64_t kSchemaVersion = std::size(kMigrations);

// The repo_id that LFS records of deleted repos move to (real ids start at 1).
constexpr int64_t kNoRepo = 0;

#define USER_COLUMNS "id, name, fullname, email, is_admin, created_at"
#define TOKEN_COLUMNS "id, user_id, name, role, hash, created_at"
#define REPO_COLUMNS                                                                        \
  "id, object_id, type, namespace, name, private, gated, sdk, default_branch, created_at, " \
  "last_modified, sha, card_data, downloads, likes"
#define MULTIPART_COLUMNS "id, repo_id, oid, size, chunk_size, created_at"

Error sqlite_error(sqlite3* db, std::string_view what) {
  return errors::internal("database: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

// A prepared statement. Bind failures are remembered and reported by the next step, so
// that callers check one result.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  template <typename T>
  void bind(int index, const T& value) {
    int rc;
    if constexpr (std::is_integral_v<T>) {
      rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
    } else {
      std::string_view text(value);
      rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
    }
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  // True when a row is available, false when the statement is done. A constraint
  // violation (unique key, foreign key) is a Conflict; callers give it a better message.
  Result<bool> step() {
    if (bind_rc_ != SQLITE_OK) {
      return fail(errors::internal(std::string("database: bind: ") + sqlite3_errstr(bind_rc_)));
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      return fail(errors::conflict(std::string("Conflict: ") + sqlite3_errmsg(db_)));
    }
    return fail(sqlite_error(db_, sqlite3_sql(stmt_)));
  }

  int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// A statement in use. Resetting it on destruction ends its read transaction, which would
// otherwise keep the WAL from being checkpointed.
class Cursor {
 public:
  explicit Cursor(Stmt& stmt) : stmt_(&stmt) {}
  Cursor(Cursor&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)) {}
  Cursor& operator=(Cursor&&) = delete;
  ~Cursor() {
    if (stmt_) stmt_->reset();
  }
  Result<bool> next() { return stmt_->step(); }
  int64_t int64(int col) const { return stmt_->int64(col); }
  std::string text(int col) const { return stmt_->text(col); }

 private:
  Stmt* stmt_;
};

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

UserRow read_user(const Cursor& c) {
  return {c.int64(0), c.text(1), c.text(2), c.text(3), c.int64(4) != 0, c.int64(5)};
}

TokenRow read_token(const Cursor& c) {
  return {c.int64(0), c.int64(1), c.text(2), c.text(3), c.text(4), c.int64(5)};
}

RepoRow read_repo(const Cursor& c) {
  RepoRow r;
  r.id = c.int64(0);
  r.object_id = c.text(1);
  r.type = c.text(2);
  r.ns = c.text(3);
  r.name = c.text(4);
  r.is_private = c.int64(5) != 0;
  r.gated = c.text(6);
  r.sdk = c.text(7);
  r.default_branch = c.text(8);
  r.created_ms = c.int64(9);
  r.last_modified_ms = c.int64(10);
  r.sha = c.text(11);
  r.card_data = c.text(12);
  r.downloads = c.int64(13);
  r.likes = c.int64(14);
  return r;
}

MultipartUploadRow read_multipart(const Cursor& c) {
  return {c.text(0), c.int64(1), c.text(2), c.int64(3), c.int64(4), c.int64(5)};
}

int64_t read_int(const Cursor& c) { return c.int64(0); }
std::string read_text(const Cursor& c) { return c.text(0); }

template <typename T>
Result<T> with_conflict_message(Result<T> r, std::string message) {
  if (!r && r.error().status == 409) r.error().message = std::move(message);
  return r;
}

// For statements that always yield a row (INSERT ... RETURNING, COUNT).
template <typename T>
Result<T> required(Result<std::optional<T>> r) {
  if (!r) return fail(std::move(r.error()));
  if (!*r) return fail(errors::internal("database: statement returned no row"));
  return std::move(**r);
}

}  // namespace

struct Db::Impl {
  explicit Impl(sqlite3* handle) : db(handle) {}

  std::mutex mu;
  std::unique_ptr<sqlite3, SqliteCloser> db;
  // Declared after `db`: statements are finalized before the connection closes.
  std::unordered_map<std::string_view, std::unique_ptr<Stmt>> statements;

  // Prepares (once; `sql` must be a string literal, it keys the cache) and binds `args`.
  template <typename... A>
  Result<Cursor> query(std::string_view sql, const A&... args) {
    auto it = statements.find(sql);
    if (it == statements.end()) {
      sqlite3_stmt* raw = nullptr;
      int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      if (rc != SQLITE_OK) return fail(sqlite_error(db.get(), sql));
      it = statements.emplace(sql, std::make_unique<Stmt>(db.get(), raw)).first;
    }
    Stmt& stmt = *it->second;
    int index = 0;
    (stmt.bind(++index, args), ...);
    return Cursor(stmt);
  }

  // Runs a statement to completion.
  template <typename... A>
  Result<void> exec(std::string_view sql, const A&... args) {
    auto cursor = WHARF_TRY(query(sql, args...));
    while (WHARF_TRY(cursor.next())) {
    }
    return {};
  }

  // The first row read by `read`, if any; the statement is run to completion, so that a
  // write with RETURNING is finished before the caller commits.
  template <typename Read, typename... A>
  auto one(Read read, std::string_view sql, const A&... args)
      -> Result<std::optional<decltype(read(std::declval<const Cursor&>()))>> {
    auto cursor = WHARF_TRY(query(sql, args...));
    std::optional<decltype(read(cursor))> row;
    while (WHARF_TRY(cursor.next())) {
      if (!row) row = read(cursor);
    }
    return row;
  }

  template <typename Read, typename... A>
  auto all(Read read, std::string_view sql, const A&... args)
      -> Result<std::vector<decltype(read(std::declval<const Cursor&>()))>> {
    auto cursor = WHARF_TRY(query(sql, args...));
    std::vector<decltype(read(cursor))> rows;
    while (WHARF_TRY(cursor.next())) rows.push_back(read(cursor));
    return rows;
  }

  // Several statements without parameters (PRAGMAs, migrations).
  Result<void> script(const std::string& sql) {
    if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return fail(sqlite_error(db.get(), "script"));
    }
    return {};
  }

  std::unique_lock<std::mutex> lock() { return std::unique_lock(mu); }

  // BEGIN IMMEDIATE takes the write lock up front, so that two writers never deadlock
  // upgrading read transactions. Rolls back unless committed.
  class Transaction {
   public:
    explicit Transaction(Impl& impl) : impl_(&impl) {}
    Transaction(Transaction&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction() {
      // Nothing is left to do when ROLLBACK fails: SQLite has then already rolled back.
      if (impl_) (void)impl_->exec("ROLLBACK");
    }
    Result<void> commit() {
      WHARF_TRY_VOID(impl_->exec("COMMIT"));
      impl_ = nullptr;
      return {};
    }

   private:
    Impl* impl_;
  };

  Result<Transaction> begin() {
    WHARF_TRY_VOID(exec("BEGIN IMMEDIATE"));
    return Transaction(*this);
  }

  // Applies pending migrations, each in its own transaction. The version is read inside
  // the transaction, so two processes opening a new data dir at once do not both migrate.
  Result<void> migrate() {
    for (;;) {
      auto tx = WHARF_TRY(begin());
      int64_t version = WHARF_TRY(required(one(read_int, "PRAGMA user_version")));
      if (version == kSchemaVersion) return {};
      if (version < 0 || version > kSchemaVersion) {
        return fail(errors::internal("database schema version " + std::to_string(version) +
                                     " is not supported by this wharf (latest " +
                                     std::to_string(kSchemaVersion) + ")"));
      }
      WHARF_TRY_VOID(script(kMigrations[version]));
      WHARF_TRY_VOID(script("PRAGMA user_version = " + std::to_string(version + 1)));
      WHARF_TRY_VOID(tx.commit());
    }
  }
};

Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  auto impl = std::make_unique<Impl>(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    return fail(errors::internal("database: cannot open " + path + ": " +
                                 (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  // synchronous=FULL: a commit the API acknowledged survives power loss, not only a crash.
  WHARF_TRY_VOID(impl->script(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"));
  WHARF_TRY_VOID(impl->migrate());
  return std::unique_ptr<Db>(new Db(std::move(impl)));
}

Db::Db(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Db::~Db() = default;

// --- settings ---

Result<std::optional<std::string>> Db::get_setting(const std::string& key) {
  auto lock = impl_->lock();
  return impl_->one(read_text, "SELECT value FROM settings WHERE key = ?", key);
}

Result<void> Db::put_setting(const std::string& key, const std::string& value) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key, value);
}

// --- users and tokens ---

Result<UserRow> Db::create_user(const std::string& name, const std::string& fullname,
                                const std::string& email, bool is_admin, int64_t now_ms) {
  auto lock = impl_->lock();
  return with_conflict_message(
      required(impl_->one(read_user,
                          "INSERT INTO users (name, fullname, email, is_admin, created_at) "
                          "VALUES (?, ?, ?, ?, ?) RETURNING " USER_COLUMNS,
                          name, fullname, email, is_admin, now_ms)),
      "User name '" + name + "' is already taken");
}

Result<std::optional<UserRow>> Db::find_user(const std::string& name) {
  auto lock = impl_->lock();
  return impl_->one(read_user, "SELECT " USER_COLUMNS " FROM users WHERE name = ?", name);
}

Result<std::optional<UserRow>> Db::find_user_by_id(int64_t id) {
  auto lock = impl_->lock();
  return impl_->one(read_user, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", id);
}

Result<int64_t> Db::count_users() {
  auto lock = impl_->lock();
  return required(impl_->one(read_int, "SELECT COUNT(*) FROM users"));
}

Result<TokenRow> Db::create_token(int64_t user_id, const std::string& name, const std::string& role,
                                  const std::string& hash, int64_t now_ms) {
  auto lock = impl_->lock();
  // Checked first so that a missing user is told apart from a duplicate hash.
  auto user = WHARF_TRY(impl_->one(read_int, "SELECT id FROM users WHERE id = ?", user_id));
  if (!user) return fail(errors::not_found("User not found"));
  return with_conflict_message(
      required(impl_->one(read_token,
                          "INSERT INTO tokens (user_id, name, role, hash, created_at) "
                          "VALUES (?, ?, ?, ?, ?) RETURNING " TOKEN_COLUMNS,
                          user_id, name, role, hash, now_ms)),
      "A token with this secret already exists");
}

Result<std::optional<TokenRow>> Db::find_token_by_hash(const std::string& hash) {
  auto lock = impl_->lock();
  return impl_->one(read_token, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE hash = ?", hash);
}

// --- repositories ---

Result<RepoRow> Db::insert_repo(const RepoRow& row) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto inserted = WHARF_TRY(with_conflict_message(
      required(
          impl_->one(read_repo,
                     "INSERT INTO repos (object_id, type, namespace, name, private, gated, sdk, "
                     "default_branch, created_at, last_modified, sha, card_data, downloads, likes) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " REPO_COLUMNS,
                     row.object_id, row.type, row.ns, row.name, row.is_private, row.gated, row.sdk,
                     row.default_branch, row.created_ms, row.last_modified_ms, row.sha,
                     row.card_data, row.downloads, row.likes)),
      "Repository " + row.ns + "/" + row.name + " already exists"));
  // The new repo owns its name: an old name of another repo no longer redirects.
  WHARF_TRY_VOID(
      impl_->exec("DELETE FROM repo_redirects WHERE type = ? AND namespace = ? AND name = ?",
                  row.type, row.ns, row.name));
  WHARF_TRY_VOID(tx.commit());
  return inserted;
}

Result<std::optional<RepoRow>> Db::find_repo(const std::string& type, const std::string& ns,
                                             const std::string& name) {
  auto lock = impl_->lock();
  return impl_->one(
      read_repo, "SELECT " REPO_COLUMNS " FROM repos WHERE type = ? AND namespace = ? AND name = ?",
      type, ns, name);
}

Result<std::vector<RepoRow>> Db::list_repos() {
  auto lock = impl_->lock();
  return impl_->all(read_repo, "SELECT " REPO_COLUMNS " FROM repos ORDER BY id");
}

Result<void> Db::delete_repo(int64_t repo_id) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  // The repo's LFS records become pending records of no repo, so that garbage collection
  // reclaims what no other repo committed. (repo_id 0, oid) is a key: merge into it first.
  WHARF_TRY_VOID(
      impl_->exec("DELETE FROM lfs_uploads WHERE repo_id = ? AND oid IN "
                  "(SELECT oid FROM lfs_uploads WHERE repo_id = ?)",
                  repo_id, kNoRepo));
  WHARF_TRY_VOID(impl_->exec("UPDATE lfs_uploads SET repo_id = ?, committed = 0 WHERE repo_id = ?",
                             kNoRepo, repo_id));
  WHARF_TRY_VOID(impl_->exec("DELETE FROM multipart_uploads WHERE repo_id = ?", repo_id));
  // Redirects go with the row (ON DELETE CASCADE).
  WHARF_TRY_VOID(impl_->exec("DELETE FROM repos WHERE id = ?", repo_id));
  return tx.commit();
}

Result<void> Db::rename_repo(int64_t repo_id, const std::string& new_ns,
                             const std::string& new_name) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto old =
      WHARF_TRY(impl_->one(read_repo, "SELECT " REPO_COLUMNS " FROM repos WHERE id = ?", repo_id));
  if (!old) return fail(errors::not_found("Repository not found"));
  WHARF_TRY_VOID(
      impl_->exec("INSERT INTO repo_redirects (type, namespace, name, repo_id) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (type, namespace, name) DO UPDATE SET repo_id = excluded.repo_id",
                  old->type, old->ns, old->name, repo_id));
  WHARF_TRY_VOID(
      with_conflict_message(impl_->exec("UPDATE repos SET namespace = ?, name = ? WHERE id = ?",
                                        new_ns, new_name, repo_id),
                            "Repository " + new_ns + "/" + new_name + " already exists"));
  // Deleted after the insert above, so that a change of case only leaves no self-redirect.
  WHARF_TRY_VOID(
      impl_->exec("DELETE FROM repo_redirects WHERE type = ? AND namespace = ? AND name = ?",
                  old->type, new_ns, new_name));
  return tx.commit();
}

Result<std::optional<RepoRow>> Db::find_redirect(const std::string& type, const std::string& ns,
                                                 const std::string& name) {
  auto lock = impl_->lock();
  return impl_->one(read_repo,
                    "SELECT " REPO_COLUMNS
                    " FROM repos WHERE id = (SELECT repo_id FROM repo_redirects"
                    " WHERE type = ? AND namespace = ? AND name = ?)",
                    type, ns, name);
}

Result<std::vector<RepoName>> Db::redirects_of(int64_t repo_id) {
  auto lock = impl_->lock();
  return impl_->all([](const Cursor& c) { return RepoName{c.text(0), c.text(1), c.text(2)}; },
                    "SELECT type, namespace, name FROM repo_redirects WHERE repo_id = ?", repo_id);
}

Result<void> Db::update_repo_settings(int64_t repo_id, bool is_private, const std::string& gated) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE repos SET private = ?, gated = ? WHERE id = ?", is_private, gated,
                     repo_id);
}

Result<void> Db::update_repo_index(int64_t repo_id, const std::string& sha,
                                   int64_t last_modified_ms, const std::string& card_data) {
  auto lock = impl_->lock();
  return impl_->exec("UPDATE repos SET sha = ?, last_modified = ?, card_data = ? WHERE id = ?", sha,
                     last_modified_ms, card_data, repo_id);
}

// --- LFS objects ---

Result<void> Db::record_lfs_upload(int64_t repo_id, const std::string& oid, int64_t size,
                                   int64_t now_ms) {
  auto lock = impl_->lock();
  // A new upload of a pending object restarts its grace period; `committed` is kept.
  return impl_->exec(
      "INSERT INTO lfs_uploads (repo_id, oid, size, committed, created_at) "
      "VALUES (?, ?, ?, 0, ?) "
      "ON CONFLICT (repo_id, oid) DO UPDATE SET size = excluded.size, "
      "created_at = excluded.created_at",
      repo_id, oid, size, now_ms);
}

Result<void> Db::mark_lfs_committed(int64_t repo_id, const std::string& oid) {
  auto lock = impl_->lock();
  // Creates the record when this repo never uploaded the object (it was already stored for
  // another repo): without it, that repo's pending record could get the object collected.
  return impl_->exec(
      "INSERT INTO lfs_uploads (repo_id, oid, size, committed, created_at) "
      "SELECT ?, ?, COALESCE(MAX(size), 0), 1, COALESCE(MAX(created_at), 0) "
      "FROM lfs_uploads WHERE oid = ? "
      "ON CONFLICT (repo_id, oid) DO UPDATE SET committed = 1",
      repo_id, oid, oid);
}

Result<bool> Db::repo_has_lfs(int64_t repo_id, const std::string& oid) {
  auto lock = impl_->lock();
  auto found = WHARF_TRY(impl_->one(
      read_int, "SELECT 1 FROM lfs_uploads WHERE repo_id = ? AND oid = ?", repo_id, oid));
  return found.has_value();
}

Result<std::vector<std::string>> Db::orphan_lfs_objects(int64_t before_ms) {
  auto lock = impl_->lock();
  return impl_->all(read_text,
                    "SELECT oid FROM lfs_uploads GROUP BY oid "
                    "HAVING MAX(committed) = 0 AND MAX(created_at) < ? ORDER BY oid",
                    before_ms);
}

Result<void> Db::forget_lfs(const std::string& oid) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM lfs_uploads WHERE oid = ?", oid);
}

// --- multipart uploads ---

Result<void> Db::insert_multipart(const MultipartUploadRow& row) {
  auto lock = impl_->lock();
  return with_conflict_message(
      impl_->exec("INSERT INTO multipart_uploads (" MULTIPART_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)",
                  row.id, row.repo_id, row.oid, row.size, row.chunk_size, row.created_ms),
      "Multipart upload " + row.id + " already exists");
}

Result<std::optional<MultipartUploadRow>> Db::find_multipart(const std::string& id) {
  auto lock = impl_->lock();
  return impl_->one(read_multipart,
                    "SELECT " MULTIPART_COLUMNS " FROM multipart_uploads WHERE id = ?", id);
}

Result<void> Db::delete_multipart(const std::string& id) {
  auto lock = impl_->lock();
  return impl_->exec("DELETE FROM multipart_uploads WHERE id = ?", id);
}

}  // namespace wharf::storage
