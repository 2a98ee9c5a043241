// The metadata store's likes and download counters: likes counted once, per-day download
// rows, the 30-day window, the trending score's decay, and which rows a recompute touches.
#include <gtest/gtest.h>

#include <algorithm>

#include "db_fixture.h"

namespace wharf::storage {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kToday = 20000;  // days since the epoch

class DbCountersTest : public DbTest {
 protected:
  UserRow user(const std::string& name) {
    auto u = db_->create_user(name, "", "", false, 1);
    EXPECT_TRUE(u.has_value()) << (u ? "" : u.error().message);
    return u ? *u : UserRow{};
  }
  RepoRow reread(int64_t id) { return db_->find_repo_by_id(id)->value(); }
  // The counters a recompute on `day` changed, for repo `id` (nullopt: not changed).
  std::optional<RepoCounters> recompute_for(int64_t day, int64_t id) {
    auto changed = db_->recompute_counters(day, day * kDay);
    EXPECT_TRUE(changed.has_value()) << (changed ? "" : changed.error().message);
    if (!changed) return std::nullopt;
    auto it = std::ranges::find(*changed, id, &RepoCounters::repo_id);
    if (it == changed->end()) return std::nullopt;
    return *it;
  }
};

TEST_F(DbCountersTest, LikeIsCountedOnceAndUnlikeOnce) {
  auto alice = user("alice");
  auto repo = insert("alice", "bert");
  EXPECT_TRUE(*db_->put_like(alice.id, repo.id, 5 * kDay));
  EXPECT_FALSE(*db_->put_like(alice.id, repo.id, 6 * kDay)) << "a second like is no new like";
  EXPECT_EQ(reread(repo.id).likes, 1);
  EXPECT_TRUE(*db_->has_liked(alice.id, repo.id));
  EXPECT_EQ(db_->list_likers(repo.id, 0, 10)->at(0).created_ms, 5 * kDay)
      << "the first like's time is kept";
  EXPECT_TRUE(*db_->delete_like(alice.id, repo.id));
  EXPECT_FALSE(*db_->delete_like(alice.id, repo.id));
  EXPECT_EQ(reread(repo.id).likes, 0);
  EXPECT_FALSE(*db_->has_liked(alice.id, repo.id));
}

TEST_F(DbCountersTest, LikersAndLikesAreNewestFirstAndPaged) {
  auto repo = insert("acme", "model");
  auto other = insert("acme", "other");
  std::vector<UserRow> users = {user("u1"), user("u2"), user("u3")};
  for (std::size_t i = 0; i < users.size(); ++i)
    ASSERT_TRUE(db_->put_like(users[i].id, repo.id, 100 + static_cast<int64_t>(i)).has_value());
  ASSERT_TRUE(db_->put_like(users[0].id, other.id, 500).has_value());

  auto first = *db_->list_likers(repo.id, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].user.name, "u3");
  EXPECT_EQ(first[1].user.name, "u2");
  EXPECT_EQ(first[0].repo.id, repo.id);
  EXPECT_TRUE(first[0].user.password_hash.empty()) << "likers never carry a password hash";
  auto rest = *db_->list_likers(repo.id, 2, 2);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].user.name, "u1");

  auto liked = *db_->list_likes_of(users[0].id, 0, 10);
  ASSERT_EQ(liked.size(), 2u);
  EXPECT_EQ(liked[0].repo.name, "other");
  EXPECT_EQ(liked[0].created_ms, 500);
  EXPECT_EQ(liked[1].repo.name, "model");
  EXPECT_EQ(liked[1].user.name, "u1");
  EXPECT_EQ(liked[1].repo.likes, 3);
}

TEST_F(DbCountersTest, LikesGoAwayWithTheirRepo) {
  auto alice = user("alice");
  auto repo = insert("alice", "gone");
  ASSERT_TRUE(db_->put_like(alice.id, repo.id, 1).has_value());
  ASSERT_TRUE(db_->delete_repo(repo.id).has_value());
  EXPECT_TRUE(db_->list_likes_of(alice.id, 0, 10)->empty());
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM likes"), 0);
}

