// Likes (spec §13.1): users mark repos they like; the repo shows how many, lists who, and a
// user's likes are public, limited to the repos the caller may see.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/repos.h"

namespace wharf::hub {

// Likes (`like` true) or unlikes `id` for the caller; doing it twice changes nothing.
// Returns the repo's like count afterwards. Liking is an act of the account, so it takes a
// web session or a write token, as managing the account does (hub/access
// check_account_write). Errors: 401 anonymous; RepoNotFound (or RepoMoved) when the caller
// may not see the repo, before the credential is looked at, so that a private repo stays
// invisible; 403 for a read or fine-grained token.
Result<int64_t> set_like(Hub& hub, const Identity& who, const RepoId& id, bool like);

// Who likes `id`, newest first. Errors: those of open_repo for Access::Read.
Result<std::vector<storage::LikeRow>> list_likers(Hub& hub, const Identity& who, const RepoId& id,
                                                  int64_t offset, int64_t limit);

struct UserLikesPage {
  std::vector<storage::LikeRow> likes;  // newest first, only repos `who` may see
  int64_t next_offset = -1;             // where the next page starts; -1 on the last page
};

// The likes of user `name` from position `offset` of all their likes, at most `limit` of
// those the caller may see. Errors: NotFound (404) for an unknown user.
Result<UserLikesPage> list_user_likes(Hub& hub, const Identity& who, const std::string& name,
                                      int64_t offset, int64_t limit);

}  // namespace wharf::hub
