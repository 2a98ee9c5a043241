// Gated access requests and the audit log.
#include "storage/db.h"
#include "storage/db_internal.h"

namespace wharf::storage {
namespace {

#define REQUEST_COLUMNS                                                                          \
  "u.id, u.name, u.fullname, u.email, u.is_admin, u.created_at, u.kind, u.password_hash, "       \
  "u.disabled, u.tier, r.repo_id, r.status, r.fields, r.reason, r.created_at, r.updated_at"

AccessRequestRow read_request(const Cursor& c) {
  AccessRequestRow r;
  r.user = read_user(c);
  r.repo_id = c.int64(10);
  r.status = c.text(11);
  r.fields = c.text(12);
  r.reason = c.text(13);
  r.created_ms = c.int64(14);
  r.updated_ms = c.int64(15);
  return r;
}

AuditRow read_audit(const Cursor& c) {
  return {c.int64(0), c.int64(1), c.text(2), c.text(3), c.text(4), c.text(5), c.text(6), c.text(7)};
}

}  // namespace

Result<std::optional<AccessRequestRow>> Db::find_access_request(int64_t repo_id, int64_t user_id) {
  auto lock = impl_->lock();
  return impl_->one(read_request,
                    "SELECT " REQUEST_COLUMNS " FROM access_requests r JOIN users u ON u.id = r.user_id "
                    "WHERE r.repo_id = ? AND r.user_id = ?",
                    repo_id, user_id);
}

Result<void> Db::put_access_request(int64_t repo_id, int64_t user_id, const std::string& status,
                                    const std::string& fields, const std::string& reason, int64_t now_ms) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO access_requests (repo_id, user_id, status, fields, reason, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (repo_id, user_id) DO UPDATE SET status = excluded.status, "
      "fields = CASE WHEN excluded.fields = '' THEN access_requests.fields ELSE excluded.fields END, "
      "reason = excluded.reason, updated_at = excluded.updated_at",
      repo_id, user_id, status, fields, reason, now_ms, now_ms);
}

Result<std::vector<AccessRequestRow>> Db::list_access_requests(int64_t repo_id, const std::string& status,
                                                               int64_t offset, int64_t limit) {
  auto lock = impl_->lock();
  return impl_->all(read_request,
                    "SELECT " REQUEST_COLUMNS " FROM access_requests r JOIN users u ON u.id = r.user_id "
                    "WHERE r.repo_id = ? AND r.status = ? ORDER BY r.created_at, u.name LIMIT ? OFFSET ?",
                    repo_id, status, limit, offset);
}

Result<void> Db::append_audit(const AuditRow& row) {
  auto lock = impl_->lock();
  return impl_->exec(
      "INSERT INTO audit_log (at, actor, namespace, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
      row.at_ms, row.actor, row.ns, row.action, row.target, row.detail, row.ip);
}

Result<std::vector<AuditRow>> Db::list_audit(const std::string& ns, int64_t before_id, int64_t limit) {
  auto lock = impl_->lock();
  return impl_->all(read_audit,
                    "SELECT id, at, actor, namespace, action, target, detail, ip FROM audit_log "
                    "WHERE (? = '' OR namespace = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                    ns, ns, before_id, before_id, limit);
}

}  // namespace wharf::storage
