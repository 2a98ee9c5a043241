// The permission check (one service: every surface asks here, and later issues extend it
// with organizations, fine-grained tokens and gating).
#pragma once

#include <string_view>

#include "hub/identity.h"

namespace wharf::hub {

enum class Access {
  Read,   // see the repo, its metadata and its files
  Write,  // commit, create refs, upload LFS objects
  Admin,  // settings, delete, move
};

// Ok when `who` may act on `repo` with `access`. Errors: RepoNotFound (401 anonymous, 404
// authenticated) when the caller may not even see the repo, 403 when they see it but may
// not write (e.g. a read token on one's own repo).
Result<void> check_repo_access(const Identity& who, const storage::RepoRow& repo, Access access);

// Ok when `who` may create repositories in namespace `ns`. Errors: 401 anonymous, 403 other.
Result<void> check_namespace_write(const Identity& who, std::string_view ns);

}  // namespace wharf::hub
