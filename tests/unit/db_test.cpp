#include "storage/db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "db_fixture.h"

namespace wharf::storage {
namespace {

const std::string kOidA(64, 'a');
const std::string kOidB(64, 'b');

TEST_F(DbTest, MigrationsAreIdempotentOnReopen) {
  ASSERT_TRUE(db_->create_user("alice", "Alice", "a@x", true, 5).has_value());
  db_.reset();
  db_ = open();
  ASSERT_TRUE(db_);
  EXPECT_EQ(*db_->count_users(), 1);
  EXPECT_EQ(raw_int("PRAGMA user_version"), 5);
  db_.reset();
  db_ = open();
  ASSERT_TRUE(db_);
  EXPECT_EQ(raw_int("PRAGMA user_version"), 5);
}

TEST_F(DbTest, OpenRefusesSchemaNewerThanItKnows) {
  db_.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto db = Db::open(path_);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().status, 500);
  EXPECT_NE(db.error().message.find("99"), std::string::npos);
}

TEST_F(DbTest, OpenFailsWithInternalErrorForUnwritablePath) {
  auto db = Db::open(dir_ + "/missing/dir/wharf.db");
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().status, 500);
}

TEST_F(DbTest, DatabaseUsesWriteAheadLog) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

TEST_F(DbTest, SettingsRoundTripAndOverwrite) {
  EXPECT_EQ(*db_->get_setting("secret"), std::nullopt);
  ASSERT_TRUE(db_->put_setting("secret", "one").has_value());
  ASSERT_TRUE(db_->put_setting("secret", "two").has_value());
  EXPECT_EQ(*db_->get_setting("secret"), "two");
}

TEST_F(DbTest, CreateUserRejectsNameTakenInAnyCase) {
  auto alice = db_->create_user("alice", "Alice A", "a@x.org", true, 42);
  ASSERT_TRUE(alice.has_value());
  EXPECT_GT(alice->id, 0);
  EXPECT_EQ(alice->fullname, "Alice A");
  EXPECT_TRUE(alice->is_admin);
  EXPECT_EQ(alice->created_ms, 42);
  auto again = db_->create_user("ALICE", "", "", false, 43);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().status, 409);
  EXPECT_EQ(again.error().code, "Conflict");
  EXPECT_EQ(*db_->count_users(), 1);
}

TEST_F(DbTest, FindUserIgnoresCaseAndKeepsStoredSpelling) {
  auto alice = *db_->create_user("Alice", "", "", false, 1);
  auto found = *db_->find_user("aLiCe");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->name, "Alice");
  EXPECT_EQ(db_->find_user_by_id(alice.id)->value().name, "Alice");
  EXPECT_EQ(*db_->find_user("bob"), std::nullopt);
  EXPECT_EQ(*db_->find_user_by_id(alice.id + 1), std::nullopt);
}

TEST_F(DbTest, TokensAreFoundByHashAndHashesAreUnique) {
  auto alice = *db_->create_user("alice", "", "", false, 1);
  auto token = db_->create_token(alice.id, "laptop", "write", "h1", 7);
  ASSERT_TRUE(token.has_value());
  auto found = *db_->find_token_by_hash("h1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, token->id);
  EXPECT_EQ(found->user_id, alice.id);
  EXPECT_EQ(found->name, "laptop");
  EXPECT_EQ(found->role, "write");
  EXPECT_EQ(found->created_ms, 7);
  EXPECT_EQ(db_->create_token(alice.id, "other", "read", "h1", 8).error().status, 409);
  EXPECT_EQ(*db_->find_token_by_hash("h2"), std::nullopt);
}

TEST_F(DbTest, CreateTokenForMissingUserIsNotFound) {
  auto token = db_->create_token(12345, "x", "read", "h", 1);
  ASSERT_FALSE(token.has_value());
  EXPECT_EQ(token.error().status, 404);
}

TEST_F(DbTest, InsertRepoRoundTripsEveryField) {
  RepoRow r = repo("org", "Model");
  r.is_private = true;
  r.gated = "manual";
  r.sdk = "gradio";
  r.default_branch = "dev";
  r.created_ms = 11;
  r.last_modified_ms = 12;
  r.sha = std::string(40, 'c');
  r.card_data = R"({"license":"mit"})";
  r.downloads = 3;
  r.likes = 4;
  auto inserted = db_->insert_repo(r);
  ASSERT_TRUE(inserted.has_value());
  auto found = db_->find_repo("model", "ORG", "model")->value();
  EXPECT_EQ(found.id, inserted->id);
  EXPECT_EQ(found.object_id, r.object_id);
  EXPECT_EQ(found.ns, "org");
  EXPECT_EQ(found.name, "Model");
  EXPECT_TRUE(found.is_private);
  EXPECT_EQ(found.gated, "manual");
  EXPECT_EQ(found.sdk, "gradio");
  EXPECT_EQ(found.default_branch, "dev");
  EXPECT_EQ(found.created_ms, 11);
  EXPECT_EQ(found.last_modified_ms, 12);
  EXPECT_EQ(found.sha, r.sha);
  EXPECT_EQ(found.card_data, r.card_data);
  EXPECT_EQ(found.downloads, 3);
  EXPECT_EQ(found.likes, 4);
}

TEST_F(DbTest, InsertRepoConflictsCaseInsensitivelyWithinOneType) {
  insert("org", "name");
  auto dup = db_->insert_repo(repo("ORG", "Name"));
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().status, 409);
  EXPECT_TRUE(db_->insert_repo(repo("org", "name", "dataset")).has_value());
  EXPECT_EQ(db_->list_repos()->size(), 2u);
  EXPECT_EQ(*db_->find_repo("space", "org", "name"), std::nullopt);
}

