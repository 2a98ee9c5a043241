// git smart HTTP (spec §17.1): info/refs, git-upload-pack and git-receive-pack, streamed both
// ways through git's own programs (a multi-GB pack never sits in memory).
#include <thread>

#include "api/context.h"
#include "hub/git_service.h"
#include "util/gzip_source.h"
#include "util/log.h"
#include "util/subprocess.h"

namespace wharf::api {
namespace {

constexpr uint64_t kMaxInflatedRequest = 64ULL << 30;

// git asks for credentials only when a 401 carries a challenge.
Error challenge(Error e) {
  if (e.status == 401) e.headers.emplace_back("WWW-Authenticate", "Basic realm=\"wharf\"");
  return e;
}

std::string pkt_line(std::string_view payload) {
  char len[5];
  std::snprintf(len, sizeof len, "%04zx", payload.size() + 4);
  return std::string(len, 4) + std::string(payload);
}

// The response body: what git writes, after an optional prefix; when git exits, `on_exit`
// runs before the end of the body, so that a push is indexed before the client hears it ended.
class GitOutput : public ByteSource {
 public:
  GitOutput(Subprocess proc, std::string prefix, std::function<void(int)> on_exit)
      : proc_(std::move(proc)), prefix_(std::move(prefix)), on_exit_(std::move(on_exit)) {}
  ~GitOutput() override {
    if (!finished_) proc_.kill();
    if (writer_.joinable()) writer_.join();
  }
  // Feeds the request body to git's stdin from a thread of its own, so that git may write
  // while it reads. `first` holds bytes already read from `body`.
  void feed(std::unique_ptr<ByteSource> owned, ByteSource& body, std::string first) {
    writer_ = std::thread([this, owned = std::move(owned), &body, first = std::move(first)] {
      bool ok = proc_.write_stdin(first.data(), first.size());
      std::vector<char> buf(256 * 1024);
      while (ok) {
        auto n = body.read(buf.data(), buf.size());
        if (!n) {
          log::warn("git request body: " + n.error().message);
          proc_.kill();  // a half-sent pack must not be taken as a whole one
          break;
        }
        if (*n == 0) break;
        ok = proc_.write_stdin(buf.data(), *n);
      }
      proc_.close_stdin();
    });
  }

  Result<std::size_t> read(char* buf, std::size_t n) override {
    if (pos_ < prefix_.size()) {
      std::size_t k = std::min(n, prefix_.size() - pos_);
      std::copy_n(prefix_.data() + pos_, k, buf);
      pos_ += k;
      return k;
    }
    if (finished_) return std::size_t{0};
    auto got = WHARF_TRY(proc_.read_stdout(buf, n));
    if (got > 0) return got;
    if (writer_.joinable()) writer_.join();
    int code = proc_.wait();
    finished_ = true;
    if (on_exit_) on_exit_(code);
    return std::size_t{0};
  }

 private:
  Subprocess proc_;
  std::string prefix_;
  std::size_t pos_ = 0;
  std::function<void(int)> on_exit_;
  std::thread writer_;
  bool finished_ = false;
};

Result<hub::GitService> service_of(std::string_view name) {
  if (name == "git-upload-pack") return hub::GitService::UploadPack;
  if (name == "git-receive-pack") return hub::GitService::ReceivePack;
  return fail(errors::forbidden("Unsupported git service; wharf speaks git's smart HTTP protocol only"));
}

Result<hub::RepoHandle> open_for(Call& c, hub::GitService s) {
  auto repo = c.open(s == hub::GitService::UploadPack ? hub::Access::Read : hub::Access::Write);
  if (!repo) return fail(challenge(std::move(repo.error())));
  return repo;
}

Result<Subprocess> spawn(Call& c, const hub::RepoHandle& repo, hub::GitService s, bool advertise) {
  auto cmd = hub::git_service_command(c.hub, repo, s, advertise, c.req.headers.get("Git-Protocol").value_or(""));
  return Subprocess::spawn({cmd.argv, cmd.env, "", !advertise, true, false});
}

Result<http::Response> info_refs(Call& c) {
  auto name = c.query.get("service");
  if (!name) return fail(errors::forbidden("The dumb HTTP protocol is not supported; use a git client that speaks smart HTTP"));
  auto service = WHARF_TRY(service_of(*name));
  auto repo = WHARF_TRY(open_for(c, service));
  auto proc = WHARF_TRY(spawn(c, repo, service, true));
  std::string prefix;
  if (c.req.headers.get("Git-Protocol").value_or("").find("version=2") == std::string::npos)
    prefix = pkt_line("# service=" + *name + "\n") + "0000";
  http::Response res;
  res.headers.set("Content-Type", "application/x-" + *name + "-advertisement");
  res.headers.set("Cache-Control", "no-cache, max-age=0, must-revalidate");
  res.stream = std::make_unique<GitOutput>(std::move(proc), std::move(prefix), nullptr);
  return res;
}

Result<http::Response> rpc(Call& c, const std::string& name) {
  auto service = WHARF_TRY(service_of(name));
  if (c.req.method != "POST") return fail(Error{405, "MethodNotAllowed", "Use POST", {}, {}});
  auto repo = WHARF_TRY(open_for(c, service));
  if (c.req.headers.get("Content-Type").value_or("") != "application/x-" + name + "-request")
    return fail(errors::bad_request("Expected Content-Type application/x-" + name + "-request"));
  std::unique_ptr<ByteSource> inflated;
  auto encoding = c.req.headers.get("Content-Encoding").value_or("");
  if (encoding == "gzip" || encoding == "x-gzip") inflated = gunzip(c.req.body(), kMaxInflatedRequest);
  else if (!encoding.empty() && encoding != "identity")
    return fail(Error{415, "UnsupportedMediaType", "Unsupported Content-Encoding " + encoding, {}, {}});
  ByteSource& body = inflated ? *inflated : c.req.body();
  // The first read happens here, on the connection's thread, so that an "Expect:
  // 100-continue" answer is written before the response starts.
  std::string first(64 * 1024, '\0');
  first.resize(WHARF_TRY(body.read(first.data(), first.size())));
  auto proc = WHARF_TRY(spawn(c, repo, service, false));
  std::function<void(int)> on_exit;
  if (service == hub::GitService::ReceivePack)
    on_exit = [&hub = c.hub, id = repo.id](int) { hub::after_push(hub, id); };
  auto out = std::make_unique<GitOutput>(std::move(proc), "", std::move(on_exit));
  out->feed(std::move(inflated), body, std::move(first));
  http::Response res;
  res.headers.set("Content-Type", "application/x-" + name + "-result");
  res.headers.set("Cache-Control", "no-cache, max-age=0, must-revalidate");
  res.stream = std::move(out);
  return res;
}

}  // namespace

Result<http::Response> handle_git(Call& c) {
  const auto& sub = c.route.sub;
  if (sub == "info/refs") return info_refs(c);
  if (sub == "git-upload-pack" || sub == "git-receive-pack") return rpc(c, sub);
  return fail(errors::forbidden("The dumb HTTP protocol is not supported; use a git client that speaks smart HTTP"));
}

}  // namespace wharf::api
