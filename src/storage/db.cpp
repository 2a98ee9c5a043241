#include "storage/db.h"

#include <iterator>

#include "storage/db_internal.h"

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
    // Accounts and access (issue 4). users holds organizations too (kind 'org'): users and
    // organizations share one namespace. A token's role is read, write or fineGrained; a
    // fine-grained token's rights are its rows in token_scopes. Times are ms; 0 is "never".
    R"sql(
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'user';
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN tier TEXT NOT NULL DEFAULT 'free';
ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repos ADD COLUMN created_by INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE) WHERE email <> '';
CREATE TABLE token_scopes (
  token_id INTEGER NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
  entity_type TEXT NOT NULL,
  entity TEXT NOT NULL COLLATE NOCASE,
  permissions TEXT NOT NULL,
  PRIMARY KEY (token_id, entity_type, entity)
);
CREATE TABLE memberships (
  org_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE access_requests (
  repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (repo_id, user_id)
);
CREATE INDEX access_requests_status ON access_requests (repo_id, status);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  namespace TEXT NOT NULL COLLATE NOCASE,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL,
  ip TEXT NOT NULL
);
CREATE INDEX audit_log_namespace ON audit_log (namespace, id);
)sql",
    // Discovery (issue 5): what the indexer derives from the card and files, the counters,
    // likes, and downloads per day (the 30-day window and the trending score are computed
    // from them). Search itself runs on the in-memory catalog (hub/catalog) loaded from repos.
    // Synthetic rows come from `wharf admin generate-catalog` and have no git repository.
    R"sql(
ALTER TABLE repos ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE repos ADD COLUMN pipeline_tag TEXT NOT NULL DEFAULT '';
ALTER TABLE repos ADD COLUMN library_name TEXT NOT NULL DEFAULT '';
ALTER TABLE repos ADD COLUMN config TEXT NOT NULL DEFAULT '';
ALTER TABLE repos ADD COLUMN downloads_all_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repos ADD COLUMN trending_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE repos ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;
CREATE INDEX repos_trending ON repos (trending_score) WHERE trending_score <> 0;
CREATE TABLE likes (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, repo_id)
);
CREATE INDEX likes_repo ON likes (repo_id, created_at);
CREATE INDEX likes_recent ON likes (created_at);
CREATE TABLE download_days (
  repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
  day INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (repo_id, day)
);
CREATE INDEX download_days_day ON download_days (day);
CREATE INDEX download_days_repo ON download_days (repo_id, day, count);
)sql",
    // Discussions (issue 7, spec §12): numbered per repo from 1; their events (comments,
    // status and title changes, commits of pull requests) in order; every version of a
    // comment's text, the last one current. A deleted user's rows stay, without author.
    R"sql(
CREATE TABLE discussions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  repo_id INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
  num INTEGER NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  is_pull_request INTEGER NOT NULL DEFAULT 0,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (repo_id, num)
);
CREATE INDEX discussions_author ON discussions (author_id);
CREATE TABLE discussion_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  object_id TEXT NOT NULL UNIQUE,
  discussion_id INTEGER NOT NULL REFERENCES discussions (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL DEFAULT '',
  hidden INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX discussion_events_discussion ON discussion_events (discussion_id, id);
CREATE INDEX discussion_events_author ON discussion_events (author_id);
CREATE TABLE comment_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL REFERENCES discussion_events (id) ON DELETE CASCADE,
  raw TEXT NOT NULL,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comment_versions_event ON comment_versions (event_id, id);
CREATE INDEX comment_versions_author ON comment_versions (author_id);
)sql",
    // Pull requests (issue 7, part 2): the branch a PR goes into, the head of refs/pr/<num>
    // whose commits are already recorded as events, and once merged the merge commit and the
    // commit the diff is taken from. A repo's owner may turn its discussions off.
    R"sql(
ALTER TABLE discussions ADD COLUMN base_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE discussions ADD COLUMN head_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE discussions ADD COLUMN merge_commit TEXT NOT NULL DEFAULT '';
ALTER TABLE discussions ADD COLUMN diff_base TEXT NOT NULL DEFAULT '';
CREATE TABLE discussion_settings (
  repo_id INTEGER PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
  disabled INTEGER NOT NULL DEFAULT 0
);
)sql",
};
constexpr int64_t kSchemaVersion = std::size(kMigrations);

}  // namespace

// Applies pending migrations, each in its own transaction. The version is read inside
// the transaction, so two processes opening a new data dir at once do not both migrate.
Result<void> Db::Impl::migrate() {
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

}  // namespace wharf::storage