TEST_F(DbTest, ListReposInCreationOrder) {
  insert("b", "one");
  insert("a", "two");
  auto all = *db_->list_repos();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "one");
  EXPECT_EQ(all[1].name, "two");
}

TEST_F(DbTest, DeletedRepoIdIsNeverReused) {
  auto first = insert("org", "a");
  ASSERT_TRUE(db_->delete_repo(first.id).has_value());
  auto second = insert("org", "a");
  EXPECT_GT(second.id, first.id);
}

TEST_F(DbTest, UpdatesChangeOnlyTheirFields) {
  auto r = insert("org", "a");
  ASSERT_TRUE(db_->update_repo_settings(r.id, true, "auto").has_value());
  ASSERT_TRUE(db_->update_repo_index(r.id, std::string(40, 'f'), 99, "{}").has_value());
  auto found = db_->find_repo("model", "org", "a")->value();
  EXPECT_TRUE(found.is_private);
  EXPECT_EQ(found.gated, "auto");
  EXPECT_EQ(found.sha, std::string(40, 'f'));
  EXPECT_EQ(found.last_modified_ms, 99);
  EXPECT_EQ(found.card_data, "{}");
  EXPECT_EQ(found.created_ms, 1000);
  EXPECT_EQ(found.object_id, r.object_id);
}

TEST_F(DbTest, RenameRecordsRedirect) {
  auto r = insert("org", "old");
  ASSERT_TRUE(db_->rename_repo(r.id, "neworg", "new").has_value());
  EXPECT_EQ(*db_->find_repo("model", "org", "old"), std::nullopt);
  EXPECT_EQ(db_->find_repo("model", "neworg", "new")->value().id, r.id);
  auto redirect = *db_->find_redirect("model", "ORG", "Old");
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->id, r.id);
  EXPECT_EQ(redirect->ns, "neworg");
  EXPECT_EQ(redirect->name, "new");
  EXPECT_EQ(*db_->find_redirect("dataset", "org", "old"), std::nullopt);
}

TEST_F(DbTest, EveryOldNameOfARenameChainRedirectsToTheCurrentName) {
  auto r = insert("org", "a");
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "b").has_value());
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "c").has_value());
  EXPECT_EQ(db_->find_redirect("model", "org", "a")->value().name, "c");
  EXPECT_EQ(db_->find_redirect("model", "org", "b")->value().name, "c");
}

TEST_F(DbTest, RenameToTakenNameConflictsAndChangesNothing) {
  auto a = insert("org", "a");
  insert("org", "b");
  auto renamed = db_->rename_repo(a.id, "ORG", "B");
  ASSERT_FALSE(renamed.has_value());
  EXPECT_EQ(renamed.error().status, 409);
  EXPECT_EQ(db_->find_repo("model", "org", "a")->value().id, a.id);
  EXPECT_EQ(*db_->find_redirect("model", "org", "a"), std::nullopt);
}

TEST_F(DbTest, RenameOfMissingRepoIsNotFound) {
  EXPECT_EQ(db_->rename_repo(777, "org", "x").error().status, 404);
}

