// Likes and download counters: the `likes` and `download_days` tables and the counter
// columns of `repos` (downloads over 30 days, downloads_all_time, likes, trending_score).
#include <algorithm>

#include "storage/db.h"
#include "storage/db_internal.h"

namespace wharf::storage {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
// Rows per write transaction of the counters: each holds the store's lock (and SQLite's
// write lock) for milliseconds, whatever the size of the batch.
constexpr std::size_t kWriteSlice = 500;

// The user columns of read_user, from the users table joined as `u` (no password hash).
#define LIKER_COLUMNS \
  "u.id, u.name, u.fullname, u.email, u.is_admin, u.created_at, u.kind, '', u.disabled, u.tier"
// The repo columns of read_repo, from the repos table joined as `r` (no card data).
#define LIKED_REPO_COLUMNS                                                                        \
  "r.id, r.object_id, r.type, r.namespace, r.name, r.private, r.gated, r.sdk, r.default_branch, " \
  "r.created_at, r.last_modified, r.sha, '', r.downloads, r.likes, r.created_by, r.tags, "        \
  "r.pipeline_tag, r.library_name, r.config, r.downloads_all_time, r.trending_score, r.synthetic"

RepoCounters read_counters(const Cursor& c) {
  return {c.int64(0), c.int64(1), c.int64(2), c.int64(3), c.int64(4)};
}

}  // namespace

Result<bool> Db::put_like(int64_t user_id, int64_t repo_id, int64_t now_ms) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto added =
      WHARF_TRY(impl_->one(read_int,
                           "INSERT INTO likes (user_id, repo_id, created_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (user_id, repo_id) DO NOTHING RETURNING 1",
                           user_id, repo_id, now_ms));
  if (!added) return false;
  WHARF_TRY_VOID(impl_->exec("UPDATE repos SET likes = likes + 1 WHERE id = ?", repo_id));
  WHARF_TRY_VOID(tx.commit());
  return true;
}

Result<bool> Db::delete_like(int64_t user_id, int64_t repo_id) {
  auto lock = impl_->lock();
  auto tx = WHARF_TRY(impl_->begin());
  auto removed = WHARF_TRY(
      impl_->one(read_int, "DELETE FROM likes WHERE user_id = ? AND repo_id = ? RETURNING 1",
                 user_id, repo_id));
  if (!removed) return false;
  WHARF_TRY_VOID(impl_->exec("UPDATE repos SET likes = MAX(likes - 1, 0) WHERE id = ?", repo_id));
  WHARF_TRY_VOID(tx.commit());
  return true;
}

Result<bool> Db::has_liked(int64_t user_id, int64_t repo_id) {
  auto lock = impl_->lock();
  auto found = WHARF_TRY(impl_->one(
      read_int, "SELECT 1 FROM likes WHERE user_id = ? AND repo_id = ?", user_id, repo_id));
  return found.has_value();
}

Result<std::vector<LikeRow>> Db::list_likers(int64_t repo_id, int64_t offset, int64_t limit) {
  auto lock = impl_->lock();
  auto repo = WHARF_TRY(
      impl_->one(read_repo, "SELECT " LIKED_REPO_COLUMNS " FROM repos r WHERE r.id = ?", repo_id));
  if (!repo) return std::vector<LikeRow>{};
  // likes_repo (repo_id, created_at) gives this order without a sort.
  return impl_->all(
      [&repo](const Cursor& c) {
        return LikeRow{*repo, read_user(c), c.int64(10)};
      },
      "SELECT " LIKER_COLUMNS
      ", l.created_at FROM likes l JOIN users u ON u.id = l.user_id "
      "WHERE l.repo_id = ? ORDER BY l.created_at DESC, l.user_id DESC LIMIT ? OFFSET ?",
      repo_id, limit, offset);
}

Result<std::vector<LikeRow>> Db::list_likes_of(int64_t user_id, int64_t offset, int64_t limit) {
  auto lock = impl_->lock();
  auto user = WHARF_TRY(
      impl_->one(read_user, "SELECT " LIKER_COLUMNS " FROM users u WHERE u.id = ?", user_id));
  if (!user) return std::vector<LikeRow>{};
  return impl_->all(
      [&user](const Cursor& c) {
        return LikeRow{read_repo(c), *user, c.int64(23)};
      },
      "SELECT " LIKED_REPO_COLUMNS
      ", l.created_at FROM likes l JOIN repos r ON r.id = l.repo_id "
      "WHERE l.user_id = ? ORDER BY l.created_at DESC, l.repo_id DESC LIMIT ? OFFSET ?",
      user_id, limit, offset);
}

Result<std::vector<RepoCounters>> Db::add_downloads(const std::vector<DownloadCount>& batch,
                                                    int64_t day) {
  std::vector<RepoCounters> changed;
  changed.reserve(batch.size());
  // Slices of kWriteSlice repos, each its own transaction: the store's lock is held a few
  // milliseconds at a time, never for the whole batch.
  for (std::size_t from = 0; from < batch.size(); from += kWriteSlice) {
    auto lock = impl_->lock();
    auto tx = WHARF_TRY(impl_->begin());
    for (std::size_t i = from; i < std::min(batch.size(), from + kWriteSlice); ++i) {
      const auto& d = batch[i];
      if (d.count <= 0) continue;
      // A repo deleted since the download was counted has no row: its count is dropped.
      auto counters = WHARF_TRY(impl_->one(
          read_counters,
          "UPDATE repos SET downloads = downloads + ?, downloads_all_time = downloads_all_time + ? "
          "WHERE id = ? RETURNING id, downloads, downloads_all_time, likes, trending_score",
          d.count, d.count, d.repo_id));
      if (!counters) continue;
      WHARF_TRY_VOID(
          impl_->exec("INSERT INTO download_days (repo_id, day, count) VALUES (?, ?, ?) "
                      "ON CONFLICT (repo_id, day) DO UPDATE SET count = count + excluded.count",
                      d.repo_id, day, d.count));
      changed.push_back(*counters);
    }
    WHARF_TRY_VOID(tx.commit());
  }
  return changed;
}

