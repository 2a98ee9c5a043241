#include "hub/git_service.h"

#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "hub/access.h"
#include "hub/indexer.h"
#include "hub/pull_requests.h"
#include "util/log.h"
#include "util/subprocess.h"
#include "util/time.h"

namespace wharf::hub {
namespace fs = std::filesystem;

namespace {

std::string hooks_dir(const Hub& hub) { return hub.options().data_dir + "/hooks"; }

std::string self_executable() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("wharf") : p.string();
}

std::string safe_protocol(const std::string& p) {
  std::string out;
  for (char c : p)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '=' || c == ':' || c == '.' || c == '_' || c == '-')
      out += c;
  return out.substr(0, 100);
}

}  // namespace

std::string_view service_name(GitService s) {
  return s == GitService::UploadPack ? "git-upload-pack" : "git-receive-pack";
}

Pusher pusher_of(Hub& hub, const Identity& who, const RepoHandle& repo) {
  return {who.user ? who.user->id : 0, check_repo_access(hub, who, repo.row, Access::Write).has_value()};
}

GitCommand git_service_command(const Hub& hub, const RepoHandle& repo, GitService service, bool advertise,
                               const std::string& protocol, const Pusher& pusher) {
  GitCommand cmd;
  cmd.argv = {"git"};
  if (service == GitService::ReceivePack) {
    cmd.argv.insert(cmd.argv.end(), {"-c", "core.hooksPath=" + hooks_dir(hub), "-c", "receive.fsckObjects=true",
                                     "-c", "receive.advertisePushOptions=false", "-c", "receive.autogc=false"});
  } else {
    cmd.argv.insert(cmd.argv.end(), {"-c", "uploadpack.allowFilter=true", "-c", "uploadpack.allowAnySHA1InWant=false"});
  }
  cmd.argv.push_back(service == GitService::UploadPack ? "upload-pack" : "receive-pack");
  cmd.argv.push_back("--stateless-rpc");
  if (advertise) cmd.argv.push_back("--advertise-refs");
  cmd.argv.push_back(repo.git.path());
  if (auto p = safe_protocol(protocol); !p.empty()) cmd.env.push_back("GIT_PROTOCOL=" + p);
  cmd.env.push_back("WHARF_DATA_DIR=" + hub.options().data_dir);
  cmd.env.push_back("WHARF_HOOK_REPO=" + std::string(type_name(repo.id.type)) + ":" + repo.id.full());
  cmd.env.push_back("GIT_CONFIG_NOSYSTEM=1");
  if (service == GitService::ReceivePack)
    cmd.env.push_back("WHARF_HOOK_PUSHER=" + std::to_string(pusher.user_id) + ":" + (pusher.writes ? "1" : "0"));
  return cmd;
}

Result<void> install_git_hooks(const Hub& hub) {
  std::error_code ec;
  fs::create_directories(hooks_dir(hub), ec);
  if (ec) return fail(errors::internal("Cannot create " + hooks_dir(hub) + ": " + ec.message()));
  std::string path = hooks_dir(hub) + "/pre-receive", tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    std::string exe = self_executable();
    std::string quoted;
    for (char c : exe) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    f << "#!/bin/sh\n# Written by wharf at start-up: applies the push rules.\nexec '" << quoted
      << "' hook pre-receive\n";
    if (!f) return fail(errors::internal("Cannot write " + tmp));
  }
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec, ec);
  fs::rename(tmp, path, ec);
  if (ec) return fail(errors::internal("Cannot install " + path + ": " + ec.message()));
  return {};
}

void after_push(Hub& hub, const RepoId& id, int64_t pusher_id) {
  storage::UserRow operator_user;
  operator_user.is_admin = true;
  auto repo = open_repo(hub, Identity{operator_user, std::nullopt, std::nullopt, {}}, id, Access::Read);
  if (!repo) {
    log::error("after push: " + repo.error().message);
    return;
  }
  if (auto r = index_default_branch(hub, repo->row, repo->git); !r)
    log::error("index update after push to " + id.full() + ": " + r.error().message);
  record_pushed_commits(hub, *repo, pusher_id);
  maintain_repo(repo->git.path());
}

namespace {

// Background maintenance, per repo; `running` counts the threads still at work.
struct MaintenanceState {
  struct Repo {
    int64_t last_ms = 0;
    int updates = 0;
    bool running = false;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, Repo> repos;
  int running = 0;
  bool stopped = false;
};

MaintenanceState& maintenance() {
  static auto* state = new MaintenanceState;  // never destroyed: threads may outlive statics
  return *state;
}

}  // namespace

void stop_maintenance() {
  auto& m = maintenance();
  std::unique_lock lock(m.mu);
  m.stopped = true;
  m.cv.wait(lock, [&] { return m.running == 0; });
}

void maintain_repo(const std::string& repo_path) {
  // `git maintenance --auto` is cheap when there is nothing to do, but it is a process: run it after
  // every 25th ref update of a repo, or when a minute has passed, never two at once.
  auto& m = maintenance();
  {
    std::lock_guard lock(m.mu);
    if (m.stopped) return;
    auto& st = m.repos[repo_path];
    int64_t now = now_ms();
    if (st.running || (++st.updates < 25 && now - st.last_ms < 60'000)) return;
    st = {now, 0, true};
    m.running++;
  }
  std::thread([repo_path] {
    // loose-objects packs loose objects once there are enough (an exact count, unlike gc's
    // estimate) and drops those packed the time before; gc --auto consolidates packs.
    auto r = run_command({{"git", "--git-dir=" + repo_path, "maintenance", "run", "--auto", "--quiet",
                           "--task=loose-objects", "--task=gc"}, {}, "", false, true, false});
    if (!r || r->first != 0) log::warn("git maintenance failed for " + repo_path);
    auto& m = maintenance();
    std::lock_guard lock(m.mu);
    m.repos[repo_path].running = false;
    m.running--;
    m.cv.notify_all();
  }).detach();
}

}  // namespace wharf::hub
