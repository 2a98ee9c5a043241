#include "hub/likes.h"

#include "hub/downloads.h"
#include "util/time.h"

namespace wharf::hub {

Result<int64_t> set_like(Hub& hub, const Identity& who, const RepoId& id, bool like) {
  if (!who.authenticated())
    return fail(errors::unauthorized("You must be logged in to like a repository"));
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Read));
  WHARF_TRY_VOID(check_account_write(who));
  int64_t user_id = who.user->id, repo_id = repo.row.id;
  bool changed = like ? WHARF_TRY(hub.db().put_like(user_id, repo_id, now_ms()))
                      : WHARF_TRY(hub.db().delete_like(user_id, repo_id));
  if (!changed) return repo.row.likes;
  // Read back rather than add one: other likes may have landed meanwhile.
  auto row = WHARF_TRY(hub.db().find_repo_by_id(repo_id));
  if (!row) return fail(errors::repo_not_found(true));  // deleted meanwhile
  publish_counters(
      hub, {{row->id, row->downloads, row->downloads_all_time, row->likes, row->trending_score}});
  return row->likes;
}

Result<std::vector<storage::LikeRow>> list_likers(Hub& hub, const Identity& who, const RepoId& id,
                                                  int64_t offset, int64_t limit) {
  auto repo = WHARF_TRY(open_repo(hub, who, id, Access::Read));
  return hub.db().list_likers(repo.row.id, offset, limit);
}

Result<UserLikesPage> list_user_likes(Hub& hub, const Identity& who, const std::string& name,
                                      int64_t offset, int64_t limit) {
  auto user = WHARF_TRY(hub.db().find_user(name));
  if (!user) return fail(errors::not_found("User " + name + " not found"));
  UserLikesPage page;
  // Likes of repos the caller may not see are skipped, so a page is read in chunks until it
  // is full; the next page starts after the last like examined.
  int64_t chunk = limit + 1;
  for (;;) {
    auto rows = WHARF_TRY(hub.db().list_likes_of(user->id, offset, chunk));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (static_cast<int64_t>(page.likes.size()) == limit) {
        page.next_offset = offset + static_cast<int64_t>(i);
        return page;
      }
      auto access = check_repo_access(hub, who, rows[i].repo, Access::Read);
      if (access) {
        page.likes.push_back(std::move(rows[i]));
      } else if (access.error().status >= 500) {
        return fail(std::move(access.error()));
      }
    }
    if (static_cast<int64_t>(rows.size()) < chunk) return page;
    offset += static_cast<int64_t>(rows.size());
  }
}

}  // namespace wharf::hub
