// What pull requests ask of git (storage/git_merge.cpp): merge bases, ancestry, the commits a
// branch adds, three-way merges with their conflicts, and the patch text of a diff.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>

#include "git_fixture.h"
#include "storage/gitstore.h"

namespace wharf::storage {
namespace {

class GitMergeTest : public GitRepoTest {
 protected:
  std::string read(const std::string& tree_commit, const std::string& path) {
    auto e = repo_->stat(tree_commit, path);
    if (!e || !*e) return "<missing>";
    return *repo_->read_blob((*e)->oid);
  }
};

TEST_F(GitMergeTest, MergeBaseAndAncestry) {
  auto root = commit("", {{"a", "1\n"}});
  auto left = commit(root, {{"b", "2\n"}});
  auto right = commit(root, {{"c", "3\n"}});
  auto other_root = commit("", {{"z", "z\n"}});
  EXPECT_EQ(*repo_->merge_base(left, right), root);
  EXPECT_EQ(*repo_->merge_base(root, left), root);
  EXPECT_EQ(*repo_->merge_base(left, other_root), std::nullopt);
  EXPECT_TRUE(*repo_->is_ancestor(root, left));
  EXPECT_TRUE(*repo_->is_ancestor(left, left));
  EXPECT_FALSE(*repo_->is_ancestor(left, root));
  EXPECT_FALSE(*repo_->is_ancestor(left, right));
  EXPECT_EQ(repo_->is_ancestor(std::string(40, 'f'), left).error().status, 404);
}

TEST_F(GitMergeTest, CommitsBetweenAreOldestFirstAndBounded) {
  auto root = commit("", {{"a", "1\n"}}, {}, "root");
  auto one = commit(root, {{"a", "2\n"}}, {}, "one");
  auto two = commit(one, {{"a", "3\n"}}, {}, "two\n\nbody");
  auto three = commit(two, {{"a", "4\n"}}, {}, "three");
  auto all = *repo_->commits_between(three, {root}, 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, one);
  EXPECT_EQ(all[1].title, "two");
  EXPECT_EQ(all[2].id, three);
  auto newest = *repo_->commits_between(three, {root}, 2);
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].id, two);
  EXPECT_EQ(newest[1].id, three);
  EXPECT_TRUE(repo_->commits_between(three, {three}, 10)->empty());
  EXPECT_EQ(repo_->commits_between(three, {}, 10)->size(), 4u);
}

TEST_F(GitMergeTest, CleanMergeWritesTheMergedTree) {
  auto root = commit("", {{"shared.txt", "one\ntwo\nthree\n"}, {"keep", "k\n"}});
  auto ours = commit(root, {{"shared.txt", "ONE\ntwo\nthree\n"}, {"ours.txt", "o\n"}});
  auto theirs = commit(root, {{"shared.txt", "one\ntwo\nTHREE\n"}, {"theirs.txt", "t\n"}});
  auto m = repo_->merge_commits(ours, theirs);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_TRUE(m->conflicts.empty());
  ASSERT_EQ(m->tree.size(), 40u);
  auto merged = *repo_->write_commit(m->tree, {ours, theirs}, {"t", "t@t", 1700000000000}, "merge");
  EXPECT_EQ(read(merged, "shared.txt"), "ONE\ntwo\nTHREE\n");
  EXPECT_EQ(read(merged, "ours.txt"), "o\n");
  EXPECT_EQ(read(merged, "theirs.txt"), "t\n");
  EXPECT_EQ(read(merged, "keep"), "k\n");
  EXPECT_EQ(repo_->read_commit(merged)->parents, (std::vector<std::string>{ours, theirs}));
}

TEST_F(GitMergeTest, ConflictsAreListedSortedAndNothingIsWritten) {
  auto root = commit("", {{"b.txt", "x\n"}, {"a/c.txt", "x\n"}, {"fine", "f\n"}});
  auto ours = commit(root, {{"b.txt", "ours\n"}, {"a/c.txt", "ours\n"}, {"fine", "f2\n"}});
  auto theirs = commit(root, {{"b.txt", "theirs\n"}, {"a/c.txt", "theirs\n"}, {"added", "n\n"}});
  auto m = repo_->merge_commits(ours, theirs);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->conflicts, (std::vector<std::string>{"a/c.txt", "b.txt"}));
  EXPECT_TRUE(m->tree.empty());
  // Both sides adding the same path with different content conflict too.
  auto add1 = commit(root, {{"new", "1\n"}});
  auto add2 = commit(root, {{"new", "2\n"}});
  EXPECT_EQ(repo_->merge_commits(add1, add2)->conflicts, (std::vector<std::string>{"new"}));
  // Identical changes on both sides merge cleanly.
  auto same1 = commit(root, {{"b.txt", "same\n"}});
  auto same2 = commit(root, {{"b.txt", "same\n"}});
  EXPECT_TRUE(repo_->merge_commits(same1, same2)->conflicts.empty());
}

TEST_F(GitMergeTest, PatchTextIsGitsFormatAndStopsAtTheLimit) {
  auto root = commit("", {{"a.txt", "one\ntwo\n"}});
  auto next = commit(root, {{"a.txt", "one\n2\n"}, {"b.bin", std::string("\0\1\2", 3)}});
  auto p = *repo_->patch_text(root, next, 1 << 20);
  EXPECT_FALSE(p.truncated);
  EXPECT_NE(p.text.find("diff --git a/a.txt b/a.txt\n"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("-two\n+2\n"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("Binary files"), std::string::npos) << p.text;
  // From the empty tree: every file is added.
  auto from_nothing = *repo_->patch_text("", root, 1 << 20);
  EXPECT_NE(from_nothing.text.find("new file mode 100644"), std::string::npos);
  EXPECT_NE(from_nothing.text.find("+one\n+two\n"), std::string::npos);
  // Cut at a line end, under the limit.
  auto cut = *repo_->patch_text(root, next, p.text.size() - 1);
  EXPECT_TRUE(cut.truncated);
  ASSERT_FALSE(cut.text.empty());
  EXPECT_LT(cut.text.size(), p.text.size());
  EXPECT_EQ(cut.text.back(), '\n');
  EXPECT_EQ(p.text.substr(0, cut.text.size()), cut.text);
  EXPECT_EQ(repo_->patch_text(root, std::string(40, 'e'), 100).error().status, 404);
}

}  // namespace
}  // namespace wharf::storage
