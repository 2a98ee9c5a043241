// A child process with pipes to its stdin and stdout (RAII: a running child is killed and
// reaped when the object goes away). Used to run git's own programs.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/byte_source.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace wharf {

struct SubprocessOptions {
  std::vector<std::string> argv;         // argv[0] is looked up in PATH
  std::vector<std::string> extra_env;    // "NAME=value" added to (or replacing in) the environment
  std::string cwd;                       // "" = inherit
  bool pipe_stdin = true;
  bool pipe_stdout = true;
  bool capture_stderr = false;           // else stderr is inherited (the server's log)
};

class Subprocess {
 public:
  static Result<Subprocess> spawn(const SubprocessOptions& options);
  Subprocess(Subprocess&& o) noexcept;
  Subprocess& operator=(Subprocess&&) = delete;
  ~Subprocess();

  // Writes all bytes to the child's stdin; false when the child closed it.
  bool write_stdin(const char* data, std::size_t n);
  void close_stdin() { stdin_.reset(); }
  // Reads from the child's stdout; 0 at its end.
  Result<std::size_t> read_stdout(char* buf, std::size_t n);
  // Reads from the child's stderr (capture_stderr); 0 at its end. For a thread that drains
  // it while another reads stdout; wait() must not run until that thread is done.
  Result<std::size_t> read_stderr(char* buf, std::size_t n);
  // Waits for the child and returns its exit code (128 + signal when killed). With
  // capture_stderr, what it wrote there is in `stderr_text` afterwards.
  int wait();
  void kill();
  // SIGTERM: lets git remove its quarantine and lock files before it dies.
  void terminate();
  const std::string& stderr_text() const { return stderr_text_; }

 private:
  Subprocess() = default;
  pid_t pid_ = -1;
  UniqueFd stdin_, stdout_, stderr_;
  std::string stderr_text_;
};

// Runs a command to completion and returns {exit code, stdout}. For short outputs.
Result<std::pair<int, std::string>> run_command(const SubprocessOptions& options);

}  // namespace wharf
