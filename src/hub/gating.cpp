#include "hub/gating.h"

#include <strings.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/audit.h"
#include "hub/repos.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

constexpr std::size_t kMaxReason = 200;

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; });
}

bool truthy(std::string_view s) {
  for (std::string_view yes : {"true", "on", "yes", "1"})
    if (s.size() == yes.size() && strncasecmp(s.data(), yes.data(), s.size()) == 0) return true;
  return false;
}

// A select's options: plain strings, or {label, value} objects (the value is what is sent).
std::vector<std::string> select_options(const nlohmann::json& options) {
  std::vector<std::string> out;
  if (!options.is_array()) return out;
  for (const auto& o : options) {
    if (o.is_string())
      out.push_back(o.get<std::string>());
    else if (o.is_object() && o.contains("value") && o["value"].is_string())
      out.push_back(o["value"].get<std::string>());
    else if (o.is_object() && o.contains("label") && o["label"].is_string())
      out.push_back(o["label"].get<std::string>());
  }
  return out;
}

std::string repo_target(const storage::RepoRow& row) {
  return row.type + "/" + row.ns + "/" + row.name;
}

Error not_gated() { return errors::bad_request("This repository is not gated"); }

// Opens `id` for its admins and requires it to be gated.
// Writers review access requests: huggingface_hub documents 403 for callers without the
// write or admin role in the repo's organization, and for read tokens.
Result<RepoHandle> open_gated_for_review(Hub& hub, const Identity& who, const RepoId& id) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Write));
  if (repo.row.gated.empty()) return fail(not_gated());
  return repo;
}

Result<storage::UserRow> find_person(Hub& hub, const std::string& name) {
  if (name.empty()) return fail(errors::bad_request("Missing field \"user\""));
  auto user = WHARF_TRY(hub.db().find_user(name));
  if (!user || user->is_org) return fail(errors::not_found("User not found: " + name));
  return *user;
}

}  // namespace

