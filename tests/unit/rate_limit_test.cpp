#include "hub/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace wharf::hub {
namespace {

constexpr int64_t kSecond = 1000;

RateLimitConfig small_config() {
  RateLimitConfig c;
  c.window_s = 300;
  c.limits[static_cast<int>(RateTier::Anonymous)] = {3, 6, 2};
  c.limits[static_cast<int>(RateTier::Free)] = {5, 10, 0};
  c.limits[static_cast<int>(RateTier::Pro)] = {50, 100, 20};
  c.auth_failures = 3;
  return c;
}

TEST(RateLimit, DefaultsAreTheHubsDocumentedLimits) {
  RateLimitConfig c;
  EXPECT_EQ(c.window_s, 300);
  EXPECT_EQ(c.limit(RateTier::Anonymous, RateBucket::Api), 500);
  EXPECT_EQ(c.limit(RateTier::Anonymous, RateBucket::Resolvers), 3000);
  EXPECT_EQ(c.limit(RateTier::Anonymous, RateBucket::Pages), 100);
  EXPECT_EQ(c.limit(RateTier::Free, RateBucket::Api), 1000);
  EXPECT_EQ(c.limit(RateTier::Pro, RateBucket::Resolvers), 12000);
  EXPECT_EQ(c.limit(RateTier::Enterprise, RateBucket::Pages), 600);
}

TEST(RateLimit, NamesRoundTrip) {
  for (auto tier : {RateTier::Anonymous, RateTier::Free, RateTier::Pro, RateTier::Enterprise})
    EXPECT_EQ(parse_tier(tier_name(tier)), tier);
  EXPECT_FALSE(parse_tier("gold").has_value());
  EXPECT_EQ(bucket_name(RateBucket::Resolvers), "resolvers");
  EXPECT_EQ(bucket_name(RateBucket::AuthFailures), "auth");
}

TEST(RateLimit, TakesUntilEmptyThenRefuses) {
  RateLimiter rl(small_config());
  for (int64_t left : {2, 1, 0}) {
    auto d = rl.take("ip:1.2.3.4", RateTier::Anonymous, RateBucket::Api, 0);
    EXPECT_TRUE(d.limited);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.remaining, left);
  }
  auto d = rl.take("ip:1.2.3.4", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.reset_seconds, 100);  // one token every 300 s / 3
}