TEST_F(DbTest, RenameBackTakesTheNameBackFromItsRedirect) {
  auto r = insert("org", "a");
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "b").has_value());
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "a").has_value());
  EXPECT_EQ(*db_->find_redirect("model", "org", "a"), std::nullopt);
  EXPECT_EQ(db_->find_redirect("model", "org", "b")->value().name, "a");
}

TEST_F(DbTest, ChangeOfCaseOnlyLeavesNoSelfRedirect) {
  auto r = insert("org", "model");
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "Model").has_value());
  EXPECT_EQ(db_->find_repo("model", "org", "model")->value().name, "Model");
  EXPECT_EQ(*db_->find_redirect("model", "org", "model"), std::nullopt);
}

TEST_F(DbTest, RedirectOfAnOldNameMovesToTheRepoThatLastLeftIt) {
  auto a = insert("org", "x");
  ASSERT_TRUE(db_->rename_repo(a.id, "org", "a2").has_value());
  auto b = insert("org", "x");
  ASSERT_TRUE(db_->rename_repo(b.id, "org", "b2").has_value());
  EXPECT_EQ(db_->find_redirect("model", "org", "x")->value().id, b.id);
}

TEST_F(DbTest, NewRepoTakesTheNameFromARedirect) {
  auto a = insert("org", "x");
  ASSERT_TRUE(db_->rename_repo(a.id, "org", "y").has_value());
  insert("org", "x");
  EXPECT_EQ(*db_->find_redirect("model", "org", "x"), std::nullopt);
}

TEST_F(DbTest, DeleteRepoRemovesItsRedirectsAndMultipartUploads) {
  auto r = insert("org", "a");
  ASSERT_TRUE(db_->rename_repo(r.id, "org", "b").has_value());
  ASSERT_TRUE(db_->insert_multipart({"up1", r.id, kOidA, 10, 5, 1}).has_value());
  ASSERT_TRUE(db_->delete_repo(r.id).has_value());
  EXPECT_EQ(*db_->find_repo("model", "org", "b"), std::nullopt);
  EXPECT_EQ(*db_->find_redirect("model", "org", "a"), std::nullopt);
  EXPECT_EQ(*db_->find_multipart("up1"), std::nullopt);
  EXPECT_EQ(raw_int("SELECT COUNT(*) FROM repo_redirects"), 0);
}

TEST_F(DbTest, RecordLfsUploadDoesNotUncommit) {
  auto r = insert("org", "a");
  ASSERT_TRUE(db_->record_lfs_upload(r.id, kOidA, 10, 100).has_value());
  EXPECT_TRUE(*db_->repo_has_lfs(r.id, kOidA));
  ASSERT_TRUE(db_->mark_lfs_committed(r.id, kOidA).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(r.id, kOidA, 10, 200).has_value());
  EXPECT_EQ(*db_->orphan_lfs_objects(1'000'000), std::vector<std::string>{});
  EXPECT_EQ(raw_int("SELECT committed FROM lfs_uploads"), 1);
}

TEST_F(DbTest, RepoHasLfsIsPerRepo) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 10, 100).has_value());
  EXPECT_TRUE(*db_->repo_has_lfs(a.id, kOidA));
  EXPECT_FALSE(*db_->repo_has_lfs(b.id, kOidA));
  EXPECT_FALSE(*db_->repo_has_lfs(a.id, kOidB));
}

TEST_F(DbTest, OrphansExcludeCommittedObjects) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidB, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidB, 1, 100).has_value());
  ASSERT_TRUE(db_->mark_lfs_committed(b.id, kOidB).has_value());
  EXPECT_EQ(*db_->orphan_lfs_objects(1000), std::vector<std::string>{kOidA});
}

TEST_F(DbTest, OrphansWaitUntilEveryRecordIsOlderThanTheCutoff) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidA, 1, 500).has_value());
  EXPECT_TRUE(db_->orphan_lfs_objects(100)->empty());
  EXPECT_TRUE(db_->orphan_lfs_objects(500)->empty());
  EXPECT_EQ(*db_->orphan_lfs_objects(501), std::vector<std::string>{kOidA});
}

TEST_F(DbTest, ReuploadRestartsTheGracePeriod) {
  auto a = insert("org", "a");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 900).has_value());
  EXPECT_TRUE(db_->orphan_lfs_objects(500)->empty());
}