std::vector<GateField> gate_fields(std::string_view card_data) {
  std::vector<GateField> out;
  if (card_data.empty()) return out;
  auto card = nlohmann::json::parse(card_data, nullptr, false);
  if (!card.is_object()) return out;
  auto it = card.find("extra_gated_fields");
  if (it == card.end() || !it->is_object()) return out;
  // nlohmann's object keeps keys sorted; the form asks them in that order, which is stable.
  for (const auto& [label, spec] : it->items()) {
    if (out.size() == kMaxGateFields) break;
    GateField f{label, "text", {}};
    if (spec.is_string()) {
      f.type = spec.get<std::string>();
    } else if (spec.is_object() && spec.contains("type") && spec["type"].is_string()) {
      f.type = spec["type"].get<std::string>();
      if (f.type == "select") f.options = select_options(spec.value("options", nlohmann::json()));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> check_gate_answers(const std::vector<GateField>& fields,
                                       const GateAnswers& answers) {
  if (fields.empty()) return std::string();
  nlohmann::json stored = nlohmann::json::object();
  for (const auto& f : fields) {
    auto a = std::find_if(answers.begin(), answers.end(),
                          [&](const auto& p) { return p.first == f.label; });
    std::string value = a == answers.end() ? "" : a->second;
    if (value.size() > kMaxGateAnswer)
      return fail(errors::bad_request("The answer to \"" + f.label +
                                      "\" is too long (at most 1024 bytes)"));
    if (f.type == "checkbox") {
      if (!truthy(value))
        return fail(errors::bad_request("You must check \"" + f.label + "\" to ask for access"));
      value = "true";
    } else if (blank(value)) {
      return fail(errors::bad_request("Missing answer to \"" + f.label + "\""));
    } else if (f.type == "select" && !f.options.empty() &&
               std::find(f.options.begin(), f.options.end(), value) == f.options.end()) {
      return fail(errors::bad_request("\"" + value + "\" is not an option of \"" + f.label + "\""));
    }
    stored[f.label] = value;
  }
  return stored.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_request_status(std::string_view s) {
  return s == "pending" || s == "accepted" || s == "rejected";
}

Result<std::string> ask_access(Hub& hub, const Identity& who, const RepoId& id,
                               const GateAnswers& answers) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Read));
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be logged in to ask for access to a repository"));
  if (repo.row.gated.empty()) return fail(not_gated());
  auto existing = WHARF_TRY(hub.db().find_access_request(repo.row.id, who.user->id));
  if (existing && existing->status == "rejected")
    return fail(errors::forbidden(
        "Your request to access this repo has been rejected by the repo's authors."));
  if (existing) return existing->status;  // pending or accepted: asking again keeps it
  if (check_repo_access(hub, who, repo.row, Access::Content))
    return std::string("accepted");  // a member

  std::string fields = WHARF_TRY(check_gate_answers(gate_fields(repo.row.card_data), answers));
  std::string status = repo.row.gated == "auto" ? "accepted" : "pending";
  WHARF_TRY_VOID(
      hub.db().put_access_request(repo.row.id, who.user->id, status, fields, "", now_ms()));
  nlohmann::json detail = {{"user", who.user->name}, {"status", status}};
  audit(hub, who, repo.row.ns, "access.request", repo_target(repo.row), detail);
  if (status == "accepted")
    audit(hub, who, repo.row.ns, "access.accepted", repo_target(repo.row), detail);
  return status;
}

Result<std::vector<storage::AccessRequestRow>> list_access_requests(Hub& hub, const Identity& who,
                                                                    const RepoId& id,
                                                                    std::string_view status,
                                                                    int64_t offset, int64_t limit) {
  auto repo = WHARF_TRY(open_gated_for_review(hub, who, id));
  if (!is_request_status(status))
    return fail(errors::bad_request("Unknown request status \"" + std::string(status) +
                                    "\"; expected pending, accepted or rejected"));
  return hub.db().list_access_requests(repo.row.id, std::string(status), offset, limit);
}

Result<void> handle_access_request(Hub& hub, const Identity& who, const RepoId& id,
                                   const std::string& user, std::string_view status,
                                   const std::string& reason) {
  auto repo = WHARF_TRY(open_gated_for_review(hub, who, id));
  if (!is_request_status(status))
    return fail(errors::bad_request("status must be \"accepted\", \"rejected\" or \"pending\""));
  if (reason.size() > kMaxReason)
    return fail(errors::bad_request("rejectionReason is too long (at most 200 characters)"));
  auto person = WHARF_TRY(find_person(hub, user));
  auto request = WHARF_TRY(hub.db().find_access_request(repo.row.id, person.id));
  if (!request)
    return fail(
        errors::not_found("No access request from " + person.name + " for this repository"));
  if (request->status == status)
    return fail(errors::not_found("The access request of " + person.name + " is already " +
                                  std::string(status)));
  std::string kept_reason = status == "rejected" ? reason : "";
  WHARF_TRY_VOID(hub.db().put_access_request(repo.row.id, person.id, std::string(status), "",
                                             kept_reason, now_ms()));
  nlohmann::json detail = {{"user", person.name}, {"from", request->status}};
  if (!kept_reason.empty()) detail["reason"] = kept_reason;
  audit(hub, who, repo.row.ns, "access." + std::string(status), repo_target(repo.row), detail);
  return {};
}

Result<void> grant_access(Hub& hub, const Identity& who, const RepoId& id,
                          const std::string& user) {
  auto repo = WHARF_TRY(open_gated_for_review(hub, who, id));
  auto person = WHARF_TRY(find_person(hub, user));
  auto request = WHARF_TRY(hub.db().find_access_request(repo.row.id, person.id));
  if (request && request->status == "accepted")
    return fail(errors::bad_request(person.name + " already has access to this repository"));
  WHARF_TRY_VOID(hub.db().put_access_request(repo.row.id, person.id, "accepted", "", "", now_ms()));
  audit(hub, who, repo.row.ns, "access.grant", repo_target(repo.row), {{"user", person.name}});
  return {};
}

}  // namespace wharf::hub
