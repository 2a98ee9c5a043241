// Download counting, by the rule the Hub documents (hub-docs models-download-stats.md and
// datasets-download-stats.md):
//
//  - models: a request counts when it is for one of the repo's "query files". By default
//    config.json, config.yaml, hyperparams.yaml, params.json and meta.yaml at the top level;
//    a library may name its own (huggingface.js model-libraries.ts `countDownloads`, e.g.
//    adapter_config.json for peft, *.nemo for nemo, *.whl for spacy), and diffusers counts
//    model_index.json plus top-level *.safetensors, *.ckpt and *.bin. Every GGUF file counts,
//    whatever the library. The Hub counts GET and HEAD alike.
//  - datasets: every file counts, and all the files one client (by address) fetches from one
//    repo within 5 minutes are one download.
//  - spaces: nothing counts.
//
// One difference, on purpose: the Hub answers a resolve with a redirect, so a client's HEAD
// and the GET that follows reach two different URLs and the Hub logs the download once.
// wharf serves the bytes on the resolve URL itself, so the same client's requests for the
// same model file within `file_window_ms` (30 s) are merged into one download: Python's HEAD
// then GET, or the JS client's `Range: bytes=0-0` probe then GET, count once, while a later
// load (a cached from_pretrained HEADs once) counts again.
//
// Counting never touches the database on the request path: DownloadCounter adds to a map in
// memory (O(1) under a mutex) and a flusher thread writes the counts in one transaction every
// flush_ms, then recomputes the 30-day and trending counters now and then.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hub/repo_id.h"
#include "storage/db.h"

namespace wharf::hub {

class Hub;

// Whether a request for `path` (repo-relative) counts toward the repo's downloads, before the
// merging of one client's requests. `library_name` is the repo's (card or inferred; "" none).
bool counts_as_download(RepoType type, std::string_view library_name, std::string_view path);

struct DownloadCounterOptions {
  int64_t file_window_ms = 30 * 1000;      // models: one client, one file
  int64_t repo_window_ms = 5 * 60 * 1000;  // datasets: one client, one repo
  // Clients remembered for the windows; past this, expired ones are dropped, and if all are
  // live the memory is cleared (some requests then count twice rather than RSS growing).
  std::size_t max_recent = 1 << 18;
};

// One resolve (or raw) request that was answered with the file.
struct DownloadRequest {
  int64_t repo_id = 0;
  RepoType type = RepoType::Model;
  std::string_view library_name;
  std::string_view path;
  std::string_view client;  // the client's address
};

// Accumulates downloads in memory and writes them in batches. Safe from many threads.
class DownloadCounter {
 public:
  // Writes a batch (repo ids with counts, none zero); false when it failed, and the batch is
  // then kept for the next flush. Called from one thread at a time.
  using Writer = std::function<bool(const std::vector<storage::DownloadCount>&, int64_t now_ms)>;
  // Recomputes the windowed counters (30-day downloads, trending score).
  using Recompute = std::function<void(int64_t now_ms)>;

  DownloadCounter(Writer write, Recompute recompute, DownloadCounterOptions options = {});
  ~DownloadCounter();  // stop()
  DownloadCounter(const DownloadCounter&) = delete;
  DownloadCounter& operator=(const DownloadCounter&) = delete;

  // Counts the request if the rule says so and the client's window allows; true if counted.
  bool record(const DownloadRequest& r, int64_t now_ms);

  // Starts the flusher: it recomputes at once, then flushes every `flush_ms` and recomputes
  // every `recompute_ms`. REQUIRES: flush_ms > 0. A second start is ignored.
  void start(int64_t flush_ms, int64_t recompute_ms);
  // Stops the flusher (if started) and flushes what is pending. Idempotent.
  void stop();

  // Writes what is pending now; false when the writer failed (the counts are kept).
  bool flush(int64_t now_ms);
  // What the next flush would write, by repo id ascending (for tests and diagnostics).
  std::vector<storage::DownloadCount> pending() const;

 private:
  void run(int64_t flush_ms, int64_t recompute_ms);
  void prune_recent(int64_t now_ms);  // REQUIRES: mu_ held

  Writer write_;
  Recompute recompute_;
  DownloadCounterOptions options_;

  mutable std::mutex mu_;                         // guards the two maps
  std::unordered_map<int64_t, int64_t> pending_;  // repo id -> count
  std::unordered_map<uint64_t, int64_t> recent_;  // client key -> when it last counted
  std::mutex flush_mu_;                           // one writer at a time

  std::mutex thread_mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// Hands changed counters to the in-memory catalog.
void publish_counters(Hub& hub, const std::vector<storage::RepoCounters>& changed);

// What Hub::open wires into its counter: a batch is written with Db::add_downloads and the
// changed counters go to the catalog; a recompute runs Db::recompute_counters for today.
// `db` is a connection of the counters' own (see Db::recompute_counters). Failures are
// logged (and the write reported false).
bool write_downloads(Hub& hub, storage::Db& db, const std::vector<storage::DownloadCount>& batch,
                     int64_t now_ms);
void recompute_counters(Hub& hub, storage::Db& db, int64_t now_ms);

}  // namespace wharf::hub
