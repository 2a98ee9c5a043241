// The audit log's read side: the operator reads every entry, an organization's admins read
// their organization's (hub/audit.h writes them).
#pragma once

#include <string>
#include <vector>

#include "hub/identity.h"

namespace wharf::hub {

struct AuditPage {
  std::vector<storage::AuditRow> entries;  // newest first
  int64_t next_cursor = 0;                 // 0: no older entries
};

inline constexpr int64_t kAuditDefaultLimit = 100;
inline constexpr int64_t kAuditMaxLimit = 1000;

// Entries of namespace `ns` ("" for all), older than entry `cursor` (0: from the newest),
// at most `limit` (1..kAuditMaxLimit). The operator only, with a write token or a web
// session. Errors: 401 anonymous, 403 other callers, 400 for a bad limit or cursor.
Result<AuditPage> read_audit_log(Hub& hub, const Identity& who, const std::string& ns, int64_t cursor,
                                 int64_t limit);

// The same for one organization: its admins and the operator (check_org_admin).
// NotFound for an unknown organization.
Result<AuditPage> read_org_audit_log(Hub& hub, const Identity& who, const std::string& org_name, int64_t cursor,
                                     int64_t limit);

// The same without a caller: `wharf admin audit`.
Result<AuditPage> read_audit_log_as_operator(Hub& hub, const std::string& ns, int64_t cursor, int64_t limit);

}  // namespace wharf::hub
