// The audit log: who did what, when, from where. Every rule that changes who may do what
// (repo lifecycle, visibility, gating, tokens, memberships, access decisions, log-ins)
// records here; org admins read their org's entries, the operator reads everything.
#pragma once

#include <nlohmann/json.hpp>

#include "hub/identity.h"

namespace wharf::hub {

// Records an action. `ns` is the namespace acted on (a repo's, an org's, the user's own),
// `target` what was acted on ("model/ns/name", a user or token name). Never fails the
// caller: an entry that cannot be written is logged as an error.
void audit(Hub& hub, const Identity& who, std::string ns, std::string action, std::string target,
           const nlohmann::json& detail = nlohmann::json::object());

// The same for an actor known only by name (a failed log-in, the operator's CLI).
void audit_as(Hub& hub, std::string actor, std::string ip, std::string ns, std::string action,
              std::string target, const nlohmann::json& detail = nlohmann::json::object());

// The entry as the API shows it: {id, time, actor, namespace, action, target, detail, ip}.
nlohmann::json audit_json(const storage::AuditRow& row);

}  // namespace wharf::hub
