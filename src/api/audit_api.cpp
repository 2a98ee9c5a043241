// The audit log: GET /api/audit-log?namespace=&limit=&cursor= (the operator) and
// GET /api/organizations/{org}/audit-log?limit=&cursor= (that org's admins and the operator).
#include "api/accounts_api.h"
#include "hub/audit.h"
#include "hub/audit_log.h"

namespace wharf::api {
namespace {

http::Response page_json(Call& c, const hub::AuditPage& page) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& row : page.entries) entries.push_back(hub::audit_json(row));
  nlohmann::json body = {{"entries", entries}};
  auto res = json_response(body);
  if (page.next_cursor) {
    auto cursor = std::to_string(page.next_cursor);
    body["nextCursor"] = cursor;
    res = json_response(body);
    res.headers.set("Link", "<" + c.link_with("cursor", cursor) + ">; rel=\"next\"");
  }
  return res;
}

}  // namespace

Result<http::Response> handle_audit(Call& c, const Segments& s) {
  if (c.req.method != "GET" && c.req.method != "HEAD") return method_not_allowed_here();
  if (!c.who.authenticated()) return fail(errors::unauthorized("You must be authenticated to read the audit log"));
  int64_t limit = WHARF_TRY(int_param(c, "limit", hub::kAuditDefaultLimit, hub::kAuditMaxLimit));
  int64_t cursor = WHARF_TRY(int_param(c, "cursor", 0, INT64_MAX, true));
  if (s[0] == "audit-log") {
    if (s.size() != 1) return unknown_route();
    auto page = WHARF_TRY(hub::read_audit_log(c.hub, c.who, c.query.get("namespace").value_or(""), cursor, limit));
    return page_json(c, page);
  }
  auto page = WHARF_TRY(hub::read_org_audit_log(c.hub, c.who, s[1], cursor, limit));
  return page_json(c, page);
}

}  // namespace wharf::api