TEST_F(DbCountersTest, DownloadsAddUpPerDayAndAllTime) {
  auto a = insert("acme", "a");
  auto b = insert("acme", "b");
  auto changed = db_->add_downloads({{a.id, 3}, {b.id, 1}, {9999, 4}}, kToday);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  ASSERT_EQ(changed->size(), 2u) << "a repo that no longer exists is left out";
  EXPECT_EQ((*changed)[0].repo_id, a.id);
  EXPECT_EQ((*changed)[0].downloads, 3);
  EXPECT_EQ((*changed)[0].downloads_all_time, 3);
  ASSERT_TRUE(db_->add_downloads({{a.id, 2}}, kToday).has_value());
  ASSERT_TRUE(db_->add_downloads({{a.id, 5}}, kToday + 1).has_value());
  EXPECT_EQ(raw_int("SELECT count FROM download_days WHERE repo_id = " + std::to_string(a.id) +
                    " AND day = " + std::to_string(kToday)),
            5);
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM download_days WHERE repo_id = 9999"), 0);
  EXPECT_EQ(reread(a.id).downloads, 10);
  EXPECT_EQ(reread(a.id).downloads_all_time, 10);
}

TEST_F(DbCountersTest, ThirtyDayWindowDropsOldDays) {
  auto a = insert("acme", "a");
  ASSERT_TRUE(db_->add_downloads({{a.id, 5}}, kToday).has_value());
  ASSERT_TRUE(db_->add_downloads({{a.id, 3}}, kToday + 20).has_value());
  // Day kToday is the oldest day of the window ending on kToday + 29.
  ASSERT_TRUE(db_->recompute_counters(kToday + 29, (kToday + 29) * kDay).has_value());
  EXPECT_EQ(reread(a.id).downloads, 8);
  auto moved = recompute_for(kToday + 30, a.id);
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->downloads, 3);
  EXPECT_EQ(moved->downloads_all_time, 8) << "the all-time count never drops";
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM download_days"), 1)
      << "the day that left the window is gone";
  EXPECT_FALSE(recompute_for(kToday + 30, a.id).has_value()) << "a day leaves the window once";
  EXPECT_EQ(reread(a.id).downloads, 3);
  auto quiet = recompute_for(kToday + 50, a.id);
  ASSERT_TRUE(quiet.has_value());
  EXPECT_EQ(quiet->downloads, 0);
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM download_days"), 0);
}

TEST_F(DbCountersTest, TrendingScoreWeighsLikesAndDownloadsWithDecay) {
  auto alice = user("alice");
  auto a = insert("acme", "a");
  ASSERT_TRUE(db_->put_like(alice.id, a.id, kToday * kDay + 5000).has_value());
  EXPECT_EQ(recompute_for(kToday, a.id)->trending_score, 1) << "a like today weighs 1";
  ASSERT_TRUE(db_->add_downloads({{a.id, 200}}, kToday).has_value());
  EXPECT_EQ(recompute_for(kToday, a.id)->trending_score, 3) << "100 downloads today weigh 1";
  EXPECT_FALSE(recompute_for(kToday, a.id).has_value()) << "an unchanged score is not rewritten";
  // Three days later, both weigh half: (100 * 500 + 200 * 500) / 100000.
  EXPECT_EQ(recompute_for(kToday + 3, a.id)->trending_score, 1);
  auto gone = recompute_for(kToday + 14, a.id);
  ASSERT_TRUE(gone.has_value()) << "a score that falls to 0 is written";
  EXPECT_EQ(gone->trending_score, 0);
  EXPECT_EQ(gone->downloads, 200) << "still inside the 30-day window";
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM repos WHERE trending_score <> 0"), 0);
}

TEST_F(DbCountersTest, RecomputeLeavesQuietAndSyntheticReposAlone) {
  auto quiet = insert("acme", "quiet");
  auto synthetic = repo("gen", "s1");
  synthetic.synthetic = true;
  synthetic.trending_score = 7;
  synthetic.downloads = 40;
  ASSERT_TRUE(db_->insert_repos_bulk({synthetic}).has_value());
  auto changed = db_->recompute_counters(kToday, kToday * kDay);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_TRUE(changed->empty());
  auto s = db_->find_repo("model", "gen", "s1")->value();
  EXPECT_EQ(s.trending_score, 7);
  EXPECT_EQ(s.downloads, 40);
  EXPECT_EQ(reread(quiet.id).trending_score, 0);
}

}  // namespace
}  // namespace wharf::storage
