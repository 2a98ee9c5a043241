#include "util/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace wharf {
namespace {

Error spawn_error(const std::string& what) {
  return errors::internal("Cannot run " + what + ": " + std::strerror(errno));
}

// The child's environment: ours with `extra` added or replaced.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    vars[kv.substr(0, kv.find('='))] = kv;
  }
  for (const auto& kv : extra) vars[kv.substr(0, kv.find('='))] = kv;
  std::vector<std::string> out;
  for (auto& [k, v] : vars) out.push_back(std::move(v));
  return out;
}

}  // namespace

Result<Subprocess> Subprocess::spawn(const SubprocessOptions& o) {
  if (o.argv.empty()) return fail(errors::internal("Subprocess without a program"));
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if ((o.pipe_stdin && ::pipe2(in, O_CLOEXEC) != 0) || (o.pipe_stdout && ::pipe2(out, O_CLOEXEC) != 0) ||
      (o.capture_stderr && ::pipe2(err, O_CLOEXEC) != 0))
    return fail(spawn_error("pipe"));
  Subprocess p;
  UniqueFd child_in(in[0]), child_out(out[1]), child_err(err[1]);
  p.stdin_ = UniqueFd(in[1]);
  p.stdout_ = UniqueFd(out[0]);
  p.stderr_ = UniqueFd(err[0]);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (o.pipe_stdin) posix_spawn_file_actions_adddup2(&fa, child_in.get(), 0);
  else posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (o.pipe_stdout) posix_spawn_file_actions_adddup2(&fa, child_out.get(), 1);
  else posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  if (o.capture_stderr) posix_spawn_file_actions_adddup2(&fa, child_err.get(), 2);
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, o.cwd.c_str());

  std::vector<char*> argv;
  for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto env_strings = child_environment(o.extra_env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);  // the server blocks SIGTERM/SIGINT; the child must not
  sigset_t dflt;
  sigemptyset(&dflt);
  sigaddset(&dflt, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &dflt);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  int rc = posix_spawnp(&p.pid_, argv[0], &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    errno = rc;
    return fail(spawn_error(o.argv[0]));
  }
  return p;
}

Subprocess::Subprocess(Subprocess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      stdin_(std::move(o.stdin_)),
      stdout_(std::move(o.stdout_)),
      stderr_(std::move(o.stderr_)),
      stderr_text_(std::move(o.stderr_text_)) {}

Subprocess::~Subprocess() {
  if (pid_ > 0) {
    kill();
    wait();
  }
}

bool Subprocess::write_stdin(const char* data, std::size_t n) {
  while (n > 0) {
    ssize_t k = ::write(stdin_.get(), data, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

namespace {

Result<std::size_t> read_pipe(int fd, char* buf, std::size_t n) {
  for (;;) {
    ssize_t k = ::read(fd, buf, n);
    if (k >= 0) return static_cast<std::size_t>(k);
    if (errno != EINTR) return fail(errors::internal(std::string("read from subprocess: ") + std::strerror(errno)));
  }
}

}  // namespace

Result<std::size_t> Subprocess::read_stdout(char* buf, std::size_t n) {
  return read_pipe(stdout_.get(), buf, n);
}

Result<std::size_t> Subprocess::read_stderr(char* buf, std::size_t n) {
  return read_pipe(stderr_.get(), buf, n);
}

int Subprocess::wait() {
  if (pid_ <= 0) return -1;
  if (stderr_) {
    char buf[4096];
    ssize_t k;
    while ((k = ::read(stderr_.get(), buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR))
      if (k > 0 && stderr_text_.size() < (1u << 20)) stderr_text_.append(buf, static_cast<std::size_t>(k));
    stderr_.reset();
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void Subprocess::kill() {
  if (pid_ > 0) ::kill(pid_, SIGKILL);
}

void Subprocess::terminate() {
  if (pid_ > 0) ::kill(pid_, SIGTERM);
}

Result<std::pair<int, std::string>> run_command(const SubprocessOptions& options) {
  SubprocessOptions o = options;
  o.pipe_stdin = false;
  o.pipe_stdout = true;
  auto p = WHARF_TRY(Subprocess::spawn(o));
  std::string out;
  char buf[16384];
  for (;;) {
    auto n = WHARF_TRY(p.read_stdout(buf, sizeof buf));
    if (n == 0) break;
    out.append(buf, n);
  }
  return std::make_pair(p.wait(), std::move(out));
}

}  // namespace wharf
