// Access tokens as their owners manage them (API, web, CLI): create with a role, optional
// expiry and, for fine-grained tokens, scopes; list; revoke. The secret ("hf_" + 34
// characters) is returned once and stored only as a sha256 hash.
#pragma once

#include <string>
#include <vector>

#include "hub/identity.h"

namespace wharf::hub {

struct NewToken {
  std::string name;                        // display name, 1..100 printable characters
  std::string role;                        // "read" | "write" | "fineGrained"
  int64_t expires_ms = 0;                  // 0: never; otherwise in the future
  std::vector<storage::TokenScope> scopes; // fineGrained only (at least one)
};

struct CreatedToken {
  storage::TokenRow row;
  std::string secret;
};

// The permissions a fine-grained scope may grant.
// discussion.write opens discussions and pull requests, comments, and pushes to one's own PRs.
inline constexpr const char* kTokenPermissions[] = {"repo.content.read", "repo.write", "discussion.write"};

// For `who` itself (check_account_write: a web session or a write token). Validates the role,
// expiry and scopes (entity types "namespace", "model", "dataset", "space"; known permissions).
// Records token.create in the audit log.
Result<CreatedToken> create_own_token(Hub& hub, const Identity& who, const NewToken& spec);
Result<std::vector<storage::TokenRow>> list_own_tokens(Hub& hub, const Identity& who);
// NotFound when the caller has no such token. Records token.revoke.
Result<void> revoke_own_token(Hub& hub, const Identity& who, int64_t token_id);

// The operator's view (`wharf admin token list|revoke --user U`): any user's tokens.
// NotFound for an unknown user (or an organization) or token. Revocations are recorded as
// actor "operator".
Result<std::vector<storage::TokenRow>> list_user_tokens(Hub& hub, const std::string& user_name);
Result<void> revoke_user_token(Hub& hub, const std::string& user_name, int64_t token_id);

}  // namespace wharf::hub