TEST(RateLimit, ResetIsTimeUntilFullWhileTokensRemain) {
  RateLimiter rl(small_config());
  auto d = rl.take("k", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_EQ(d.remaining, 2);
  EXPECT_EQ(d.reset_seconds, 100);
  d = rl.take("k", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_EQ(d.remaining, 1);
  EXPECT_EQ(d.reset_seconds, 200);
}

TEST(RateLimit, RefillsContinuously) {
  RateLimiter rl(small_config());
  for (int i = 0; i < 3; ++i) rl.take("k", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_FALSE(rl.take("k", RateTier::Anonymous, RateBucket::Api, 50 * kSecond).allowed);
  auto d = rl.peek("k", RateTier::Anonymous, RateBucket::Api, 50 * kSecond);
  EXPECT_EQ(d.reset_seconds, 50);  // half a token is back
  EXPECT_TRUE(rl.take("k", RateTier::Anonymous, RateBucket::Api, 100 * kSecond).allowed);
  EXPECT_FALSE(rl.take("k", RateTier::Anonymous, RateBucket::Api, 100 * kSecond).allowed);
  // A whole idle window later the bucket is full, never more.
  d = rl.take("k", RateTier::Anonymous, RateBucket::Api, 10000 * kSecond);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 2);
}

TEST(RateLimit, TiersBucketsAndKeysAreSeparate) {
  RateLimiter rl(small_config());
  for (int i = 0; i < 3; ++i) rl.take("k", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_FALSE(rl.take("k", RateTier::Anonymous, RateBucket::Api, 0).allowed);
  EXPECT_TRUE(rl.take("k", RateTier::Anonymous, RateBucket::Resolvers, 0).allowed);
  EXPECT_TRUE(rl.take("other", RateTier::Anonymous, RateBucket::Api, 0).allowed);
  // A new tier starts with a full bucket of its own limit.
  auto d = rl.take("k", RateTier::Pro, RateBucket::Api, 0);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.limit, 50);
  EXPECT_EQ(d.remaining, 49);
}

TEST(RateLimit, ZeroIsUnlimited) {
  RateLimiter rl(small_config());
  for (int i = 0; i < 1000; ++i) {
    auto d = rl.take("u:1", RateTier::Free, RateBucket::Pages, 0);
    ASSERT_FALSE(d.limited);
    ASSERT_TRUE(d.allowed);
  }
  EXPECT_EQ(rl.size(), 0u);  // nothing kept for unlimited buckets
}

TEST(RateLimit, PeekDoesNotTake) {
  RateLimiter rl(small_config());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rl.peek("k", RateTier::Anonymous, RateBucket::Api, 0).remaining, 3);
  EXPECT_EQ(rl.size(), 0u);
  rl.take("k", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_EQ(rl.peek("k", RateTier::Anonymous, RateBucket::Api, 0).remaining, 2);
}

TEST(RateLimit, EvictsTheLeastRecentlyUsedPastCapacity) {
  RateLimitConfig c = small_config();
  c.limits[static_cast<int>(RateTier::Anonymous)][static_cast<int>(RateBucket::Api)] = 1;
  c.max_keys = 3;
  RateLimiter rl(c);
  for (const char* k : {"a", "b", "c"}) EXPECT_TRUE(rl.take(k, RateTier::Anonymous, RateBucket::Api, 0).allowed);
  EXPECT_FALSE(rl.take("a", RateTier::Anonymous, RateBucket::Api, 1).allowed);  // a is now the most recent
  EXPECT_TRUE(rl.take("d", RateTier::Anonymous, RateBucket::Api, 2).allowed);   // drops b
  EXPECT_EQ(rl.size(), 3u);
  EXPECT_FALSE(rl.take("a", RateTier::Anonymous, RateBucket::Api, 3).allowed);  // kept, still empty
  EXPECT_TRUE(rl.take("b", RateTier::Anonymous, RateBucket::Api, 4).allowed);   // forgotten, fresh
  EXPECT_EQ(rl.size(), 3u);
}

TEST(RateLimit, DropsIdleFullBuckets) {
  RateLimitConfig c = small_config();
  c.max_keys = 100;  // one shard: the new bucket sees the idle ones
  RateLimiter rl(c);
  rl.take("a", RateTier::Anonymous, RateBucket::Api, 0);
  rl.take("b", RateTier::Anonymous, RateBucket::Api, 0);
  EXPECT_EQ(rl.size(), 2u);
  // Both have refilled by then: a new bucket drops them.
  rl.take("c", RateTier::Anonymous, RateBucket::Api, 600 * kSecond);
  EXPECT_EQ(rl.size(), 1u);
}

TEST(RateLimit, AuthFailuresCountDistinctCredentials) {
  RateLimiter rl(small_config());
  // One client retrying one bad token is not guessing: counted (and audited) once.
  EXPECT_TRUE(rl.charge_auth_failure("ip:9.9.9.9", 111, 0).counted);
  for (int i = 0; i < 9; ++i) EXPECT_FALSE(rl.charge_auth_failure("ip:9.9.9.9", 111, 0).counted);
  EXPECT_FALSE(rl.auth_blocked("ip:9.9.9.9", 0));
  EXPECT_EQ(rl.peek("ip:9.9.9.9", RateTier::Anonymous, RateBucket::AuthFailures, 0).remaining, 2);
  rl.charge_auth_failure("ip:9.9.9.9", 222, 0);
  auto d = rl.charge_auth_failure("ip:9.9.9.9", 333, 0);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_TRUE(rl.auth_blocked("ip:9.9.9.9", 0));
  EXPECT_FALSE(rl.auth_blocked("ip:8.8.8.8", 0));
  EXPECT_FALSE(rl.auth_blocked("ip:9.9.9.9", 100 * kSecond));  // a token is back
}

TEST(RateLimit, ConcurrentTakesNeverOverspend) {
  RateLimitConfig c = small_config();
  c.limits[static_cast<int>(RateTier::Pro)][static_cast<int>(RateBucket::Api)] = 1000;
  c.max_keys = 2048;  // sharded
  RateLimiter rl(c);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (rl.take("u:shared", RateTier::Pro, RateBucket::Api, 0).allowed) ++allowed;
        // Many other keys at once, to churn the shards' eviction under contention.
        rl.take("ip:" + std::to_string(t * 1000 + i), RateTier::Anonymous, RateBucket::Resolvers, 0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 1000);
  EXPECT_LE(rl.size(), 2048u);
}

}  // namespace
}  // namespace wharf::hub
