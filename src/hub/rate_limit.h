// Rate limits (issue 4 item 6): token buckets per caller, per tier and per class of request,
// as the Hub has them (huggingface.co/docs/hub/rate-limits). In memory, per process: a
// restart forgives everyone, and N processes behind a balancer each allow the limit.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wharf::hub {

// Who is counted: anonymous callers per IP address, users per account, by their tier
// (users.tier). The operator is never limited.
enum class RateTier { Anonymous, Free, Pro, Enterprise };
inline constexpr std::size_t kRateTiers = 4;

// What is counted. Api: everything under /api/, git smart HTTP, the LFS batch API.
// Resolvers: /resolve/ and /raw/ downloads and LFS object transfers. Pages: the web UI.
// AuthFailures: distinct invalid credentials sent from one IP (token guessing).
enum class RateBucket { Api, Resolvers, Pages, AuthFailures };
inline constexpr std::size_t kRateBuckets = 3;  // the tiered ones: Api, Resolvers, Pages

std::string_view tier_name(RateTier tier);  // "anonymous", "free", "pro", "enterprise"
std::optional<RateTier> parse_tier(std::string_view name);
// "api", "resolvers", "pages", "auth": the bucket name of the RateLimit header (a \w+ word).
std::string_view bucket_name(RateBucket bucket);

struct RateLimitConfig {
  // Requests per window for [tier][bucket] (Api, Resolvers, Pages); 0 = unlimited.
  // Defaults: the Hub's documented limits per 5-minute window (September 2025,
  // huggingface.co/docs/hub/rate-limits): anonymous (per IP) 500 / 3,000 / 100, free user
  // 1,000 / 5,000 / 200, PRO 2,500 / 12,000 / 400, Enterprise organization 6,000 / 50,000 / 600.
  std::array<std::array<int64_t, kRateBuckets>, kRateTiers> limits = {{
      {500, 3000, 100},
      {1000, 5000, 200},
      {2500, 12000, 400},
      {6000, 50000, 600},
  }};
  int64_t window_s = 300;
  // Distinct invalid credentials one IP may send per window before its credentials are
  // refused unread (429); 0 = unlimited.
  int64_t auth_failures = 30;
  // Buckets kept in memory at most; past it the least recently used are dropped.
  std::size_t max_keys = 100000;

  int64_t limit(RateTier tier, RateBucket bucket) const;
};

struct RateDecision {
  bool limited = false;        // false: no limit applies (unlimited), the other fields are 0
  bool allowed = true;
  int64_t limit = 0;           // the bucket's capacity: requests per window
  int64_t remaining = 0;       // whole tokens left after this request
  // Seconds until the bucket is full again; when no token is left, seconds until the next
  // one (what a client should wait before retrying). At least 1 when not full.
  int64_t reset_seconds = 0;
  bool counted = false;        // charge_auth_failure: a credential not seen recently, charged
};

// Token buckets that refill continuously (capacity = limit, rate = limit / window), keyed by
// (bucket, tier, caller key). A bucket seen for the first time is full. A change of tier
// starts a fresh bucket. Thread-safe; memory is bounded by config.max_keys.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimitConfig config);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  const RateLimitConfig& config() const { return config_; }

  // Takes one token from the bucket of `key` ("u:<id>", "ip:<addr>"): allowed when one was
  // left. `now_ms` is a monotonic clock in milliseconds.
  RateDecision take(std::string_view key, RateTier tier, RateBucket bucket, int64_t now_ms);
  RateDecision take(std::string_view key, RateTier tier, RateBucket bucket);

  // The state of the bucket without taking from it (allowed = a token is left).
  RateDecision peek(std::string_view key, RateTier tier, RateBucket bucket, int64_t now_ms);

  // Records an invalid credential sent from `ip`: takes from its AuthFailures bucket unless
  // `credential` (a fingerprint of what was sent) is among the last few failures of that IP,
  // so that a client retrying one revoked token is not taken for a guesser.
  RateDecision charge_auth_failure(std::string_view ip, uint64_t credential, int64_t now_ms);
  // True when `ip` has no AuthFailures token left: its credentials are refused unread.
  bool auth_blocked(std::string_view ip, int64_t now_ms);

  std::size_t size() const;  // buckets in memory

  static int64_t now_ms();  // the steady clock, in milliseconds

 private:
  struct Shard;
  RateLimitConfig config_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace wharf::hub
