#include "hub/audit_log.h"

#include "hub/access.h"
#include "hub/orgs.h"

namespace wharf::hub {

Result<AuditPage> read_audit_log_as_operator(Hub& hub, const std::string& ns, int64_t cursor, int64_t limit) {
  if (limit < 1 || limit > kAuditMaxLimit)
    return fail(errors::bad_request("limit must be between 1 and " + std::to_string(kAuditMaxLimit)));
  if (cursor < 0) return fail(errors::bad_request("Invalid cursor"));
  AuditPage page;
  // One more than asked tells whether an older page exists.
  page.entries = WHARF_TRY(hub.db().list_audit(ns, cursor, limit + 1));
  if (static_cast<int64_t>(page.entries.size()) > limit) {
    page.entries.resize(static_cast<std::size_t>(limit));
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

Result<AuditPage> read_audit_log(Hub& hub, const Identity& who, const std::string& ns, int64_t cursor,
                                 int64_t limit) {
  WHARF_TRY_VOID(check_account_write(who));
  if (!who.user->is_admin) return fail(errors::forbidden("Only the operator may read the server's audit log"));
  return read_audit_log_as_operator(hub, ns, cursor, limit);
}

Result<AuditPage> read_org_audit_log(Hub& hub, const Identity& who, const std::string& org_name, int64_t cursor,
                                     int64_t limit) {
  auto org = WHARF_TRY(find_org(hub, org_name));
  WHARF_TRY_VOID(check_org_admin(hub, who, org));
  return read_audit_log_as_operator(hub, org.name, cursor, limit);
}

}  // namespace wharf::hub
