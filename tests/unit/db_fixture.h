// The fixture of the metadata store's tests: a fresh database file per test.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/db.h"

namespace wharf::storage {

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wharf-db-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/wharf.db";
    db_ = open();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Db> open() {
    auto db = Db::open(path_);
    EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message);
    return db ? std::move(*db) : nullptr;
  }

  // Reads one integer with a separate raw connection, to see what is really on disk.
  int64_t raw_int(const std::string& sql) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return v;
  }

  RepoRow repo(const std::string& ns, const std::string& name, const std::string& type = "model") {
    RepoRow r;
    r.object_id = std::to_string(++next_object_) + std::string(23, 'a');
    r.object_id.resize(24);
    r.type = type;
    r.ns = ns;
    r.name = name;
    r.created_ms = r.last_modified_ms = 1000;
    return r;
  }

  RepoRow insert(const std::string& ns, const std::string& name) {
    auto r = db_->insert_repo(repo(ns, name));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : RepoRow{};
  }

  std::string dir_, path_;
  std::unique_ptr<Db> db_;
  int next_object_ = 0;
};

}  // namespace wharf::storage
