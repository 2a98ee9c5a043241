// The blobs a push brings, as the pre-receive hook sees them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <set>

#include "git_fixture.h"
#include "storage/gitstore.h"

namespace wharf::storage {
namespace {

using PushScanTest = GitRepoTest;

TEST_F(PushScanTest, ReportsOnlyBlobsAddedOrChangedSinceKnownCommits) {
  std::string a = commit("", {{"keep.txt", "same"}, {"w.txt", "v1"}});
  std::string b = commit(a, {{"w.txt", "v2"}, {"dir/new.bin", std::string(2000, '\0')}});
  auto blobs = repo_->new_blobs({b}, {a}, 100);
  ASSERT_TRUE(blobs.has_value());
  std::set<std::string> paths;
  for (const auto& bl : *blobs) paths.insert(bl.path);
  EXPECT_EQ(paths, (std::set<std::string>{"w.txt", "dir/new.bin"}));
  for (const auto& bl : *blobs) {
    if (bl.path == "w.txt") {
      EXPECT_EQ(bl.head, "v2");
    }
    if (bl.path == "dir/new.bin") {
      EXPECT_EQ(bl.size, 2000u);
      EXPECT_TRUE(bl.head.empty());
    }
  }
}

TEST_F(PushScanTest, WithNothingKnownEveryBlobOfTheHistoryCounts) {
  std::string a = commit("", {{"x", "1"}});
  std::string b = commit(a, {{"y", "2"}});
  auto blobs = repo_->new_blobs({b}, {}, 100);
  ASSERT_TRUE(blobs.has_value());
  EXPECT_EQ(blobs->size(), 2u);
}

TEST_F(PushScanTest, BlobsOverOneMebibyteCarryOnlyTheirFirstBytes) {
  std::string a = commit("", {{"big.txt", std::string((1 << 20) + 1, 'x')}});
  auto blobs = repo_->new_blobs({a}, {}, 100);
  ASSERT_TRUE(blobs.has_value());
  ASSERT_EQ(blobs->size(), 1u);
  EXPECT_EQ((*blobs)[0].size, (1u << 20) + 1);
  EXPECT_EQ((*blobs)[0].head.size(), 8000u);
}

TEST_F(PushScanTest, MidSizeBlobsAreDecidedBySizeAloneAndNotRead) {
  std::string a = commit("", {{"mid.txt", std::string(50000, 'x')}});
  auto blobs = repo_->new_blobs({a}, {}, 100);
  ASSERT_TRUE(blobs.has_value());
  ASSERT_EQ(blobs->size(), 1u);
  EXPECT_EQ((*blobs)[0].size, 50000u);
  EXPECT_TRUE((*blobs)[0].head.empty());
}

TEST_F(PushScanTest, TooManyBlobsIs413) {
  std::string a = commit("", {{"1", "1"}, {"2", "2"}, {"3", "3"}});
  auto blobs = repo_->new_blobs({a}, {}, 2);
  ASSERT_FALSE(blobs.has_value());
  EXPECT_EQ(blobs.error().status, 413);
}

TEST_F(PushScanTest, UnknownTipIsBadRequest) {
  auto blobs = repo_->new_blobs({std::string(40, 'e')}, {}, 10);
  ASSERT_FALSE(blobs.has_value());
  EXPECT_EQ(blobs.error().status, 400);
}

}  // namespace
}  // namespace wharf::storage
