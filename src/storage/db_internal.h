// The parts of the metadata store its .cpp files share: the SQLite statement cache, the
// transaction guard and the row readers. Private to storage/db*.cpp.
#pragma once

#include <sqlite3.h>

#include <mutex>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "storage/db.h"

namespace wharf::storage::db_detail {

// The repo_id that LFS records of deleted repos move to (real ids start at 1).
constexpr int64_t kNoRepo = 0;

#define USER_COLUMNS "id, name, fullname, email, is_admin, created_at, kind, password_hash, disabled, tier"
#define TOKEN_COLUMNS "id, user_id, name, role, hash, created_at, expires_at"
#define REPO_COLUMNS                                                                        \
  "id, object_id, type, namespace, name, private, gated, sdk, default_branch, created_at, " \
  "last_modified, sha, card_data, downloads, likes, created_by, tags, pipeline_tag, "     \
  "library_name, config, downloads_all_time, trending_score, synthetic"
#define MULTIPART_COLUMNS "id, repo_id, oid, size, chunk_size, created_at"

inline Error sqlite_error(sqlite3* db, std::string_view what) {
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

inline UserRow read_user(const Cursor& c) {
  UserRow u;
  u.id = c.int64(0);
  u.name = c.text(1);
  u.fullname = c.text(2);
  u.email = c.text(3);
  u.is_admin = c.int64(4) != 0;
  u.created_ms = c.int64(5);
  u.is_org = c.text(6) == "org";
  u.password_hash = c.text(7);
  u.disabled = c.int64(8) != 0;
  u.tier = c.text(9);
  return u;
}

inline TokenRow read_token(const Cursor& c) {
  TokenRow t;
  t.id = c.int64(0);
  t.user_id = c.int64(1);
  t.name = c.text(2);
  t.role = c.text(3);
  t.hash = c.text(4);
  t.created_ms = c.int64(5);
  t.expires_ms = c.int64(6);
  return t;
}

inline RepoRow read_repo(const Cursor& c) {
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
  r.created_by = c.int64(15);
  r.tags = c.text(16);
  r.pipeline_tag = c.text(17);
  r.library_name = c.text(18);
  r.config = c.text(19);
  r.downloads_all_time = c.int64(20);
  r.trending_score = c.int64(21);
  r.synthetic = c.int64(22) != 0;
  return r;
}

inline MultipartUploadRow read_multipart(const Cursor& c) {
  return {c.text(0), c.int64(1), c.text(2), c.int64(3), c.int64(4), c.int64(5)};
}

inline int64_t read_int(const Cursor& c) { return c.int64(0); }
inline std::string read_text(const Cursor& c) { return c.text(0); }

template <typename T>
inline Result<T> with_conflict_message(Result<T> r, std::string message) {
  if (!r && r.error().status == 409) r.error().message = std::move(message);
  return r;
}

// For statements that always yield a row (INSERT ... RETURNING, COUNT).
template <typename T>
inline Result<T> required(Result<std::optional<T>> r) {
  if (!r) return fail(std::move(r.error()));
  if (!*r) return fail(errors::internal("database: statement returned no row"));
  return std::move(**r);
}

}  // namespace wharf::storage::db_detail

namespace wharf::storage {

using namespace db_detail;

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

  Result<void> migrate();
  // Fills a fine-grained token's scopes. REQUIRES: the lock is held.
  Result<void> load_scopes(TokenRow& token);
};

}  // namespace wharf::storage