// The trending score (see db.h for the contract):
//   score = floor((100 * L + D) / 100000), where
//   L = sum over the repo's likes of the last 14 days of w(age),
//   D = sum over its downloads of the last 14 days of count(day) * w(age),
//   w(age) = round(1000 * 2^(-age / 3)): a half-life of 3 days, age in whole days
//   (0 = `day` itself), in thousandths so that the SQL stays integer and portable.
// So a like today weighs 1 point and 100 downloads today weigh 1 point; both halve every
// three days and drop out after 14. Only repos with downloads in the last 14 days, with day
// rows leaving the 30-day window, or with likes in the window are read, plus those whose
// score is not 0 yet, so that a quiet repo's score falls back to 0. Synthetic rows
// (generate-catalog) keep the counters they were written with.
//
// The 30-day `downloads` is kept by add_downloads (it adds) and here (it subtracts the day
// rows that leave the window, deleting them in the same transaction, so that a day is
// subtracted exactly once). One read finds the changes; it holds this connection's lock
// but no write lock, so readers on other connections go on. The writes are short
// transactions of kWriteSlice repos.
Result<std::vector<RepoCounters>> Db::recompute_counters(int64_t day, int64_t now_ms) {
  (void)now_ms;  // the windows are in whole days
  struct Fresh {
    int64_t id, score, old_score;
    bool expiring;
  };
  std::vector<Fresh> fresh;
  {
    auto lock = impl_->lock();
    auto rows = WHARF_TRY(impl_->all(
        [](const Cursor& c) {
          return Fresh{c.int64(0), c.int64(1), c.int64(2), c.int64(3) != 0};
        },
        "WITH w (age, weight) AS (VALUES (0, 1000), (1, 794), (2, 630), (3, 500), (4, 397), "
        "(5, 315), (6, 250), (7, 198), (8, 157), (9, 125), (10, 99), (11, 79), (12, 63), (13, "
        "50)), "
        "dl AS (SELECT dd.repo_id, SUM(dd.count * w.weight) AS dw FROM download_days dd "
        "JOIN w ON w.age = ?1 - dd.day WHERE dd.day > ?1 - 14 AND dd.day <= ?1 GROUP BY "
        "dd.repo_id), "
        "gone AS (SELECT DISTINCT repo_id FROM download_days WHERE day <= ?1 - 30), "
        "lk AS (SELECT l.repo_id, SUM(w.weight) AS lw FROM likes l JOIN w ON w.age = ?1 - "
        "l.created_at / ?2 "
        "WHERE l.created_at >= (?1 - 13) * ?2 GROUP BY l.repo_id), "
        "ids AS (SELECT repo_id FROM dl UNION SELECT repo_id FROM gone UNION SELECT repo_id FROM "
        "lk "
        "UNION SELECT id FROM repos WHERE trending_score <> 0 AND synthetic = 0) "
        "SELECT r.id, (100 * COALESCE(lk.lw, 0) + COALESCE(dl.dw, 0)) / 100000, r.trending_score, "
        "gone.repo_id IS NOT NULL FROM ids JOIN repos r ON r.id = ids.repo_id "
        "LEFT JOIN dl ON dl.repo_id = ids.repo_id LEFT JOIN lk ON lk.repo_id = ids.repo_id "
        "LEFT JOIN gone ON gone.repo_id = ids.repo_id WHERE r.synthetic = 0",
        day, kDayMs));
    for (const auto& f : rows)
      if (f.expiring || f.score != f.old_score) fresh.push_back(f);
  }
  std::vector<RepoCounters> changed;
  changed.reserve(fresh.size());
  for (std::size_t from = 0; from < fresh.size(); from += kWriteSlice) {
    auto lock = impl_->lock();
    auto tx = WHARF_TRY(impl_->begin());
    for (std::size_t i = from; i < std::min(fresh.size(), from + kWriteSlice); ++i) {
      const auto& f = fresh[i];
      int64_t leaving = 0;
      if (f.expiring) {
        auto counts = WHARF_TRY(impl_->all(
            read_int,
            "DELETE FROM download_days WHERE repo_id = ? AND day <= ? - 30 RETURNING count", f.id,
            day));
        for (int64_t n : counts) leaving += n;
      }
      auto counters = WHARF_TRY(impl_->one(
          read_counters,
          "UPDATE repos SET downloads = MAX(downloads - ?, 0), trending_score = ? WHERE id = ? "
          "RETURNING id, downloads, downloads_all_time, likes, trending_score",
          leaving, f.score, f.id));
      if (counters) changed.push_back(*counters);
    }
    WHARF_TRY_VOID(tx.commit());
  }
  return changed;
}

}  // namespace wharf::storage
