// The metadata store (ARCHITECTURE "storage/db"): SQLite in WAL mode now, PostgreSQL next.
// All SQL of wharf lives under storage/db. Methods are persistence only: no rules, no users'
// rights; they return rows or a 500 error on database failure. Safe from many threads
// (calls are serialized on one connection; each is a short statement).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace wharf::storage {

// A user or an organization: both live in one namespace.
struct UserRow {
  int64_t id = 0;
  std::string name;
  std::string fullname;
  std::string email;
  bool is_admin = false;       // the operator
  int64_t created_ms = 0;
  bool is_org = false;
  std::string password_hash;   // argon2id encoded hash, "" when the user has no password
  bool disabled = false;
  std::string tier = "free";   // rate-limit tier: free, pro, enterprise
};

// What a fine-grained token may do on one repo or one namespace.
struct TokenScope {
  std::string entity_type;               // "namespace" | "model" | "dataset" | "space"
  std::string entity;                    // "ns" or "ns/name"
  std::vector<std::string> permissions;  // e.g. "repo.content.read", "repo.write"
};

struct TokenRow {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;        // display name
  std::string role;        // "read" | "write" | "fineGrained"
  std::string hash;        // sha256 hex of the secret; the secret itself is never stored
  int64_t created_ms = 0;
  int64_t expires_ms = 0;  // 0: never
  std::vector<TokenScope> scopes;  // fine-grained tokens only
};

struct SessionRow {
  std::string hash;        // sha256 hex of the cookie's secret
  int64_t user_id = 0;
  std::string csrf;        // the form token of this session
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
};

struct MemberRow {
  UserRow user;            // the member (or, from orgs_of, the organization)
  std::string role;        // "read" | "contributor" | "write" | "admin"
  int64_t since_ms = 0;
};

struct AccessRequestRow {
  int64_t repo_id = 0;
  UserRow user;
  std::string status;      // "pending" | "accepted" | "rejected"
  std::string fields;      // JSON object text of the form's answers, "" when none
  std::string reason;      // rejection reason
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

struct AuditRow {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;       // user name, "" when anonymous
  std::string ns;          // the namespace acted on ("" for the server as a whole)
  std::string action;      // e.g. "repo.create", "token.revoke", "auth.login_failed"
  std::string target;      // e.g. "model/ns/name", a user name, a token name
  std::string detail;      // JSON object text
  std::string ip;
};

struct RepoCounts {
  int64_t models = 0, datasets = 0, spaces = 0;
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
  int64_t created_by = 0;  // user id of its creator (0: unknown)
  // What the indexer derived from the default branch (hub/card_tags), for search.
  std::string tags = "[]";      // JSON array text of the derived tags
  std::string pipeline_tag;     // "" when none
  std::string library_name;     // "" when none
  std::string config;           // models: JSON object text of config.json's summary, "" when none
  int64_t downloads_all_time = 0;
  int64_t trending_score = 0;
  // A row written by `wharf admin generate-catalog`: metadata only, no git repository.
  bool synthetic = false;
};

// What the indexer derives from a commit besides its card data.
struct RepoDerived {
  std::string tags = "[]";
  std::string pipeline_tag;
  std::string library_name;
  std::string config;
};

// Downloads of one repo counted in memory, written in a batch.
struct DownloadCount {
  int64_t repo_id = 0;
  int64_t count = 0;
};

// The counters of a repo, as the catalog keeps them.
struct RepoCounters {
  int64_t repo_id = 0;
  int64_t downloads = 0;           // the last 30 days
  int64_t downloads_all_time = 0;
  int64_t likes = 0;
  int64_t trending_score = 0;
};

// A like of a repo by a user.
struct LikeRow {
  RepoRow repo;                    // card_data not filled
  UserRow user;
  int64_t created_ms = 0;
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

// A discussion or pull request of a repo (spec §12).
struct DiscussionRow {
  int64_t id = 0;
  int64_t repo_id = 0;
  int64_t num = 0;               // per repo, from 1
  std::string title;
  std::string status;            // "open" | "closed" | "merged" | "draft"
  bool is_pull_request = false;
  int64_t author_id = 0;         // 0 when the author was deleted
  std::string author;            // their name, "" when deleted
  int64_t created_ms = 0;
  // Pull requests only:
  std::string base_ref;          // the branch it goes into, "refs/heads/main"
  std::string head_sha;          // the head of refs/pr/<num> whose commits are recorded
  std::string merge_commit;      // once merged: the commit the base branch moved to
  std::string diff_base;         // once merged: the commit its diff starts from
};

// What a change to a pull request sets, besides its events (empty: unchanged).
struct PullRequestUpdate {
  std::string expected_head;     // the update applies only while head_sha is this
  std::string head_sha;
  std::string status;
  std::string merge_commit;
  std::string diff_base;
};

// One version of a comment's text.
struct CommentVersion {
  std::string raw;
  std::string author;            // "" when deleted
  int64_t created_ms = 0;
};

// An event of a discussion: a comment, a status or title change, a commit.
struct DiscussionEventRow {
  int64_t id = 0;
  std::string object_id;         // 24 hex, the Hub's event id
  int64_t discussion_id = 0;
  std::string type;              // "comment" | "status-change" | "title-change" | "commit"
  int64_t author_id = 0;         // 0 when deleted
  std::string author;
  int64_t created_ms = 0;
  std::string data;              // JSON object text of non-comment events
  bool hidden = false;
  std::vector<CommentVersion> versions;  // comments: oldest first, the last is current
};

// An event to record. Comments carry their text in `comment`, other events `data`.
struct NewDiscussionEvent {
  std::string object_id;
  std::string type;
  int64_t author_id = 0;
  std::string data;
  std::string comment;
};

// Which discussions of a repo to list.
struct DiscussionFilter {
  int is_pull_request = -1;             // -1: both, 0: discussions, 1: pull requests
  std::vector<std::string> statuses;    // at most 2; empty: any
  std::string author;                   // user name; "": anyone
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
  Result<UserRow> create_org(const std::string& name, const std::string& fullname, int64_t now_ms);
  // Users and organizations by name (case-insensitive) or id.
  Result<std::optional<UserRow>> find_user(const std::string& name);
  Result<std::optional<UserRow>> find_user_by_id(int64_t id);
  Result<std::optional<UserRow>> find_user_by_email(const std::string& email);
  Result<std::vector<UserRow>> list_users();  // users and organizations, by name
  Result<int64_t> count_users();
  Result<void> set_password_hash(int64_t user_id, const std::string& hash);
  Result<void> set_user_disabled(int64_t user_id, bool disabled);
  Result<void> set_user_tier(int64_t user_id, const std::string& tier);
  Result<void> set_user_profile(int64_t user_id, const std::string& fullname, const std::string& email);
  // Deletes the user or organization with its tokens, sessions, memberships and requests.
  Result<void> delete_user(int64_t user_id);

