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

// git's stderr as one printable line for a message: the bytes it echoes from a bad
// request may be anything.
std::string printable(std::string_view text, std::size_t max = 300) {
  std::string out;
  for (char ch : text) {
    if (out.size() >= max) break;
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c >= 0x20 && c < 0x7f ? ch : '?';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The response body: what git writes, after an optional prefix; when git exits, `on_exit`
// runs before the end of the body, so that a push is indexed before the client hears it ended.
// git's stderr is drained by a thread of its own (a git blocked on a full stderr pipe would
// never finish its stdout) and kept, bounded, for the error answer and the log.
class GitOutput : public ByteSource {
 public:
  // `push`: git is receive-pack, which is left to end by itself when the client goes away.
  GitOutput(Subprocess proc, std::string prefix, std::string service, bool push,
            std::function<void(int)> on_exit)
      : proc_(std::move(proc)),
        prefix_(std::move(prefix)),
        service_(std::move(service)),
        push_(push),
        on_exit_(std::move(on_exit)) {
    errors_reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        auto n = proc_.read_stderr(buf, sizeof buf);
        if (!n || *n == 0) break;
        if (errors_.size() < kMaxErrors)
          errors_.append(buf, std::min(*n, kMaxErrors - errors_.size()));
      }
    });
  }
  // Before the end of the answer, the client is gone (or the server stops). A fetch is
  // stopped. A push runs to its end: killed, receive-pack would leave its quarantine to the
  // unpacker it started, which recreates it; and a push that landed must still be indexed.
  ~GitOutput() override {
    if (finished_) return;
    if (push_) {
      std::vector<char> sink(64 * 1024);
      for (;;) {
        auto n = proc_.read_stdout(sink.data(), sink.size());
        if (!n || *n == 0) break;
      }
    } else {
      proc_.terminate();
    }
    finish();
  }
  // Feeds the request body to git's stdin from a thread of its own, so that git may write
  // while it reads. `first` holds bytes already read from `body`. Each read reaches git only
  // once the next one succeeded, so that the last bytes arrive only with the end of the body.
  // A body cut short thus gives git a request cut short, never a whole one, and git fails on
  // it as on any truncated request, removing its quarantine itself (see ~GitOutput).
  void feed(std::unique_ptr<ByteSource> owned, ByteSource& body, std::string first) {
    writer_ =
        std::thread([this, owned = std::move(owned), &body, held = std::move(first)]() mutable {
          std::vector<char> next(256 * 1024);
          for (;;) {
            auto n = body.read(next.data(), next.size());
            if (!n) {
              log::warn("git request body: " + n.error().message);
              break;
            }
            if (!proc_.write_stdin(held.data(), held.size()) || *n == 0) break;
            held.assign(next.data(), *n);
          }
          proc_.close_stdin();
        });
  }

  // Waits for git's first output or its end, before the response begins. When git ended
  // without a word and failed, the request was refused: BadRequest with git's message.
  Result<void> start() {
    std::string first(64 * 1024, '\0');
    auto got = WHARF_TRY(proc_.read_stdout(first.data(), first.size()));
    if (got > 0) {
      prefix_.append(first.data(), got);
      return {};
    }
    if (int code = finish(); code != 0) {
      std::string why = printable(errors_);
      return fail(
          errors::bad_request(service_ + " refused the request: " +
                              (why.empty() ? "the request body is incomplete or malformed" : why)));
    }
    return {};
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
    finish();
    return std::size_t{0};
  }

 private:
  static constexpr std::size_t kMaxErrors = 4096;

  // After git closed its stdout: reaps it, logs a failure, runs `on_exit`. Returns the code.
  int finish() {
    if (writer_.joinable()) writer_.join();
    if (errors_reader_.joinable()) errors_reader_.join();
    int code = proc_.wait();
    finished_ = true;
    if (code != 0)
      log::warn(service_ + " exited with " + std::to_string(code) + ": " +
                printable(errors_, 1000));
    if (on_exit_) on_exit_(code);
    return code;
  }

  Subprocess proc_;
  std::string prefix_;
  std::size_t pos_ = 0;
  std::string service_;
  bool push_;
  std::function<void(int)> on_exit_;
  std::thread writer_;
  std::thread errors_reader_;
  std::string errors_;  // written by errors_reader_ only, read after it joined
  bool finished_ = false;
};

Result<hub::GitService> service_of(std::string_view name) {
  if (name == "git-upload-pack") return hub::GitService::UploadPack;
  if (name == "git-receive-pack") return hub::GitService::ReceivePack;
  return fail(errors::forbidden("Unsupported git service; wharf speaks git's smart HTTP protocol only"));
}

Result<hub::RepoHandle> open_for(Call& c, hub::GitService s) {
  // Pushes need the right to contribute; the hook lets only writers move branches and tags.
  auto repo = c.open(s == hub::GitService::UploadPack ? hub::Access::Content : hub::Access::Discuss);
  if (!repo) return fail(challenge(std::move(repo.error())));
  return repo;
}

Result<Subprocess> spawn(Call& c, const hub::RepoHandle& repo, hub::GitService s, bool advertise) {
  hub::Pusher pusher;
  if (s == hub::GitService::ReceivePack) pusher = hub::pusher_of(c.hub, c.who, repo);
  auto cmd = hub::git_service_command(c.hub, repo, s, advertise, c.req.headers.get("Git-Protocol").value_or(""),
                                      pusher);
  return Subprocess::spawn({cmd.argv, cmd.env, "", !advertise, true, true});
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
  res.stream =
      std::make_unique<GitOutput>(std::move(proc), std::move(prefix), *name, false, nullptr);
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
    on_exit = [&hub = c.hub, id = repo.id, user = c.who.user ? c.who.user->id : 0](int) {
      hub::after_push(hub, id, user);
    };
  auto out = std::make_unique<GitOutput>(
      std::move(proc), "", name, service == hub::GitService::ReceivePack, std::move(on_exit));
  out->feed(std::move(inflated), body, std::move(first));
  WHARF_TRY_VOID(out->start());
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
