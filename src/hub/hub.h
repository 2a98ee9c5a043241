// The domain's root object: the stores of one data dir and the locks that order writes.
// Every service takes a Hub&. Safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hub/catalog.h"
#include "hub/downloads.h"
#include "hub/repo_id.h"
#include "storage/blobstore.h"
#include "storage/db.h"
#include "storage/gitstore.h"

namespace wharf::hub {

struct HubOptions {
  std::string data_dir = "./wharf-data";
  // LFS objects uploaded but never committed are collected after this long.
  int64_t lfs_grace_ms = 24LL * 3600 * 1000;
  // LFS uploads at or above this size are offered the multipart transfer.
  uint64_t multipart_threshold = 512ULL << 20;
  uint64_t multipart_chunk_size = 64ULL << 20;
};

class Hub {
 public:
  // Opens the data dir (creating it, the database and the stores as needed).
  static Result<std::unique_ptr<Hub>> open(const HubOptions& options);

  const HubOptions& options() const { return options_; }
  storage::Db& db() { return *db_; }
  storage::BlobStore& blobs() { return *blobs_; }
  // The in-memory search index of every repo (hub/catalog), loaded when the hub opens.
  Catalog& catalog() { return *catalog_; }
  // Download counts on their way to the database (hub/downloads): resolve records into it;
  // `wharf serve` starts and stops its flusher.
  DownloadCounter& downloads() { return *downloads_; }

  // Where the bare repository of `id` lives: <data>/repos/<types>/<ns>/<name>.git.
  std::string repo_path(const RepoId& id) const;
  std::string tmp_dir() const { return options_.data_dir + "/tmp"; }

  // The server's secret for signing self-authenticating URLs (created on first open).
  const std::string& secret() const { return secret_; }

  // A pool of open repositories: opening one costs dozens of filesystem calls, and most
  // requests only read. take_git gives an open handle of `path` (from the pool, or opened
  // now); give_git returns it; forget_git drops the pooled handles of a path that is
  // deleted or moved. A pooled handle sees new refs and objects as a fresh one would.
  Result<storage::GitRepo> take_git(const std::string& path);
  void give_git(storage::GitRepo git);
  void forget_git(const std::string& path);

  // Serializes repository lifecycle changes (create, delete, move) in this process.
  std::mutex& lifecycle_mutex() { return lifecycle_mutex_; }
  // Serializes writes to one ref of one repository in this process (commits, ref moves).
  // The ref itself is still updated with compare-and-swap, so pushes by git stay safe.
  std::shared_ptr<std::mutex> ref_mutex(int64_t repo_id, const std::string& ref);

 private:
  HubOptions options_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<storage::BlobStore> blobs_;
  std::unique_ptr<Catalog> catalog_ = std::make_unique<Catalog>();
  std::string secret_;
  std::mutex lifecycle_mutex_;
  std::mutex ref_mutexes_guard_;
  std::map<std::pair<int64_t, std::string>, std::weak_ptr<std::mutex>> ref_mutexes_;
  std::mutex git_pool_guard_;
  std::map<std::string, std::vector<storage::GitRepo>> git_pool_;
  std::size_t git_pool_size_ = 0;
  // Last, so that it is destroyed first: its final flush writes through db_ and catalog_.
  std::unique_ptr<DownloadCounter> downloads_;
};

}  // namespace wharf::hub