  // Scopes are stored with the token (fine-grained tokens).
  Result<TokenRow> create_token(int64_t user_id, const std::string& name, const std::string& role,
                                const std::string& hash, int64_t now_ms, int64_t expires_ms = 0,
                                const std::vector<TokenScope>& scopes = {});
  // With its scopes.
  Result<std::optional<TokenRow>> find_token_by_hash(const std::string& hash);
  Result<std::vector<TokenRow>> list_tokens(int64_t user_id);  // with scopes, newest first
  // Deletes the token if it belongs to `user_id`; false when there is no such token.
  Result<bool> delete_token(int64_t user_id, int64_t token_id);

  // --- web sessions ---
  Result<void> create_session(const SessionRow& row);
  Result<std::optional<SessionRow>> find_session(const std::string& hash);
  Result<void> delete_session(const std::string& hash);
  Result<void> delete_sessions_of(int64_t user_id);
  // Deletes every session of `user_id` but the one whose hash is `keep_hash`.
  Result<void> delete_other_sessions(int64_t user_id, const std::string& keep_hash);
  Result<void> delete_expired_sessions(int64_t now_ms);

  // --- organization memberships ---
  // Adds the member or changes their role.
  Result<void> put_membership(int64_t org_id, int64_t user_id, const std::string& role, int64_t now_ms);
  Result<bool> delete_membership(int64_t org_id, int64_t user_id);
  // The role of `user_id` in the organization named `org` ("" when not a member, or `org`
  // is no organization). One index probe: the access check calls it on every request.
  Result<std::string> role_in(const std::string& org, int64_t user_id);
  Result<std::vector<MemberRow>> list_members(int64_t org_id);  // by name
  Result<std::vector<MemberRow>> orgs_of(int64_t user_id);     // `user` is the org
  Result<int64_t> count_members(int64_t org_id, const std::string& role = "");

  // --- gated access requests ---
  Result<std::optional<AccessRequestRow>> find_access_request(int64_t repo_id, int64_t user_id);
  // Creates or updates the request (created_at stays that of the first request).
  Result<void> put_access_request(int64_t repo_id, int64_t user_id, const std::string& status,
                                  const std::string& fields, const std::string& reason, int64_t now_ms);
  // Oldest first; `after_ms` and `limit` page through them.
  Result<std::vector<AccessRequestRow>> list_access_requests(int64_t repo_id, const std::string& status,
                                                             int64_t offset, int64_t limit);

  // --- audit log ---
  Result<void> append_audit(const AuditRow& row);
  // Newest first. `ns` "" lists every namespace; `before_id` 0 starts at the newest.
  Result<std::vector<AuditRow>> list_audit(const std::string& ns, int64_t before_id, int64_t limit);

