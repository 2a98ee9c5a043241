// The metadata store's accounts and access tables: organizations, memberships, token scopes,
// sessions, access requests and the audit log.
#include <gtest/gtest.h>

#include "db_fixture.h"

namespace wharf::storage {
namespace {

TEST_F(DbTest, UsersAndOrganizationsShareOneNamespace) {
  ASSERT_TRUE(db_->create_user("alice", "", "", false, 1).has_value());
  auto org = db_->create_org("acme", "Acme Inc", 2);
  ASSERT_TRUE(org.has_value());
  EXPECT_TRUE(org->is_org);
  EXPECT_EQ(db_->create_org("Alice", "", 3).error().status, 409);
  EXPECT_EQ(db_->create_user("ACME", "", "", false, 3).error().status, 409);
  EXPECT_TRUE(db_->find_user("ACME")->value().is_org);
}

TEST_F(DbTest, EmailsAreUniqueButMayBeEmpty) {
  ASSERT_TRUE(db_->create_user("a", "", "x@acme.org", false, 1).has_value());
  ASSERT_TRUE(db_->create_user("b", "", "", false, 1).has_value());
  ASSERT_TRUE(db_->create_user("c", "", "", false, 1).has_value());
  EXPECT_EQ(db_->create_user("d", "", "X@Acme.org", false, 1).error().status, 409);
  EXPECT_EQ(db_->find_user_by_email("X@ACME.ORG")->value().name, "a");
  EXPECT_FALSE(db_->find_user_by_email("")->has_value());
}

TEST_F(DbTest, RoleInAnOrganizationIsOneLookupByName) {
  auto alice = *db_->create_user("alice", "", "", false, 1);
  auto bob = *db_->create_user("bob", "", "", false, 1);
  auto acme = *db_->create_org("acme", "", 1);
  ASSERT_TRUE(db_->put_membership(acme.id, alice.id, "admin", 5).has_value());
  EXPECT_EQ(*db_->role_in("ACME", alice.id), "admin");
  EXPECT_EQ(*db_->role_in("acme", bob.id), "");
  EXPECT_EQ(*db_->role_in("bob", alice.id), "") << "a user's namespace has no members";
  ASSERT_TRUE(db_->put_membership(acme.id, alice.id, "read", 9).has_value());  // a role change
  auto members = *db_->list_members(acme.id);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].role, "read");
  EXPECT_EQ(members[0].since_ms, 5) << "the first membership's time is kept";
  EXPECT_EQ(db_->orgs_of(alice.id)->at(0).user.name, "acme");
  EXPECT_EQ(*db_->count_members(acme.id, "admin"), 0);
  EXPECT_TRUE(*db_->delete_membership(acme.id, alice.id));
  EXPECT_FALSE(*db_->delete_membership(acme.id, alice.id));
}

TEST_F(DbTest, FineGrainedTokensKeepTheirScopes) {
  auto alice = *db_->create_user("alice", "", "", false, 1);
  std::vector<TokenScope> scopes = {{"namespace", "acme", {"repo.content.read"}},
                                    {"model", "alice/bert", {"repo.content.read", "repo.write"}}};
  auto token = db_->create_token(alice.id, "ci", "fineGrained", "h1", 1, 5000, scopes);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  auto found = db_->find_token_by_hash("h1")->value();
  EXPECT_EQ(found.expires_ms, 5000);
  ASSERT_EQ(found.scopes.size(), 2u);
  EXPECT_EQ(found.scopes[0].entity, "alice/bert");
  EXPECT_EQ(found.scopes[0].permissions, (std::vector<std::string>{"repo.content.read", "repo.write"}));
  // A scope named twice is refused whole: no token without its scopes.
  std::vector<TokenScope> twice = {{"namespace", "acme", {"repo.write"}}, {"namespace", "ACME", {"repo.write"}}};
  EXPECT_EQ(db_->create_token(alice.id, "bad", "fineGrained", "h2", 1, 0, twice).error().status, 409);
  EXPECT_FALSE(db_->find_token_by_hash("h2")->has_value());
  EXPECT_FALSE(*db_->delete_token(alice.id + 1, token->id)) << "only the owner revokes";
  EXPECT_TRUE(*db_->delete_token(alice.id, token->id));
  EXPECT_FALSE(db_->find_token_by_hash("h1")->has_value());
}

