#include "hub/tokens.h"

#include <algorithm>

#include "hub/access.h"
#include "hub/audit.h"
#include "util/crypto.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

bool known_permission(std::string_view p) {
  return std::any_of(std::begin(kTokenPermissions), std::end(kTokenPermissions),
                     [&](const char* k) { return p == k; });
}

Result<void> check_name(const std::string& name) {
  if (name.empty() || name.size() > 100) return fail(errors::bad_request("A token name must have 1 to 100 characters"));
  for (unsigned char ch : name)
    if (ch < 0x20 || ch == 0x7f) return fail(errors::bad_request("A token name must be printable"));
  return {};
}

// Validates one scope and brings it to its stored form: "user" and "org" entities are
// namespaces; permissions are deduplicated.
Result<storage::TokenScope> normalized(storage::TokenScope scope) {
  if (scope.entity_type == "user" || scope.entity_type == "org") scope.entity_type = "namespace";
  if (scope.entity_type == "namespace") {
    if (auto why = invalid_name_segment(scope.entity))
      return fail(errors::bad_request("Invalid scope entity \"" + scope.entity + "\": " + *why));
  } else if (auto type = parse_type(scope.entity_type)) {
    auto slash = scope.entity.find('/');
    if (slash == std::string::npos)
      return fail(errors::bad_request("A repo scope names \"namespace/name\", not \"" + scope.entity + "\""));
    WHARF_TRY(make_repo_id(*type, std::string_view(scope.entity).substr(0, slash),
                           std::string_view(scope.entity).substr(slash + 1)));
  } else {
    return fail(errors::bad_request("Invalid scope entity type \"" + scope.entity_type +
                                    "\": expected user, org, namespace, model, dataset or space"));
  }
  if (scope.permissions.empty()) return fail(errors::bad_request("A scope needs at least one permission"));
  for (const auto& p : scope.permissions)
    if (!known_permission(p))
      return fail(errors::bad_request("Unknown permission \"" + p + "\": expected repo.content.read or repo.write"));
  std::sort(scope.permissions.begin(), scope.permissions.end());
  scope.permissions.erase(std::unique(scope.permissions.begin(), scope.permissions.end()), scope.permissions.end());
  return scope;
}

Result<storage::TokenRow> revoke(Hub& hub, const storage::UserRow& user, int64_t token_id) {
  auto tokens = WHARF_TRY(hub.db().list_tokens(user.id));
  auto it = std::find_if(tokens.begin(), tokens.end(), [&](const auto& t) { return t.id == token_id; });
  if (it == tokens.end() || !WHARF_TRY(hub.db().delete_token(user.id, token_id)))
    return fail(errors::not_found("Token not found"));
  return std::move(*it);
}

nlohmann::json revoked_detail(const storage::TokenRow& t) { return {{"id", t.id}, {"role", t.role}}; }

}  // namespace

Result<CreatedToken> create_own_token(Hub& hub, const Identity& who, const NewToken& spec) {
  WHARF_TRY_VOID(check_account_write(who));
  WHARF_TRY_VOID(check_name(spec.name));
  if (spec.role != "read" && spec.role != "write" && spec.role != "fineGrained")
    return fail(errors::bad_request("Invalid token role \"" + spec.role + "\": expected read, write or fineGrained"));
  if (spec.expires_ms != 0 && spec.expires_ms <= now_ms())
    return fail(errors::bad_request("The expiry date must be in the future"));
  std::vector<storage::TokenScope> scopes;
  if (spec.role == "fineGrained") {
    if (spec.scopes.empty()) return fail(errors::bad_request("A fine-grained token needs at least one scope"));
    if (spec.scopes.size() > 100) return fail(errors::bad_request("A token may have at most 100 scopes"));
    for (const auto& s : spec.scopes) scopes.push_back(WHARF_TRY(normalized(s)));
  } else if (!spec.scopes.empty()) {
    return fail(errors::bad_request("Only fine-grained tokens have scopes"));
  }
  CreatedToken out;
  out.secret = "hf_" + random_alnum(34);
  out.row = WHARF_TRY(hub.db().create_token(who.user->id, spec.name, spec.role, sha256_hex(out.secret), now_ms(),
                                            spec.expires_ms, scopes));
  nlohmann::json detail = {{"id", out.row.id}, {"role", out.row.role}};
  if (spec.expires_ms) detail["expiresAt"] = format_iso8601(spec.expires_ms);
  audit(hub, who, who.user->name, "token.create", out.row.name, detail);
  return out;
}

Result<std::vector<storage::TokenRow>> list_own_tokens(Hub& hub, const Identity& who) {
  WHARF_TRY_VOID(check_account_write(who));
  return hub.db().list_tokens(who.user->id);
}

Result<void> revoke_own_token(Hub& hub, const Identity& who, int64_t token_id) {
  WHARF_TRY_VOID(check_account_write(who));
  auto gone = WHARF_TRY(revoke(hub, *who.user, token_id));
  audit(hub, who, who.user->name, "token.revoke", gone.name, revoked_detail(gone));
  return {};
}

Result<std::vector<storage::TokenRow>> list_user_tokens(Hub& hub, const std::string& user_name) {
  auto user = WHARF_TRY(hub.db().find_user(user_name));
  if (!user || user->is_org) return fail(errors::not_found("User not found"));
  return hub.db().list_tokens(user->id);
}

Result<void> revoke_user_token(Hub& hub, const std::string& user_name, int64_t token_id) {
  auto user = WHARF_TRY(hub.db().find_user(user_name));
  if (!user || user->is_org) return fail(errors::not_found("User not found"));
  auto gone = WHARF_TRY(revoke(hub, *user, token_id));
  audit_as(hub, "operator", "", user->name, "token.revoke", gone.name, revoked_detail(gone));
  return {};
}

}  // namespace wharf::hub