  // --- repositories ---
  // Inserts a repo; Conflict (409) when (type, ns, name) exists, case-insensitively.
  Result<RepoRow> insert_repo(const RepoRow& row);
  // Case-insensitive lookup of (type, ns, name).
  Result<std::optional<RepoRow>> find_repo(const std::string& type, const std::string& ns,
                                           const std::string& name);
  // Repos that have a git repository (synthetic rows left out), by id.
  Result<std::vector<RepoRow>> list_repos();
  Result<std::optional<RepoRow>> find_repo_by_id(int64_t repo_id);
  // Calls `fn` with every repo row (synthetic ones included), by id, card_data left empty:
  // what the in-memory catalog loads at start-up. The store is locked meanwhile.
  Result<void> for_each_repo(const std::function<void(const RepoRow&)>& fn);
  // Inserts many rows in one transaction (the catalog generator). Ids are assigned.
  Result<void> insert_repos_bulk(const std::vector<RepoRow>& rows);
  Result<std::vector<RepoRow>> list_repos_in(const std::string& ns);  // by type and name
  Result<RepoCounts> count_repos_in(const std::string& ns);
  // Deletes the repo, its redirects, discussions and multipart uploads. Its LFS records become
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
                                 const std::string& card_data, const RepoDerived& derived = {});

  // --- likes and download counters (storage/db_counters.cpp) ---
  // Records the like and bumps repos.likes in one transaction; false when already liked.
  Result<bool> put_like(int64_t user_id, int64_t repo_id, int64_t now_ms);
  // Removes the like and lowers repos.likes; false when there was none.
  Result<bool> delete_like(int64_t user_id, int64_t repo_id);
  Result<bool> has_liked(int64_t user_id, int64_t repo_id);
  // Newest first.
  Result<std::vector<LikeRow>> list_likers(int64_t repo_id, int64_t offset, int64_t limit);
  Result<std::vector<LikeRow>> list_likes_of(int64_t user_id, int64_t offset, int64_t limit);
  // Adds a batch of downloads counted on `day` (days since the epoch, UTC): per-day rows,
  // downloads_all_time, and the 30-day `downloads`, in transactions of a few hundred repos
  // (each repo's counts are written whole). Returns the counters of the repos it changed
  // (repos deleted meanwhile are left out, their counts dropped).
  Result<std::vector<RepoCounters>> add_downloads(const std::vector<DownloadCount>& batch, int64_t day);
  // Moves the 30-day window of `downloads` to end on `day` (the day rows that leave it are
  // subtracted and deleted, each exactly once) and recomputes the trending score of the repos
  // with recent activity, zeroing the others. Returns the counters of the rows it changed.
  // The formula is in db_counters.cpp. Slow at scale (about 4 s of reading for 1.55M repos
  // with 500k day rows in 14 days), holding this connection's lock meanwhile: run it on a
  // connection of its own (a second Db::open of the same file), which leaves the other
  // connections free; its writes are short transactions.
  Result<std::vector<RepoCounters>> recompute_counters(int64_t day, int64_t now_ms);

  // --- discussions (storage/db_discussions.cpp) ---
  // Inserts the discussion (repo_id, title, status, is_pull_request, author_id, created_ms of
  // `row`) with the next number of its repo, and its first events, in one transaction.
  // Returns the row with id and num set.
  Result<DiscussionRow> insert_discussion(const DiscussionRow& row,
                                          const std::vector<NewDiscussionEvent>& events);
  Result<std::optional<DiscussionRow>> find_discussion(int64_t repo_id, int64_t num);
  // Newest (highest number) first.
  Result<std::vector<DiscussionRow>> list_discussions(int64_t repo_id, const DiscussionFilter& filter,
                                                      int64_t offset, int64_t limit);
  Result<int64_t> count_discussions(int64_t repo_id, const DiscussionFilter& filter);
  // Oldest first, comments with their versions.
  Result<std::vector<DiscussionEventRow>> list_discussion_events(int64_t discussion_id);
  Result<std::optional<DiscussionEventRow>> find_discussion_event(int64_t discussion_id,
                                                                  const std::string& object_id);
  // Records `events` and sets the discussion's title or status when given, in one
  // transaction. Returns the ids of the events, in order.
  Result<std::vector<int64_t>> add_discussion_events(int64_t discussion_id,
                                                     const std::vector<NewDiscussionEvent>& events,
                                                     const std::optional<std::string>& new_title,
                                                     const std::optional<std::string>& new_status,
                                                     int64_t now_ms);
  // Adds a version of a comment's text (it becomes the current one).
  Result<void> add_comment_version(int64_t event_id, const std::string& raw, int64_t author_id,
                                   int64_t now_ms);
  Result<void> hide_discussion_event(int64_t event_id);
  // Records `events` and the changes of `update` in one transaction, only when the pull
  // request's head_sha is still update.expected_head. False (nothing written) otherwise.
  Result<bool> update_pull_request(int64_t discussion_id, const PullRequestUpdate& update,
                                   const std::vector<NewDiscussionEvent>& events, int64_t now_ms);
  // Whether the owner turned the repo's discussions (and pull requests) off.
  Result<bool> discussions_disabled(int64_t repo_id);
  Result<void> set_discussions_disabled(int64_t repo_id, bool disabled);

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
