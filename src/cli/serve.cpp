// `wharf serve`: opens the data dir, repairs what a crash left, and serves.
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "api/api.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/setup.h"
#include "http/server.h"
#include "hub/identity.h"
#include "hub/git_service.h"
#include "hub/indexer.h"
#include "hub/repos.h"
#include "hub/uploads.h"
#include "util/log.h"
#include "web/web.h"

namespace wharf::cli {
namespace {

// On the first start, an operator account with a write token, printed once.
void bootstrap_admin(hub::Hub& hub) {
  auto count = hub.db().count_users();
  if (!count || *count > 0) return;
  auto user = hub::create_user(hub, "admin", true);
  if (!user) {
    log::error("cannot create the admin user: " + user.error().message);
    return;
  }
  auto token = hub::create_token(hub, "admin", "write", "admin-bootstrap");
  if (!token) {
    log::error("cannot create the admin token: " + token.error().message);
    return;
  }
  std::printf("Created user 'admin' with a write token (shown once, keep it):\n  %s\n", token->c_str());
  std::fflush(stdout);
}

// Collects uncommitted LFS uploads now and then, off the request path.
// Collects LFS uploads never committed, every 10 minutes until stopped.
class GcThread {
 public:
  explicit GcThread(hub::Hub& hub)
      : thread_([this, &hub] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, std::chrono::minutes(10), [this] { return stop_; })) {
            lock.unlock();
            if (auto n = hub::collect_lfs_garbage(hub)) log::info("lfs gc removed " + std::to_string(n) + " objects");
            lock.lock();
          }
        }) {}
  ~GcThread() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  Environment env;
  if (int code = open_environment(args, env); code >= 0) return code;
  auto& config = env.config;
  auto& hub = env.hub;
  hub::clear_tmp_repo_dirs(*hub);
  hub::repair_repo_dirs(*hub);
  if (auto n = hub::remove_stale_ref_locks(*hub))
    log::warn("removed " + std::to_string(n) + " stale ref locks left by a crash");
  if (auto n = hub::reindex_stale(*hub)) log::info("re-indexed " + std::to_string(n) + " repositories from git");
  bootstrap_admin(*hub);
  if (auto hooks = hub::install_git_hooks(*hub); !hooks) {
    std::fprintf(stderr, "wharf: %s\n", hooks.error().message.c_str());
    return 1;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // threads started below inherit the mask
  std::signal(SIGPIPE, SIG_IGN);

  http::ServerOptions so;
  so.bind_address = config.bind_address;
  so.port = config.port;
  so.max_connections = config.max_connections;
  http::Server server(so, http::Handler{});
  auto port = server.listen();
  if (!port) {
    std::fprintf(stderr, "wharf: %s\n", port.error().message.c_str());
    return 1;
  }
  std::string host = config.bind_address == "0.0.0.0" || config.bind_address == "::" ? "localhost" : config.bind_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  api::ApiOptions ao;
  ao.public_url = config.public_url.empty() ? "http://" + host + ":" + std::to_string(*port) : config.public_url;
  web::WebOptions wo;
  wo.public_url = ao.public_url;
  wo.signup = {config.signup_open, config.signup_email_domains};
  wo.max_upload_bytes = config.web_upload_max_bytes;
  // The web owns its pages; every other path is the API's.
  http::Handler site = [api_routes = api::make_handler(*hub, ao),
                        web_routes = web::make_handler(*hub, wo)](http::Request& req) {
    return web::owns_path(req.path) ? web_routes(req) : api_routes(req);
  };
  server.set_handler(api::with_rate_limits(*hub, config.rate_limits, std::move(site)));
  GcThread gc(*hub);
  hub->downloads().start(config.downloads_flush_ms, config.downloads_flush_ms * 60);
  std::thread([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    log::info("signal " + std::to_string(sig) + ": shutting down");
    server.stop();
  }).detach();
  std::printf("wharf listening on http://%s:%u (public URL %s, data dir %s)\n", config.bind_address.c_str(),
              static_cast<unsigned>(*port), ao.public_url.c_str(), config.data_dir.c_str());
  std::fflush(stdout);
  bool drained = server.run();
  // Before the drain check: the counts already taken are written even when exiting without
  // cleanup (a handler still recording meanwhile is safe, its count may be lost).
  hub->downloads().stop();
  hub::stop_maintenance();
  if (!drained) {
    // A connection thread still runs the handler; tearing the hub down under it would be worse.
    log::warn("connections still busy after the drain period; exiting without cleanup");
    std::fflush(nullptr);
    std::_Exit(0);
  }
  log::info("stopped");
  return 0;
}

}  // namespace wharf::cli
