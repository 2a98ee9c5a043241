// GitRepo::diff: what changed between two commits, file by file and line by line, within limits.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>

#include "git_fixture.h"
#include "storage/gitstore.h"

namespace wharf::storage {
namespace {

class GitDiffTest : public GitRepoTest {
 protected:
  TreeDiff diff(const std::string& from, const std::string& to, const DiffLimits& limits = {}) {
    auto d = repo_->diff(from, to, limits);
    EXPECT_TRUE(d.has_value()) << (d ? "" : d.error().message);
    return d ? *d : TreeDiff{};
  }
  static const FileDiff& file(const TreeDiff& d, const std::string& path) {
    for (const auto& f : d.files)
      if (f.new_path == path) return f;
    throw std::runtime_error("no diff for " + path);
  }
};

// The lines of a file's hunks as "<origin><old_no>,<new_no>:<text>".
std::vector<std::string> lines_of(const FileDiff& f) {
  std::vector<std::string> out;
  for (const auto& h : f.hunks)
    for (const auto& l : h.lines)
      out.push_back(std::string(1, l.origin) + std::to_string(l.old_no) + "," +
                    std::to_string(l.new_no) + ":" + l.text);
  return out;
}

TEST_F(GitDiffTest, ModifiedFileHasNumberedHunkLines) {
  std::string a = commit("", {{"a.txt", "one\ntwo\nthree\n"}});
  std::string b = commit(a, {{"a.txt", "one\n2\nthree\nfour\n"}});
  auto d = diff(a, b);
  ASSERT_EQ(d.files.size(), 1u);
  const auto& f = d.files[0];
  EXPECT_EQ(f.status, DiffStatus::Modified);
  EXPECT_EQ(f.old_path, "a.txt");
  EXPECT_EQ(f.new_path, "a.txt");
  EXPECT_EQ(f.old_oid, GitRepo::hash_blob("one\ntwo\nthree\n"));
  EXPECT_EQ(f.new_oid, GitRepo::hash_blob("one\n2\nthree\nfour\n"));
  EXPECT_EQ(f.old_size, 14u);
  EXPECT_EQ(f.new_size, 17u);
  EXPECT_EQ(f.additions, 2u);
  EXPECT_EQ(f.deletions, 1u);
  EXPECT_FALSE(f.binary);
  EXPECT_FALSE(f.truncated);
  EXPECT_FALSE(d.truncated);
  ASSERT_EQ(f.hunks.size(), 1u);
  EXPECT_EQ(f.hunks[0].header, "@@ -1,3 +1,4 @@");
  EXPECT_EQ(lines_of(f), (std::vector<std::string>{" 1,1:one", "-2,0:two", "+0,2:2", " 3,3:three",
                                                   "+0,4:four"}));
}

TEST_F(GitDiffTest, AddedAndDeletedFilesAgainstTheParent) {
  std::string a = commit("", {{"old.txt", "gone\n"}, {"keep.txt", "k\n"}});
  std::string b = commit(a, {{"dir/new.txt", "hello\n"}}, {"old.txt"});
  auto d = diff(a, b);
  EXPECT_EQ(d.total_files, 2u);
  ASSERT_EQ(d.files.size(), 2u);
  const auto& added = file(d, "dir/new.txt");
  EXPECT_EQ(added.status, DiffStatus::Added);
  EXPECT_EQ(added.old_oid, "");
  EXPECT_EQ(added.old_size, 0u);
  EXPECT_EQ(added.old_mode, 0u);
  EXPECT_EQ(added.new_mode, 0100644u);
  EXPECT_EQ(lines_of(added), (std::vector<std::string>{"+0,1:hello"}));
  const auto& deleted = file(d, "old.txt");
  EXPECT_EQ(deleted.status, DiffStatus::Deleted);
  EXPECT_EQ(deleted.new_oid, "");
  EXPECT_EQ(deleted.old_size, 5u);
  EXPECT_EQ(lines_of(deleted), (std::vector<std::string>{"-1,0:gone"}));
}

TEST_F(GitDiffTest, EmptyFromIsTheEmptyTreeForARootCommit) {
  std::string a = commit("", {{"x", "1\n"}, {"y/z", "2\n"}});
  auto d = diff("", a);
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_EQ(d.files[0].new_path, "x");
  EXPECT_EQ(d.files[1].new_path, "y/z");
  for (const auto& f : d.files) EXPECT_EQ(f.status, DiffStatus::Added);
}

TEST_F(GitDiffTest, RenamedFileKeepsBothPaths) {
  std::string content = "a fairly long line so that similarity is clear\nsecond line\nthird line\n";
  std::string a = commit("", {{"before.txt", content}});
  std::string b = commit(a, {{"after.txt", content}}, {"before.txt"});
  auto d = diff(a, b);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].status, DiffStatus::Renamed);
  EXPECT_EQ(d.files[0].old_path, "before.txt");
  EXPECT_EQ(d.files[0].new_path, "after.txt");
  EXPECT_TRUE(d.files[0].hunks.empty());
}

