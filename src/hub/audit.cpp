#include "hub/audit.h"

#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {

void audit_as(Hub& hub, std::string actor, std::string ip, std::string ns, std::string action,
              std::string target, const nlohmann::json& detail) {
  storage::AuditRow row;
  row.at_ms = now_ms();
  row.actor = std::move(actor);
  row.ip = std::move(ip);
  row.ns = std::move(ns);
  row.action = std::move(action);
  row.target = std::move(target);
  row.detail = detail.dump();
  if (auto r = hub.db().append_audit(row); !r)
    log::error("audit log: cannot record " + row.action + " on " + row.target + ": " + r.error().message);
}

void audit(Hub& hub, const Identity& who, std::string ns, std::string action, std::string target,
           const nlohmann::json& detail) {
  nlohmann::json d = detail;
  if (who.token) d["token"] = who.token->name;
  audit_as(hub, who.user ? who.user->name : "", who.remote_address, std::move(ns), std::move(action),
           std::move(target), d);
}

nlohmann::json audit_json(const storage::AuditRow& row) {
  nlohmann::json detail = nlohmann::json::parse(row.detail, nullptr, false);
  if (detail.is_discarded()) detail = nlohmann::json::object();
  return {{"id", row.id},         {"time", format_iso8601(row.at_ms)}, {"actor", row.actor},
          {"namespace", row.ns},  {"action", row.action},              {"target", row.target},
          {"detail", detail},     {"ip", row.ip}};
}

}  // namespace wharf::hub
