#include "hub/rate_limit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>

namespace wharf::hub {
namespace {

constexpr std::size_t kRecentFailures = 4;

struct Bucket {
  std::string key;  // bucket, tier, caller
  int64_t limit = 0;
  double tokens = 0;
  int64_t last_ms = 0;
  // Fingerprints of the last invalid credentials (AuthFailures buckets only).
  std::array<uint64_t, kRecentFailures> recent{};
  std::size_t recent_next = 0;
};

std::string bucket_key(std::string_view key, RateTier tier, RateBucket bucket) {
  std::string k;
  k.reserve(key.size() + 2);
  k.push_back(static_cast<char>('0' + static_cast<int>(bucket)));
  k.push_back(static_cast<char>('0' + static_cast<int>(tier)));
  k.append(key);
  return k;
}

}  // namespace

std::string_view tier_name(RateTier tier) {
  switch (tier) {
    case RateTier::Anonymous: return "anonymous";
    case RateTier::Free: return "free";
    case RateTier::Pro: return "pro";
    case RateTier::Enterprise: return "enterprise";
  }
  return "anonymous";
}

std::optional<RateTier> parse_tier(std::string_view name) {
  for (std::size_t t = 0; t < kRateTiers; ++t)
    if (tier_name(static_cast<RateTier>(t)) == name) return static_cast<RateTier>(t);
  return std::nullopt;
}

std::string_view bucket_name(RateBucket bucket) {
  switch (bucket) {
    case RateBucket::Api: return "api";
    case RateBucket::Resolvers: return "resolvers";
    case RateBucket::Pages: return "pages";
    case RateBucket::AuthFailures: return "auth";
  }
  return "api";
}

int64_t RateLimitConfig::limit(RateTier tier, RateBucket bucket) const {
  if (bucket == RateBucket::AuthFailures) return auth_failures;
  return limits[static_cast<std::size_t>(tier)][static_cast<std::size_t>(bucket)];
}

// One lock and one LRU list of buckets; the index points into the list, whose nodes never
// move, so the map's keys can be views of the buckets' own keys.
struct RateLimiter::Shard {
  std::mutex mu;
  std::list<Bucket> lru;  // most recently used first
  std::unordered_map<std::string_view, std::list<Bucket>::iterator> index;
  std::size_t capacity = 1;
};

namespace {

std::size_t shard_count(const RateLimitConfig& c) { return c.max_keys >= 1024 ? 16 : 1; }

void refill(Bucket& b, int64_t window_ms, int64_t now_ms) {
  if (now_ms > b.last_ms) {
    double added = static_cast<double>(now_ms - b.last_ms) * static_cast<double>(b.limit) /
                   static_cast<double>(window_ms);
    b.tokens = std::min(static_cast<double>(b.limit), b.tokens + added);
    b.last_ms = now_ms;
  }
}

RateDecision decide(const Bucket& b, bool allowed, int64_t window_ms) {
  RateDecision d;
  d.limited = true;
  d.allowed = allowed;
  d.limit = b.limit;
  d.remaining = static_cast<int64_t>(std::floor(b.tokens));
  double missing = d.remaining == 0 ? 1.0 - b.tokens : static_cast<double>(b.limit) - b.tokens;
  if (missing > 0) {
    double ms = missing * static_cast<double>(window_ms) / static_cast<double>(b.limit);
    d.reset_seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(ms / 1000.0)));
  }
  return d;
}

bool is_full(Bucket& b, int64_t window_ms, int64_t now_ms) {
  refill(b, window_ms, now_ms);
  return b.tokens >= static_cast<double>(b.limit);
}

}  // namespace

RateLimiter::RateLimiter(RateLimitConfig config)
    : config_(config), shards_(std::make_unique<Shard[]>(shard_count(config))) {
  std::size_t n = shard_count(config_);
  for (std::size_t i = 0; i < n; ++i) shards_[i].capacity = std::max<std::size_t>(1, config_.max_keys / n);
}

RateLimiter::~RateLimiter() = default;

int64_t RateLimiter::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