TEST_F(GitDiffTest, BinaryFilesHaveNoHunks) {
  std::string a = commit("", {{"w.bin", std::string("\0\1\2", 3)}});
  std::string b = commit(a, {{"w.bin", std::string("\0\1\3\4", 4)}});
  auto d = diff(a, b);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_TRUE(d.files[0].binary);
  EXPECT_TRUE(d.files[0].hunks.empty());
  EXPECT_EQ(d.files[0].old_size, 3u);
  EXPECT_EQ(d.files[0].new_size, 4u);
}

TEST_F(GitDiffTest, BlobsOverTheSizeLimitAreNotDiffed) {
  std::string a = commit("", {{"big.txt", std::string(5000, 'a') + "\n"}});
  std::string b = commit(a, {{"big.txt", std::string(5000, 'b') + "\n"}});
  DiffLimits limits;
  limits.max_blob_bytes = 4096;
  auto d = diff(a, b, limits);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_TRUE(d.files[0].too_large);
  EXPECT_TRUE(d.files[0].hunks.empty());
  EXPECT_EQ(d.files[0].new_size, 5001u);
}

TEST_F(GitDiffTest, MissingNewlineAtEndIsMarked) {
  std::string a = commit("", {{"n.txt", "x\n"}});
  std::string b = commit(a, {{"n.txt", "x\ny"}});
  auto d = diff(a, b);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(lines_of(d.files[0]),
            (std::vector<std::string>{" 1,1:x", "+0,2:y", "\\0,0:No newline at end of file"}));
}

TEST_F(GitDiffTest, LineLimitCutsHunksAndLaterFiles) {
  std::string many;
  for (int i = 0; i < 10; ++i) many += "line " + std::to_string(i) + "\n";
  std::string a = commit("", {});
  std::string b = commit(a, {{"1.txt", many}, {"2.txt", many}});
  DiffLimits limits;
  limits.max_lines = 4;
  auto d = diff(a, b, limits);
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_TRUE(d.truncated);
  EXPECT_TRUE(d.files[0].truncated);
  EXPECT_EQ(lines_of(d.files[0]).size(), 4u);
  EXPECT_EQ(d.files[0].additions, 10u);
  EXPECT_TRUE(d.files[1].truncated);
  EXPECT_TRUE(d.files[1].hunks.empty());
  EXPECT_EQ(d.files[1].status, DiffStatus::Added);
}

TEST_F(GitDiffTest, FileLimitCountsTheRest) {
  std::string a = commit("", {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  DiffLimits limits;
  limits.max_files = 2;
  auto d = diff("", a, limits);
  EXPECT_EQ(d.total_files, 3u);
  ASSERT_EQ(d.files.size(), 2u);
  EXPECT_TRUE(d.truncated);
}

TEST_F(GitDiffTest, IdenticalCommitsHaveNoDiff) {
  std::string a = commit("", {{"a", "1"}});
  auto d = diff(a, a);
  EXPECT_EQ(d.total_files, 0u);
  EXPECT_TRUE(d.files.empty());
  EXPECT_FALSE(d.truncated);
}

TEST_F(GitDiffTest, UnknownCommitIsRevisionNotFound) {
  std::string a = commit("", {{"a", "1"}});
  auto d = repo_->diff(std::string(40, 'f'), a);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, "RevisionNotFound");
  EXPECT_FALSE(repo_->diff("", "not-a-sha").has_value());
}

}  // namespace
}  // namespace wharf::storage
