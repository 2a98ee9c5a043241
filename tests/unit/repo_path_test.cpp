#include "util/repo_path.h"

#include <gtest/gtest.h>

namespace wharf {
namespace {

bool valid(std::string_view p) { return !invalid_repo_path(p).has_value(); }

TEST(RepoPath, AcceptsOrdinaryPaths) {
  EXPECT_TRUE(valid("README.md"));
  EXPECT_TRUE(valid("model.safetensors"));
  EXPECT_TRUE(valid("a/b/c.bin"));
  EXPECT_TRUE(valid(".gitattributes"));
  EXPECT_TRUE(valid(".github/workflows/ci.yml"));
  EXPECT_TRUE(valid("x.git"));  // only the exact component is refused
  EXPECT_TRUE(valid("my.cache/data"));
  EXPECT_TRUE(valid("a/..."));  // three dots is an ordinary name
}

TEST(RepoPath, AcceptsSpacesAndUnicode) {
  EXPECT_TRUE(valid("my folder/file name.txt"));
  EXPECT_TRUE(valid("données/été.csv"));
  EXPECT_TRUE(valid("日本語/モデル.bin"));
  EXPECT_TRUE(valid("emoji/\xF0\x9F\xA4\x97.txt"));  // U+1F917, 4 bytes
  EXPECT_TRUE(valid("max/\xF4\x8F\xBF\xBF"));        // U+10FFFF
}

TEST(RepoPath, RefusesEmptyAndTooLong) {
  EXPECT_TRUE(invalid_repo_path(""));
  EXPECT_TRUE(valid(std::string(4096, 'a')));
  EXPECT_TRUE(invalid_repo_path(std::string(4097, 'a')));
}

TEST(RepoPath, RefusesAbsoluteAndTrailingSlash) {
  EXPECT_TRUE(invalid_repo_path("/etc/passwd"));
  EXPECT_TRUE(invalid_repo_path("dir/"));
  EXPECT_TRUE(invalid_repo_path("/"));
}

TEST(RepoPath, RefusesEmptyDotAndDotDotComponents) {
  EXPECT_TRUE(invalid_repo_path("a//b"));
  EXPECT_TRUE(invalid_repo_path("./a"));
  EXPECT_TRUE(invalid_repo_path("a/./b"));
  EXPECT_TRUE(invalid_repo_path(".."));
  EXPECT_TRUE(invalid_repo_path("../secret"));
  EXPECT_TRUE(invalid_repo_path("a/../../b"));
  EXPECT_TRUE(invalid_repo_path("a/.."));
}

TEST(RepoPath, RefusesGitAndCacheComponentsInAnyCase) {
  EXPECT_TRUE(invalid_repo_path(".git"));
  EXPECT_TRUE(invalid_repo_path(".git/config"));
  EXPECT_TRUE(invalid_repo_path("sub/.git/hooks/pre-commit"));
  EXPECT_TRUE(invalid_repo_path(".GIT/config"));
  EXPECT_TRUE(invalid_repo_path("a/.Git"));
  EXPECT_TRUE(invalid_repo_path(".cache/huggingface/x"));
  EXPECT_TRUE(invalid_repo_path("a/.CACHE/b"));
}

TEST(RepoPath, RefusesBackslashNulAndControlCharacters) {
  EXPECT_TRUE(invalid_repo_path("a\\b"));
  EXPECT_TRUE(invalid_repo_path("..\\..\\windows"));
  EXPECT_TRUE(invalid_repo_path(std::string("a\0b", 3)));
  EXPECT_TRUE(invalid_repo_path("a\nb"));
  EXPECT_TRUE(invalid_repo_path("a\rb"));
  EXPECT_TRUE(invalid_repo_path("tab\there"));
  EXPECT_TRUE(invalid_repo_path("del\x7f"));
}

TEST(RepoPath, RefusesInvalidUtf8) {
  EXPECT_TRUE(invalid_repo_path("\xff.bin"));          // never valid
  EXPECT_TRUE(invalid_repo_path("a\x80"));             // stray continuation byte
  EXPECT_TRUE(invalid_repo_path("caf\xc3"));           // truncated sequence
  EXPECT_TRUE(invalid_repo_path("\xc0\xaf"));          // overlong '/'
  EXPECT_TRUE(invalid_repo_path("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_TRUE(invalid_repo_path("\xf0\x80\x80\xaf"));  // overlong, 4 bytes
  EXPECT_TRUE(invalid_repo_path("\xed\xa0\x80"));      // UTF-16 surrogate U+D800
  EXPECT_TRUE(invalid_repo_path("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_TRUE(invalid_repo_path("\xf5\x80\x80\x80"));
}

TEST(RepoPath, ExplainsTheRefusal) {
  EXPECT_EQ(invalid_repo_path("a/../b"), "path contains a '..' component");
  EXPECT_EQ(invalid_repo_path(".GIT/x"), "path contains a '.git' component");
  EXPECT_EQ(invalid_repo_path("a\\b"), "path contains a backslash");
}

}  // namespace
}  // namespace wharf
