#include "hub/downloads.h"

#include <algorithm>
#include <chrono>

#include "hub/hub.h"
#include "util/log.h"
#include "util/time.h"

namespace wharf::hub {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// FNV-1a: the window key of a client's requests. A collision merges two clients' downloads
// for one window at worst.
uint64_t fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t window_key(const DownloadRequest& r, bool per_file) {
  uint64_t h = 14695981039346656037ULL;
  h = fnv1a(h, std::string_view(reinterpret_cast<const char*>(&r.repo_id), sizeof r.repo_id));
  h = fnv1a(h, r.client);
  if (per_file) h = fnv1a(fnv1a(h, std::string_view("\0", 1)), r.path);
  return h;
}

}  // namespace

DownloadCounter::DownloadCounter(Writer write, Recompute recompute, DownloadCounterOptions options)
    : write_(std::move(write)), recompute_(std::move(recompute)), options_(options) {}

DownloadCounter::~DownloadCounter() { stop(); }

bool DownloadCounter::record(const DownloadRequest& r, int64_t now_ms) {
  if (!counts_as_download(r.type, r.library_name, r.path)) return false;
  bool per_file = r.type == RepoType::Model;
  int64_t window = per_file ? options_.file_window_ms : options_.repo_window_ms;
  uint64_t key = window_key(r, per_file);
  std::lock_guard lock(mu_);
  if (recent_.size() >= options_.max_recent) prune_recent(now_ms);
  auto [it, inserted] = recent_.try_emplace(key, now_ms);
  if (!inserted) {
    if (now_ms - it->second < window) return false;
    it->second = now_ms;
  }
  ++pending_[r.repo_id];
  return true;
}

void DownloadCounter::prune_recent(int64_t now_ms) {
  int64_t longest = std::max(options_.file_window_ms, options_.repo_window_ms);
  std::erase_if(recent_, [&](const auto& kv) { return now_ms - kv.second >= longest; });
  if (recent_.size() >= options_.max_recent) recent_.clear();
}

bool DownloadCounter::flush(int64_t now_ms) {
  std::lock_guard writing(flush_mu_);
  std::unordered_map<int64_t, int64_t> taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(pending_);
    prune_recent(now_ms);
  }
  if (taken.empty()) return true;
  std::vector<storage::DownloadCount> batch;
  batch.reserve(taken.size());
  for (const auto& [id, n] : taken) batch.push_back({id, n});
  std::ranges::sort(batch, {}, &storage::DownloadCount::repo_id);
  if (write_(batch, now_ms)) return true;
  std::lock_guard lock(mu_);
  for (const auto& d : batch) pending_[d.repo_id] += d.count;
  return false;
}

std::vector<storage::DownloadCount> DownloadCounter::pending() const {
  std::vector<storage::DownloadCount> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, n] : pending_) out.push_back({id, n});
  }
  std::ranges::sort(out, {}, &storage::DownloadCount::repo_id);
  return out;
}

void DownloadCounter::start(int64_t flush_ms, int64_t recompute_ms) {
  std::lock_guard lock(thread_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, flush_ms, recompute_ms] { run(flush_ms, recompute_ms); });
}

void DownloadCounter::run(int64_t flush_ms, int64_t recompute_ms) {
  recompute_(now_ms());
  int64_t last_recompute = now_ms();
  std::unique_lock lock(thread_mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(flush_ms), [this] { return stopping_; })) {
    lock.unlock();
    int64_t now = now_ms();
    flush(now);
    if (now - last_recompute >= recompute_ms) {
      recompute_(now);
      last_recompute = now;
    }
    lock.lock();
  }
}

void DownloadCounter::stop() {
  std::thread running;
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = true;
    running = std::move(thread_);
  }
  cv_.notify_all();
  if (running.joinable()) running.join();
  flush(now_ms());
}

void publish_counters(Hub& hub, const std::vector<storage::RepoCounters>& changed) {
  if (changed.empty()) return;
  std::vector<Catalog::Counters> counters;
  counters.reserve(changed.size());
  for (const auto& c : changed)
    counters.push_back({c.repo_id, c.downloads, c.downloads_all_time, c.likes, c.trending_score});
  hub.catalog().set_counters(counters);
}

bool write_downloads(Hub& hub, storage::Db& db, const std::vector<storage::DownloadCount>& batch,
                     int64_t now_ms) {
  auto changed = db.add_downloads(batch, now_ms / kDayMs);
  if (!changed) {
    log::error("downloads: cannot write " + std::to_string(batch.size()) +
               " counters: " + changed.error().message);
    return false;
  }
  publish_counters(hub, *changed);
  return true;
}

void recompute_counters(Hub& hub, storage::Db& db, int64_t now_ms) {
  auto changed = db.recompute_counters(now_ms / kDayMs, now_ms);
  if (!changed) {
    log::error("downloads: cannot recompute the counters: " + changed.error().message);
    return;
  }
  publish_counters(hub, *changed);
  int64_t took = wharf::now_ms() - now_ms;
  if (took >= 1000 || changed->size() >= 10000)
    log::info("downloads: recomputed " + std::to_string(changed->size()) + " repo counters in " +
              std::to_string(took) + " ms");
}

}  // namespace wharf::hub
