// The permission check: one service that every surface asks (API, resolve, LFS, git, web).
//
// A caller's rights on a namespace come from who they are (the operator; the user whose
// namespace it is; a member of the organization, with the Hub's roles), then the credential
// narrows them: a read token never writes, a fine-grained token acts only inside its scopes.
// Gated repos add one more step for file content: an accepted access request.
#pragma once

#include <string_view>

#include "hub/identity.h"

namespace wharf::hub {

enum class Access {
  Read,     // see the repo and its metadata (info, tree, commits, refs)
  Content,  // read file content (resolve, raw, LFS download, git clone); gating applies
  Discuss,  // open discussions and comment: whoever may read, signed in, with a credential
            // that may act (not a read token; a fine-grained token needs "discussion.write"
            // or "repo.write" on the repo)
  Write,    // commit, create refs, upload LFS objects
  Admin,    // settings, delete, move, access requests
};

// A caller's standing in a namespace, from least to most.
enum class Role { None, Read, Contributor, Write, Admin };

Role parse_role(std::string_view role);          // "read", "contributor", "write", "admin"
std::string_view role_name(Role role);

// Who the caller is in namespace `ns`, before the credential narrows it: Admin for the
// operator and for the user whose namespace it is, the member's role in an organization.
Result<Role> namespace_role(Hub& hub, const Identity& who, std::string_view ns);

// Ok when `who` may act on `repo` with `access`. Errors:
//  - RepoNotFound (401 anonymous, 404 authenticated) when the caller may not see the repo,
//    so that a private repo's existence never shows;
//  - GatedRepo (401 anonymous, 403 authenticated) for Content of a gated repo without an
//    accepted access request;
//  - 401 for anonymous writes or Discuss, 403 when the caller sees the repo but may not do
//    this.
Result<void> check_repo_access(Hub& hub, const Identity& who, const storage::RepoRow& repo, Access access);

// Ok when `who` may create repositories in namespace `ns` (a contributor or more there).
// Errors: 401 anonymous, 403 other.
Result<void> check_namespace_write(Hub& hub, const Identity& who, std::string_view ns);

// Ok when `who` may manage the organization `org` (members, audit log): its admins and the
// operator, with a write token or a web session. Errors: 401 anonymous, 403 other.
Result<void> check_org_admin(Hub& hub, const Identity& who, const storage::UserRow& org);

// Ok when the credential may manage the account itself (tokens, password): a web session or
// a write token; never a read or fine-grained token.
Result<void> check_account_write(const Identity& who);

}  // namespace wharf::hub
