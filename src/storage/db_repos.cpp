#include "storage/db.h"
#include "storage/db_internal.h"

namespace wharf::storage {
namespace {

#define INSERT_REPO                                                                          \
  "INSERT INTO repos (object_id, type, namespace, name, private, gated, sdk, default_branch, "  \
  "created_at, last_modified, sha, card_data, downloads, likes, created_by, tags, pipeline_tag, " \
  "library_name, config, downloads_all_time, trending_score, synthetic) "                     \
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
constexpr const char* kInsertRepo = INSERT_REPO " RETURNING " REPO_COLUMNS;
// The bulk path reads nothing back: RETURNING halves the insert rate of generate-catalog.
constexpr const char* kInsertRepoBulk = INSERT_REPO;

}  // namespace

// --- repositories ---

Result<RepoRow> Db::insert_repo(const RepoRow& row) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto inserted = WHARF_TRY(with_conflict_message(
      required(
          impl_->one(read_repo,
                     kInsertRepo, row.object_id, row.type, row.ns, row.name, row.is_private,
                     row.gated, row.sdk, row.default_branch, row.created_ms, row.last_modified_ms,
                     row.sha, row.card_data, row.downloads, row.likes, row.created_by, row.tags,
                     row.pipeline_tag, row.library_name, row.config, row.downloads_all_time,
                     row.trending_score, row.synthetic)),
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
  return impl_->all(read_repo, "SELECT " REPO_COLUMNS " FROM repos WHERE synthetic = 0 ORDER BY id");
}

Result<std::optional<RepoRow>> Db::find_repo_by_id(int64_t repo_id) {
  auto lock = impl_->lock();
  return impl_->one(read_repo, "SELECT " REPO_COLUMNS " FROM repos WHERE id = ?", repo_id);
}

Result<void> Db::for_each_repo(const std::function<void(const RepoRow&)>& fn) {
  auto lock = impl_->lock();
  // card_data is left out: it can be large, and the catalog does not search it.
  auto cursor = WHARF_TRY(impl_->query(
      "SELECT id, object_id, type, namespace, name, private, gated, sdk, default_branch, "
      "created_at, last_modified, sha, '', downloads, likes, created_by, tags, pipeline_tag, "
      "library_name, config, downloads_all_time, trending_score, synthetic FROM repos ORDER BY id"));
  while (WHARF_TRY(cursor.next())) fn(read_repo(cursor));
  return {};
}

Result<void> Db::insert_repos_bulk(const std::vector<RepoRow>& rows) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  for (const auto& row : rows) {
    WHARF_TRY_VOID(with_conflict_message(
        impl_->exec(kInsertRepoBulk, row.object_id, row.type, row.ns, row.name, row.is_private,
                    row.gated, row.sdk, row.default_branch, row.created_ms, row.last_modified_ms,
                    row.sha, row.card_data, row.downloads, row.likes, row.created_by, row.tags,
                    row.pipeline_tag, row.library_name, row.config, row.downloads_all_time,
                    row.trending_score, row.synthetic),
        "Repository " + row.ns + "/" + row.name + " already exists"));
  }
  return tx.commit();
}

// A namespace's repos through the (type, namespace, name) index: naming the three types
// turns a scan of every repo into three range lookups (12 ms -> 0.1 ms at 120k repos).
#define TYPE_AND_NAMESPACE "type IN ('dataset', 'model', 'space') AND namespace = ?"

Result<std::vector<RepoRow>> Db::list_repos_in(const std::string& ns) {
  auto lock = impl_->lock();
  return impl_->all(read_repo, "SELECT " REPO_COLUMNS " FROM repos WHERE " TYPE_AND_NAMESPACE " ORDER BY type, name", ns);
}

Result<RepoCounts> Db::count_repos_in(const std::string& ns) {
  auto lock = impl_->lock();
  return required(impl_->one(
      [](const Cursor& c) { return RepoCounts{c.int64(0), c.int64(1), c.int64(2)}; },
      "SELECT COALESCE(SUM(type = 'model'), 0), COALESCE(SUM(type = 'dataset'), 0), "
      "COALESCE(SUM(type = 'space'), 0) FROM repos WHERE " TYPE_AND_NAMESPACE,
      ns));
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
                                   int64_t last_modified_ms, const std::string& card_data,
                                   const RepoDerived& derived) {
  auto lock = impl_->lock();
  return impl_->exec(
      "UPDATE repos SET sha = ?, last_modified = ?, card_data = ?, tags = ?, pipeline_tag = ?, "
      "library_name = ?, config = ? WHERE id = ?",
      sha, last_modified_ms, card_data, derived.tags, derived.pipeline_tag, derived.library_name,
      derived.config, repo_id);
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
