// Organizations and their members, and the public profiles of users and organizations.
//
// Users and organizations share one namespace. An organization has members with the Hub's
// roles (read, contributor, write, admin); it always keeps at least one admin. Membership
// changes are recorded in the audit log under the organization's namespace.
#pragma once

#include <string>
#include <vector>

#include "hub/access.h"

namespace wharf::hub {

// The operator acting from the command line (`wharf admin org …`): every right, audited as
// actor "operator".
Identity operator_identity();

// The organization named `name` (case-insensitive). NotFound "Organization not found" when
// there is none or the name is a user's.
Result<storage::UserRow> find_org(Hub& hub, const std::string& name);
// The user (not organization) named `name`. NotFound "User not found" otherwise.
Result<storage::UserRow> find_account_user(Hub& hub, const std::string& name);

// Creates the organization with `owner` as its first admin. The caller must be `owner`
// acting with a write token or a web session, or the operator. Errors: 400 for an invalid or
// reserved name or a fullname over 100 characters, 401/403, 409 when the name is taken by
// a user or an organization. Records org.create.
Result<storage::UserRow> create_org(Hub& hub, const Identity& who, const storage::UserRow& owner,
                                    const std::string& name, const std::string& fullname);

// How many repos of each type in `ns` `who` may see (private ones only with read access).
Result<storage::RepoCounts> visible_repo_counts(Hub& hub, const Identity& who, const std::string& ns);

// Whether `who` may see the members' roles in `org`: its members and the operator.
Result<bool> may_see_roles(Hub& hub, const Identity& who, const storage::UserRow& org);

// Gives `user_name` `role` in `org_name`: Add (Conflict when already a member), ChangeRole
// (NotFound when not a member) or Set (either). Org admins
// and the operator only (check_org_admin). Errors: 400 for an unknown role, 404 for an
// unknown org or user, 409 when the change would leave the org without an admin.
// Records org.member_add or org.member_role.
enum class MemberChange { Add, ChangeRole, Set };
Result<void> set_member(Hub& hub, const Identity& who, const std::string& org_name, const std::string& user_name,
                        const std::string& role, MemberChange change);

// Removes `user_name` from `org_name`: an org admin, the operator, or the member themselves.
// Errors: 404 for an unknown org, user or membership, 409 for the last admin.
// Records org.member_remove.
Result<void> remove_member(Hub& hub, const Identity& who, const std::string& org_name, const std::string& user_name);

}  // namespace wharf::hub