TEST_F(DbTest, ForgetLfsDeletesEveryRecordOfTheObject) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidB, 1, 100).has_value());
  ASSERT_TRUE(db_->forget_lfs(kOidA).has_value());
  EXPECT_FALSE(*db_->repo_has_lfs(a.id, kOidA));
  EXPECT_FALSE(*db_->repo_has_lfs(b.id, kOidA));
  EXPECT_TRUE(*db_->repo_has_lfs(b.id, kOidB));
  EXPECT_EQ(*db_->orphan_lfs_objects(1000), std::vector<std::string>{kOidB});
}

TEST_F(DbTest, DeletingARepoMakesObjectsOnlyItCommittedCollectable) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  for (const auto* oid : {&kOidA, &kOidB}) {
    ASSERT_TRUE(db_->record_lfs_upload(a.id, *oid, 1, 100).has_value());
    ASSERT_TRUE(db_->mark_lfs_committed(a.id, *oid).has_value());
  }
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidB, 1, 100).has_value());
  ASSERT_TRUE(db_->mark_lfs_committed(b.id, kOidB).has_value());
  ASSERT_TRUE(db_->delete_repo(a.id).has_value());
  EXPECT_EQ(*db_->orphan_lfs_objects(1000), std::vector<std::string>{kOidA});
  EXPECT_FALSE(*db_->repo_has_lfs(a.id, kOidA));
}

TEST_F(DbTest, DeletingTwoReposThatShareAnObjectKeepsItCollectable) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 1, 100).has_value());
  ASSERT_TRUE(db_->record_lfs_upload(b.id, kOidA, 1, 200).has_value());
  ASSERT_TRUE(db_->delete_repo(a.id).has_value());
  ASSERT_TRUE(db_->delete_repo(b.id).has_value());
  EXPECT_EQ(*db_->orphan_lfs_objects(1000), std::vector<std::string>{kOidA});
  ASSERT_TRUE(db_->forget_lfs(kOidA).has_value());
  EXPECT_TRUE(db_->orphan_lfs_objects(1000)->empty());
}

TEST_F(DbTest, CommitWithoutUploadRecordStillProtectsTheObject) {
  auto a = insert("org", "a");
  auto b = insert("org", "b");
  ASSERT_TRUE(db_->record_lfs_upload(a.id, kOidA, 10, 100).has_value());
  ASSERT_TRUE(db_->mark_lfs_committed(b.id, kOidA).has_value());
  EXPECT_TRUE(*db_->repo_has_lfs(b.id, kOidA));
  EXPECT_TRUE(db_->orphan_lfs_objects(1000)->empty());
  EXPECT_EQ(raw_int("SELECT size FROM lfs_uploads WHERE repo_id = " + std::to_string(b.id)), 10);
}

TEST_F(DbTest, MultipartUploadsRoundTripAndIdsAreUnique) {
  MultipartUploadRow row{"abc123", 4, kOidA, 100, 40, 9};
  ASSERT_TRUE(db_->insert_multipart(row).has_value());
  EXPECT_EQ(db_->insert_multipart(row).error().status, 409);
  auto found = db_->find_multipart("abc123")->value();
  EXPECT_EQ(found.repo_id, 4);
  EXPECT_EQ(found.oid, kOidA);
  EXPECT_EQ(found.size, 100);
  EXPECT_EQ(found.chunk_size, 40);
  EXPECT_EQ(found.created_ms, 9);
  ASSERT_TRUE(db_->delete_multipart("abc123").has_value());
  EXPECT_EQ(*db_->find_multipart("abc123"), std::nullopt);
}

TEST_F(DbTest, ConcurrentCallsFromManyThreadsAreSerialized) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) {
        std::string name = "u" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(db_->create_user(name, "", "", false, 1).has_value());
        EXPECT_TRUE(db_->find_user(name)->has_value());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*db_->count_users(), 200);
}

TEST_F(DbTest, TwoConnectionsOnOneFileSeeEachOthersCommits) {
  auto other = open();
  ASSERT_TRUE(other);
  ASSERT_TRUE(db_->put_setting("k", "v").has_value());
  EXPECT_EQ(*other->get_setting("k"), "v");
  auto r = other->insert_repo(repo("org", "a"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(db_->find_repo("model", "org", "a")->value().id, r->id);
}

}  // namespace
}  // namespace wharf::storage
