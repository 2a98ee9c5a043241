#include "hub/hub.h"

#include <filesystem>

#include "hub/discovery.h"
#include "util/crypto.h"

namespace wharf::hub {

Result<std::unique_ptr<Hub>> Hub::open(const HubOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir + "/repos", ec);
  if (ec) return fail(errors::internal("Cannot create data dir " + options.data_dir + ": " + ec.message()));
  auto hub = std::unique_ptr<Hub>(new Hub());
  hub->options_ = options;
  hub->db_ = WHARF_TRY(storage::Db::open(options.data_dir + "/wharf.db"));
  hub->blobs_ = std::make_unique<storage::BlobStore>(WHARF_TRY(storage::BlobStore::open(options.data_dir)));
  auto secret = WHARF_TRY(hub->db_->get_setting("server_secret"));
  if (!secret) {
    secret = random_hex(64);
    WHARF_TRY_VOID(hub->db_->put_setting("server_secret", *secret));
  }
  hub->secret_ = *secret;
  WHARF_TRY_VOID(load_catalog(*hub));
  // The counters write on a connection of their own: a recompute reads for seconds at the
  // Hub's scale, and requests must not wait for the lock of the connection they use.
  std::shared_ptr<storage::Db> counters_db = WHARF_TRY(storage::Db::open(options.data_dir + "/wharf.db"));
  Hub* h = hub.get();
  hub->downloads_ = std::make_unique<DownloadCounter>(
      [h, counters_db](const std::vector<storage::DownloadCount>& batch, int64_t now) {
        return write_downloads(*h, *counters_db, batch, now);
      },
      [h, counters_db](int64_t now) { recompute_counters(*h, *counters_db, now); });
  return hub;
}

std::string Hub::repo_path(const RepoId& id) const {
  return options_.data_dir + "/repos/" + std::string(type_plural(id.type)) + "/" + id.ns + "/" +
         id.name + ".git";
}

std::shared_ptr<std::mutex> Hub::ref_mutex(int64_t repo_id, const std::string& ref) {
  std::lock_guard lock(ref_mutexes_guard_);
  auto key = std::make_pair(repo_id, ref);
  if (auto m = ref_mutexes_[key].lock()) return m;
  std::erase_if(ref_mutexes_, [](const auto& kv) { return kv.second.expired(); });
  auto m = std::make_shared<std::mutex>();
  ref_mutexes_[key] = m;
  return m;
}

}  // namespace wharf::hub

namespace wharf::hub {
namespace {
constexpr std::size_t kPoolPerRepo = 8;
constexpr std::size_t kPoolTotal = 512;
}  // namespace

Result<storage::GitRepo> Hub::take_git(const std::string& path) {
  {
    std::lock_guard lock(git_pool_guard_);
    auto it = git_pool_.find(path);
    if (it != git_pool_.end() && !it->second.empty()) {
      storage::GitRepo git = std::move(it->second.back());
      it->second.pop_back();
      --git_pool_size_;
      return git;
    }
  }
  return storage::GitRepo::open(path);
}

void Hub::give_git(storage::GitRepo git) {
  if (!git.valid()) return;
  std::lock_guard lock(git_pool_guard_);
  auto& slot = git_pool_[git.path()];
  if (slot.size() >= kPoolPerRepo || git_pool_size_ >= kPoolTotal) return;  // closed on return
  slot.push_back(std::move(git));
  ++git_pool_size_;
}

void Hub::forget_git(const std::string& path) {
  std::vector<storage::GitRepo> dropped;
  std::lock_guard lock(git_pool_guard_);
  auto it = git_pool_.find(path);
  if (it == git_pool_.end()) return;
  git_pool_size_ -= it->second.size();
  dropped = std::move(it->second);
  git_pool_.erase(it);
}

}  // namespace wharf::hub
