// Child processes with pipes, as git's programs are run.
#include "util/subprocess.h"

#include <gtest/gtest.h>

#include <thread>

namespace wharf {
namespace {

TEST(Subprocess, RunCommandReturnsExitCodeAndOutput) {
  auto r = run_command({{"sh", "-c", "echo hello; exit 3"}, {}, "", false, true, false});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->first, 3);
  EXPECT_EQ(r->second, "hello\n");
}

TEST(Subprocess, PipesStdinToStdoutAndAddsEnvironment) {
  auto p = Subprocess::spawn({{"sh", "-c", "cat; printf %s \"$WHARF_TEST_VAR\""}, {"WHARF_TEST_VAR=xyz"}, "", true, true, false});
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->write_stdin("abc", 3));
  p->close_stdin();
  std::string out;
  char buf[64];
  for (;;) {
    auto n = p->read_stdout(buf, sizeof buf);
    ASSERT_TRUE(n.has_value());
    if (*n == 0) break;
    out.append(buf, *n);
  }
  EXPECT_EQ(out, "abcxyz");
  EXPECT_EQ(p->wait(), 0);
}

TEST(Subprocess, CapturesStderr) {
  auto p = Subprocess::spawn({{"sh", "-c", "echo oops >&2; exit 1"}, {}, "", false, false, true});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->wait(), 1);
  EXPECT_EQ(p->stderr_text(), "oops\n");
}

TEST(Subprocess, MissingProgramIsAnError) {
  EXPECT_FALSE(Subprocess::spawn({{"/nonexistent/program"}, {}, "", false, true, false}).has_value());
}

TEST(Subprocess, DestructorKillsARunningChild) {
  auto p = Subprocess::spawn({{"sleep", "30"}, {}, "", false, false, false});
  ASSERT_TRUE(p.has_value());
  auto start = std::chrono::steady_clock::now();
  { Subprocess gone = std::move(*p); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// A child that fills its stderr pipe before its stdout ends: drained from a second thread,
// as the git routes do, neither read blocks the other.
TEST(Subprocess, StderrDrainedBesideStdoutDoesNotBlock) {
  const char* script = "head -c 300000 /dev/zero | tr '\\0' e >&2; echo done";
  auto p = Subprocess::spawn({{"sh", "-c", script}, {}, "", false, true, true});
  ASSERT_TRUE(p.has_value());
  std::size_t err_bytes = 0;
  std::thread drain([&] {
    char buf[4096];
    for (;;) {
      auto n = p->read_stderr(buf, sizeof buf);
      if (!n || *n == 0) break;
      err_bytes += *n;
    }
  });
  std::string out;
  char buf[64];
  for (;;) {
    auto n = p->read_stdout(buf, sizeof buf);
    if (!n || *n == 0) break;  // (an error shows as missing output below)
    out.append(buf, *n);
  }
  drain.join();
  EXPECT_EQ(out, "done\n");
  EXPECT_EQ(err_bytes, 300000u);
  EXPECT_EQ(p->wait(), 0);
}

TEST(Subprocess, TerminateLetsTheChildRunItsSigtermHandler) {
  const char* script = "trap 'echo cleaned; exit 7' TERM; echo ready; while :; do sleep 0.05; done";
  auto p = Subprocess::spawn({{"sh", "-c", script}, {}, "", false, true, false});
  ASSERT_TRUE(p.has_value());
  char buf[64];
  auto n = p->read_stdout(buf, sizeof buf);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(std::string(buf, *n), "ready\n");
  p->terminate();
  std::string out;
  for (;;) {
    auto k = p->read_stdout(buf, sizeof buf);
    ASSERT_TRUE(k.has_value());
    if (*k == 0) break;
    out.append(buf, *k);
  }
  EXPECT_EQ(out, "cleaned\n");
  EXPECT_EQ(p->wait(), 7);
}

}  // namespace
}  // namespace wharf
