#include "hub/access.h"

#include <strings.h>

namespace wharf::hub {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Whether the user owns the namespace (organizations come with the access issue).
bool owns(const storage::UserRow& user, std::string_view ns) {
  return user.is_admin || same_name(user.name, ns);
}

bool token_can_write(const Identity& who) { return !who.token || who.token->role == "write"; }

}  // namespace

Result<void> check_repo_access(const Identity& who, const storage::RepoRow& repo, Access access) {
  bool owner = who.user && owns(*who.user, repo.ns);
  bool visible = !repo.is_private || owner;
  if (!visible) return fail(errors::repo_not_found(who.authenticated()));
  if (access == Access::Read) return {};
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be authenticated to write to this repository"));
  if (!owner) return fail(errors::forbidden("You don't have the rights to write to " + repo.ns + "/" + repo.name));
  if (!token_can_write(who))
    return fail(errors::forbidden("This token has read access only; a write token is needed"));
  return {};
}

Result<void> check_namespace_write(const Identity& who, std::string_view ns) {
  if (!who.authenticated()) return fail(errors::unauthorized("You must be authenticated to create a repository"));
  if (!owns(*who.user, ns))
    return fail(errors::forbidden("You don't have the rights to create a repository under the namespace \"" +
                                  std::string(ns) + "\""));
  if (!token_can_write(who)) return fail(errors::forbidden("This token has read access only; a write token is needed"));
  return {};
}

}  // namespace wharf::hub