// The bucket of `k` in `shard`, created full when absent, moved to the front of the LRU list.
// A new bucket first drops up to two idle full buckets from the back (they hold nothing a
// fresh bucket would not), then the least recently used ones past the capacity.
// REQUIRES: shard.mu held.
template <typename Shard>
Bucket& find_or_insert(Shard& shard, std::string k, int64_t limit, int64_t window_ms, int64_t now_ms) {
  if (auto it = shard.index.find(std::string_view(k)); it != shard.index.end()) {
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return *it->second;
  }
  for (int i = 0; i < 2 && !shard.lru.empty() && is_full(shard.lru.back(), window_ms, now_ms); ++i) {
    shard.index.erase(std::string_view(shard.lru.back().key));
    shard.lru.pop_back();
  }
  while (shard.lru.size() >= shard.capacity) {
    shard.index.erase(std::string_view(shard.lru.back().key));
    shard.lru.pop_back();
  }
  shard.lru.push_front(Bucket{std::move(k), limit, static_cast<double>(limit), now_ms, {}, 0});
  shard.index.emplace(std::string_view(shard.lru.front().key), shard.lru.begin());
  return shard.lru.front();
}

}  // namespace

RateDecision RateLimiter::take(std::string_view key, RateTier tier, RateBucket bucket, int64_t now_ms) {
  int64_t limit = config_.limit(tier, bucket);
  if (limit <= 0) return {};
  std::string k = bucket_key(key, tier, bucket);
  Shard& shard = shards_[std::hash<std::string>{}(k) % shard_count(config_)];
  int64_t window_ms = config_.window_s * 1000;
  std::lock_guard lock(shard.mu);
  Bucket& b = find_or_insert(shard, std::move(k), limit, window_ms, now_ms);
  refill(b, window_ms, now_ms);
  bool allowed = b.tokens >= 1.0;
  if (allowed) b.tokens -= 1.0;
  return decide(b, allowed, window_ms);
}

RateDecision RateLimiter::take(std::string_view key, RateTier tier, RateBucket bucket) {
  return take(key, tier, bucket, now_ms());
}

RateDecision RateLimiter::peek(std::string_view key, RateTier tier, RateBucket bucket, int64_t now_ms) {
  int64_t limit = config_.limit(tier, bucket);
  if (limit <= 0) return {};
  std::string k = bucket_key(key, tier, bucket);
  Shard& shard = shards_[std::hash<std::string>{}(k) % shard_count(config_)];
  int64_t window_ms = config_.window_s * 1000;
  std::lock_guard lock(shard.mu);
  auto it = shard.index.find(std::string_view(k));
  if (it == shard.index.end()) {
    Bucket fresh{std::move(k), limit, static_cast<double>(limit), now_ms, {}, 0};
    return decide(fresh, true, window_ms);
  }
  Bucket& b = *it->second;
  refill(b, window_ms, now_ms);
  return decide(b, b.tokens >= 1.0, window_ms);
}

RateDecision RateLimiter::charge_auth_failure(std::string_view ip, uint64_t credential, int64_t now_ms) {
  int64_t limit = config_.auth_failures;
  if (limit <= 0) return {};
  std::string k = bucket_key(ip, RateTier::Anonymous, RateBucket::AuthFailures);
  Shard& shard = shards_[std::hash<std::string>{}(k) % shard_count(config_)];
  int64_t window_ms = config_.window_s * 1000;
  std::lock_guard lock(shard.mu);
  Bucket& b = find_or_insert(shard, std::move(k), limit, window_ms, now_ms);
  refill(b, window_ms, now_ms);
  if (credential == 0) credential = 1;  // 0 marks an empty slot
  if (std::find(b.recent.begin(), b.recent.end(), credential) != b.recent.end())
    return decide(b, b.tokens >= 1.0, window_ms);
  b.recent[b.recent_next] = credential;
  b.recent_next = (b.recent_next + 1) % kRecentFailures;
  bool allowed = b.tokens >= 1.0;
  if (allowed) b.tokens -= 1.0;
  auto d = decide(b, allowed, window_ms);
  d.counted = true;
  return d;
}

bool RateLimiter::auth_blocked(std::string_view ip, int64_t now_ms) {
  auto d = peek(ip, RateTier::Anonymous, RateBucket::AuthFailures, now_ms);
  return d.limited && !d.allowed;
}

std::size_t RateLimiter::size() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < shard_count(config_); ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].lru.size();
  }
  return n;
}

}  // namespace wharf::hub