TEST_F(DbTest, DeletingAUserTakesTheirTokensSessionsMembershipsAndRequests) {
  auto alice = *db_->create_user("alice", "", "", false, 1);
  auto acme = *db_->create_org("acme", "", 1);
  auto repo_row = insert("acme", "m");
  ASSERT_TRUE(db_->create_token(alice.id, "t", "write", "h", 1).has_value());
  ASSERT_TRUE(db_->create_session({"s", alice.id, "csrf", 1, 99}).has_value());
  ASSERT_TRUE(db_->put_membership(acme.id, alice.id, "write", 1).has_value());
  ASSERT_TRUE(db_->put_access_request(repo_row.id, alice.id, "pending", "{}", "", 1).has_value());
  ASSERT_TRUE(db_->delete_user(alice.id).has_value());
  EXPECT_FALSE(db_->find_token_by_hash("h")->has_value());
  EXPECT_FALSE(db_->find_session("s")->has_value());
  EXPECT_TRUE(db_->list_members(acme.id)->empty());
  EXPECT_TRUE(db_->list_access_requests(repo_row.id, "pending", 0, 10)->empty());
}

TEST_F(DbTest, SessionsExpireAndOtherSessionsCanBeEnded) {
  auto alice = *db_->create_user("alice", "", "", false, 1);
  ASSERT_TRUE(db_->create_session({"old", alice.id, "c1", 1, 10}).has_value());
  ASSERT_TRUE(db_->create_session({"new", alice.id, "c2", 1, 1000}).has_value());
  ASSERT_TRUE(db_->delete_expired_sessions(500).has_value());
  EXPECT_FALSE(db_->find_session("old")->has_value());
  EXPECT_EQ(db_->find_session("new")->value().csrf, "c2");
  ASSERT_TRUE(db_->delete_sessions_of(alice.id).has_value());
  EXPECT_FALSE(db_->find_session("new")->has_value());
}

TEST_F(DbTest, AnAccessRequestKeepsItsFirstTimeAndItsAnswers) {
  auto bob = *db_->create_user("bob", "", "", false, 1);
  auto repo_row = insert("acme", "gated");
  ASSERT_TRUE(db_->put_access_request(repo_row.id, bob.id, "pending", R"({"Company":"X"})", "", 10).has_value());
  ASSERT_TRUE(db_->put_access_request(repo_row.id, bob.id, "rejected", "", "no", 20).has_value());
  auto r = db_->find_access_request(repo_row.id, bob.id)->value();
  EXPECT_EQ(r.status, "rejected");
  EXPECT_EQ(r.fields, R"({"Company":"X"})") << "a decision does not erase the answers";
  EXPECT_EQ(r.reason, "no");
  EXPECT_EQ(r.created_ms, 10);
  EXPECT_EQ(r.updated_ms, 20);
  EXPECT_EQ(r.user.name, "bob");
  EXPECT_TRUE(db_->list_access_requests(repo_row.id, "pending", 0, 10)->empty());
  EXPECT_EQ(db_->list_access_requests(repo_row.id, "rejected", 0, 10)->size(), 1u);
}

TEST_F(DbTest, TheAuditLogFiltersByNamespaceAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(db_->append_audit({0, i, "alice", i % 2 ? "acme" : "other", "repo.create", "t", "{}", "::1"})
                    .has_value());
  auto all = *db_->list_audit("", 0, 100);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_GT(all[0].id, all[1].id);
  auto acme = *db_->list_audit("ACME", 0, 100);
  ASSERT_EQ(acme.size(), 2u);
  auto older = *db_->list_audit("", all[1].id, 2);
  ASSERT_EQ(older.size(), 2u);
  EXPECT_EQ(older[0].id, all[2].id);
}

}  // namespace
}  // namespace wharf::storage
