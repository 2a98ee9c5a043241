#include "hub/orgs.h"

#include <mutex>

#include "hub/audit.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

// Serializes membership changes in this process, so that two admins demoting each other at
// once cannot both pass the last-admin check.
std::mutex& membership_mutex() {
  static std::mutex m;
  return m;
}

bool printable_text(std::string_view s) {
  for (unsigned char ch : s)
    if (ch < 0x20 || ch == 0x7f) return false;
  return true;
}

// Conflict when taking `role` away from `member` would leave `org` without an admin.
Result<void> keep_an_admin(Hub& hub, const storage::UserRow& org, const std::string& current_role,
                           std::string_view new_role) {
  if (current_role != "admin" || new_role == "admin") return {};
  if (WHARF_TRY(hub.db().count_members(org.id, "admin")) <= 1)
    return fail(errors::conflict("An organization must keep at least one admin: " + org.name + " would have none"));
  return {};
}

}  // namespace

Identity operator_identity() {
  Identity who;
  storage::UserRow op;
  op.name = "operator";
  op.is_admin = true;
  who.user = std::move(op);
  return who;
}

Result<storage::UserRow> find_org(Hub& hub, const std::string& name) {
  auto row = WHARF_TRY(hub.db().find_user(name));
  if (!row || !row->is_org) return fail(errors::not_found("Organization not found"));
  return std::move(*row);
}

Result<storage::UserRow> find_account_user(Hub& hub, const std::string& name) {
  auto row = WHARF_TRY(hub.db().find_user(name));
  if (!row || row->is_org) return fail(errors::not_found("User not found"));
  return std::move(*row);
}

Result<storage::UserRow> create_org(Hub& hub, const Identity& who, const storage::UserRow& owner,
                                    const std::string& name, const std::string& fullname) {
  WHARF_TRY_VOID(check_account_write(who));
  if (!who.user->is_admin && who.user->id != owner.id)
    return fail(errors::forbidden("Only the operator may create an organization for another user"));
  if (owner.is_org || owner.disabled) return fail(errors::bad_request("The owner must be an active user"));
  if (auto why = invalid_name_segment(name)) return fail(errors::bad_request("Invalid organization name: " + *why));
  if (is_reserved_namespace(name)) return fail(errors::bad_request("The name '" + name + "' is reserved"));
  if (fullname.size() > 100 || !printable_text(fullname))
    return fail(errors::bad_request("The full name must be at most 100 printable characters"));
  auto org = WHARF_TRY(hub.db().create_org(name, fullname.empty() ? name : fullname, now_ms()));
  WHARF_TRY_VOID(hub.db().put_membership(org.id, owner.id, "admin", now_ms()));
  audit(hub, who, org.name, "org.create", org.name, {{"owner", owner.name}});
  return org;
}

Result<storage::RepoCounts> visible_repo_counts(Hub& hub, const Identity& who, const std::string& ns) {
  storage::RepoCounts counts;
  for (const auto& repo : WHARF_TRY(hub.db().list_repos_in(ns))) {
    if (!check_repo_access(hub, who, repo, Access::Read)) continue;
    if (repo.type == "model") ++counts.models;
    else if (repo.type == "dataset") ++counts.datasets;
    else if (repo.type == "space") ++counts.spaces;
  }
  return counts;
}

Result<bool> may_see_roles(Hub& hub, const Identity& who, const storage::UserRow& org) {
  return WHARF_TRY(namespace_role(hub, who, org.name)) >= Role::Read;
}

Result<void> set_member(Hub& hub, const Identity& who, const std::string& org_name, const std::string& user_name,
                        const std::string& role, MemberChange change) {
  auto org = WHARF_TRY(find_org(hub, org_name));
  WHARF_TRY_VOID(check_org_admin(hub, who, org));
  if (parse_role(role) == Role::None)
    return fail(errors::bad_request("Invalid role \"" + role + "\": expected read, contributor, write or admin"));
  auto user = WHARF_TRY(find_account_user(hub, user_name));
  std::lock_guard lock(membership_mutex());
  std::string current = WHARF_TRY(hub.db().role_in(org.name, user.id));
  if (change == MemberChange::Add && !current.empty())
    return fail(errors::conflict(user.name + " is already a member of " + org.name));
  if (change == MemberChange::ChangeRole && current.empty())
    return fail(errors::not_found(user.name + " is not a member of " + org.name));
  WHARF_TRY_VOID(keep_an_admin(hub, org, current, role));
  WHARF_TRY_VOID(hub.db().put_membership(org.id, user.id, role, now_ms()));
  if (current.empty())
    audit(hub, who, org.name, "org.member_add", user.name, {{"role", role}});
  else
    audit(hub, who, org.name, "org.member_role", user.name, {{"from", current}, {"role", role}});
  return {};
}

Result<void> remove_member(Hub& hub, const Identity& who, const std::string& org_name, const std::string& user_name) {
  auto org = WHARF_TRY(find_org(hub, org_name));
  auto user = WHARF_TRY(find_account_user(hub, user_name));
  bool self = who.user && who.user->id == user.id && !who.user->is_admin;
  if (self) WHARF_TRY_VOID(check_account_write(who));
  else WHARF_TRY_VOID(check_org_admin(hub, who, org));
  std::lock_guard lock(membership_mutex());
  std::string current = WHARF_TRY(hub.db().role_in(org.name, user.id));
  if (current.empty()) return fail(errors::not_found(user.name + " is not a member of " + org.name));
  WHARF_TRY_VOID(keep_an_admin(hub, org, current, ""));
  WHARF_TRY_VOID(hub.db().delete_membership(org.id, user.id));
  audit(hub, who, org.name, "org.member_remove", user.name, {{"role", current}});
  return {};
}

}  // namespace wharf::hub
