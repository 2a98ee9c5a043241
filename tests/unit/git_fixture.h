// The fixture of the tests of storage/ git code: a fresh bare repository (default branch
// main) per test, removed afterwards, and commits made from (path, content) pairs.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/gitstore.h"

namespace wharf::storage {

class GitRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wharf-git-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto r = GitRepo::init_bare(dir_ + "/r.git", "main");
    ASSERT_TRUE(r.has_value());
    repo_.emplace(std::move(*r));
  }
  void TearDown() override {
    repo_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A commit on `parent` ("" for a root commit) that writes `files` and deletes `deleted`.
  std::string commit(const std::string& parent, const std::vector<std::pair<std::string, std::string>>& files,
                     const std::vector<std::string>& deleted = {}, const std::string& message = "c") {
    std::vector<TreeEdit> edits;
    for (const auto& [path, content] : files)
      edits.push_back({TreeEdit::Kind::Upsert, path, *repo_->write_blob(content), 0100644});
    for (const auto& path : deleted) edits.push_back({TreeEdit::Kind::Delete, path, "", 0100644});
    auto c = repo_->commit_edits(parent, edits, {"t", "t@t", 1700000000000}, message);
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c.value_or("");
  }

  GitLibrary library_;
  std::string dir_;
  std::optional<GitRepo> repo_;
};

}  // namespace wharf::storage
