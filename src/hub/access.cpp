#include "hub/access.h"

#include <strings.h>

#include <algorithm>

namespace wharf::hub {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool has_permission(const storage::TokenScope& scope, std::string_view permission) {
  return std::find(scope.permissions.begin(), scope.permissions.end(), permission) != scope.permissions.end();
}

// For a fine-grained token: whether some scope covering `repo` (the repo itself or its
// namespace) grants `permission`.
bool scope_grants(const storage::TokenRow& token, const storage::RepoRow* repo, std::string_view ns,
                  std::string_view permission) {
  for (const auto& scope : token.scopes) {
    bool covers = scope.entity_type == "namespace"
                      ? same_name(scope.entity, ns)
                      : repo && scope.entity_type == repo->type && same_name(scope.entity, repo->ns + "/" + repo->name);
    if (covers && has_permission(scope, permission)) return true;
  }
  return false;
}

bool fine_grained(const Identity& who) { return who.token && who.token->role == "fineGrained"; }

// The most `who`'s credential allows on `repo`, given their role there.
// Read tokens read; fine-grained tokens get what their scopes grant, and outside them no
// more than anyone may (public repos, read-only).
Role narrowed(const Identity& who, Role role, const storage::RepoRow& repo) {
  if (!who.token) return role;  // a web session: the user's own rights
  if (who.token->role == "read") return std::min(role, Role::Read);
  if (!fine_grained(who)) return role;
  if (scope_grants(*who.token, &repo, repo.ns, "repo.write")) return role;
  if (scope_grants(*who.token, &repo, repo.ns, "repo.content.read")) return std::min(role, Role::Read);
  return Role::None;
}

std::string repo_label(const storage::RepoRow& repo) {
  std::string prefix = repo.type == "model" ? "" : repo.type + "s/";
  return prefix + repo.ns + "/" + repo.name;
}

Error gated_repo(const Identity& who, const storage::RepoRow& repo, bool pending) {
  std::string what = repo.type + " " + repo.ns + "/" + repo.name;
  if (pending)
    return {403, "GatedRepo", "Your request to access " + what + " is awaiting a review from the repo authors.", {}, {}};
  if (!who.authenticated())
    return {401, "GatedRepo",
            "Access to " + what + " is restricted. You must have access to it and be authenticated to access it. "
            "Please log in.", {}, {}};
  return {403, "GatedRepo",
          "Access to " + what + " is restricted and you are not in the authorized list. Visit /" +
              repo_label(repo) + " to ask for access.", {}, {}};
}

// Access::Discuss once the caller may see `repo`.
Result<void> check_discuss(const Identity& who, const storage::RepoRow& repo) {
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to take part in discussions"));
  if (who.token && who.token->role == "read")
    return fail(errors::forbidden("This token has read access only; a write token is needed"));
  if (fine_grained(who) && !scope_grants(*who.token, &repo, repo.ns, "discussion.write") &&
      !scope_grants(*who.token, &repo, repo.ns, "repo.write"))
    return fail(errors::forbidden("This fine-grained token may not take part in discussions on " +
                                  repo_label(repo)));
  return {};
}

}  // namespace

Role parse_role(std::string_view role) {
  if (role == "admin") return Role::Admin;
  if (role == "write") return Role::Write;
  if (role == "contributor") return Role::Contributor;
  if (role == "read") return Role::Read;
  return Role::None;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Admin: return "admin";
    case Role::Write: return "write";
    case Role::Contributor: return "contributor";
    case Role::Read: return "read";
    case Role::None: break;
  }
  return "";
}

Result<Role> namespace_role(Hub& hub, const Identity& who, std::string_view ns) {
  if (!who.user) return Role::None;
  if (who.user->is_admin || same_name(who.user->name, ns)) return Role::Admin;
  return parse_role(WHARF_TRY(hub.db().role_in(std::string(ns), who.user->id)));
}

Result<void> check_repo_access(Hub& hub, const Identity& who, const storage::RepoRow& repo, Access access) {
  Role own = WHARF_TRY(namespace_role(hub, who, repo.ns));
  Role role = narrowed(who, own, repo);
  if (repo.is_private && role < Role::Read) return fail(errors::repo_not_found(who.authenticated()));
  switch (access) {
    case Access::Read:
      return {};
    case Access::Content: {
      if (repo.gated.empty() || role >= Role::Read) return {};
      bool pending = false;
      if (who.user) {
        auto request = WHARF_TRY(hub.db().find_access_request(repo.id, who.user->id));
        if (request && request->status == "accepted") return {};
        pending = request && request->status == "pending";
      }
      return fail(gated_repo(who, repo, pending));
    }
    case Access::Discuss:
      return check_discuss(who, repo);
    case Access::Write:
    case Access::Admin:
      break;
  }
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to write to " + repo_label(repo)));
  if (who.token && who.token->role == "read" && own >= Role::Contributor)
    return fail(errors::forbidden("This token has read access only; a write token is needed"));
  if (fine_grained(who) && role == Role::None && own >= Role::Contributor)
    return fail(errors::forbidden("This fine-grained token has no permission on " + repo_label(repo)));
  bool own_repo = role == Role::Contributor && repo.created_by == who.user->id;
  if (access == Access::Write && (role >= Role::Write || own_repo)) return {};
  if (access == Access::Admin && role >= Role::Admin) return {};
  return fail(errors::forbidden("You don't have the rights to " +
                                std::string(access == Access::Admin ? "administer " : "write to ") +
                                repo_label(repo)));
}

Result<void> check_namespace_write(Hub& hub, const Identity& who, std::string_view ns) {
  if (!who.authenticated()) return fail(errors::unauthorized("You must be authenticated to create a repository"));
  Role role = WHARF_TRY(namespace_role(hub, who, ns));
  if (role < Role::Contributor)
    return fail(errors::forbidden("You don't have the rights to create a repository under the namespace \"" +
                                  std::string(ns) + "\""));
  if (who.token && who.token->role == "read")
    return fail(errors::forbidden("This token has read access only; a write token is needed"));
  if (fine_grained(who) && !scope_grants(*who.token, nullptr, ns, "repo.write"))
    return fail(errors::forbidden("This fine-grained token may not create repositories under \"" + std::string(ns) + "\""));
  return {};
}

Result<void> check_org_admin(Hub& hub, const Identity& who, const storage::UserRow& org) {
  if (!who.authenticated()) return fail(errors::unauthorized("You must be authenticated to manage an organization"));
  Role role = WHARF_TRY(namespace_role(hub, who, org.name));
  if (role < Role::Admin) return fail(errors::forbidden("You must be an admin of " + org.name + " to do this"));
  return check_account_write(who);
}

Result<void> check_account_write(const Identity& who) {
  if (!who.authenticated()) return fail(errors::unauthorized("You must be authenticated"));
  if (who.token && who.token->role != "write")
    return fail(errors::forbidden("This needs a write token or a web session"));
  return {};
}

}  // namespace wharf::hub
