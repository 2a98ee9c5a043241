// Tokens as their owners manage them: validation, scopes, expiry, revocation, and that the
// credential used decides who may manage tokens.
#include "hub/tokens.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "hub/audit_log.h"
#include "util/crypto.h"
#include "util/time.h"
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

class TokensTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    auto user = create_user(*hub_, "alice", false);
    ASSERT_TRUE(user) << user.error().message;
    alice_.user = *user;
  }

  Result<CreatedToken> make(NewToken spec) { return create_own_token(*hub_, alice_, spec); }

  Identity alice_;  // a web session
};

TEST_F(TokensTest, CreatedSecretAuthenticatesAndIsStoredHashed) {
  auto t = make({"laptop", "write", 0, {}});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->secret.size(), 37u);
  EXPECT_EQ(t->secret.rfind("hf_", 0), 0u);
  EXPECT_NE(t->row.hash, t->secret);
  auto who = authenticate(*hub_, "Bearer " + t->secret);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->user->name, "alice");
  EXPECT_EQ(who->token->name, "laptop");
  auto listed = list_own_tokens(*hub_, alice_);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).role, "write");
}

TEST_F(TokensTest, RefusesBadSpecs) {
  EXPECT_EQ(make({"", "read", 0, {}}).error().status, 400);
  EXPECT_EQ(make({std::string(101, 'x'), "read", 0, {}}).error().status, 400);
  EXPECT_EQ(make({"a\nb", "read", 0, {}}).error().status, 400);
  EXPECT_EQ(make({"x", "admin", 0, {}}).error().status, 400);
  EXPECT_EQ(make({"x", "read", now_ms() - 1000, {}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {}}).error().status, 400);
  EXPECT_EQ(make({"x", "read", 0, {{"namespace", "alice", {"repo.write"}}}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {{"namespace", "alice", {"repo.delete"}}}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {{"namespace", "alice", {}}}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {{"model", "no-slash", {"repo.write"}}}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {{"bucket", "alice/x", {"repo.write"}}}}).error().status, 400);
  EXPECT_EQ(make({"x", "fineGrained", 0, {{"namespace", "bad--ns", {"repo.write"}}}}).error().status, 400);
  EXPECT_TRUE(list_own_tokens(*hub_, alice_)->empty());
}

TEST_F(TokensTest, FineGrainedScopesAreNormalized) {
  auto t = make({"ci", "fineGrained", 0,
                 {{"user", "alice", {"repo.write", "repo.content.read", "repo.write"}},
                  {"dataset", "alice/data", {"repo.content.read"}}}});
  ASSERT_TRUE(t) << t.error().message;
  auto stored = authenticate(*hub_, "Bearer " + t->secret)->token->scopes;
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].entity_type, "dataset");
  EXPECT_EQ(stored[1].entity_type, "namespace");
  EXPECT_EQ(stored[1].permissions, (std::vector<std::string>{"repo.content.read", "repo.write"}));
}

TEST_F(TokensTest, OnlyWriteTokensAndSessionsManageTokens) {
  auto read = make({"r", "read", 0, {}});
  auto fine = make({"f", "fineGrained", 0, {{"namespace", "alice", {"repo.write"}}}});
  auto write = make({"w", "write", 0, {}});
  for (const auto* t : {&*read, &*fine}) {
    auto who = *authenticate(*hub_, "Bearer " + t->secret);
    EXPECT_EQ(create_own_token(*hub_, who, {"x", "write", 0, {}}).error().status, 403);
    EXPECT_EQ(list_own_tokens(*hub_, who).error().status, 403);
    EXPECT_EQ(revoke_own_token(*hub_, who, t->row.id).error().status, 403);
  }
  auto who = *authenticate(*hub_, "Bearer " + write->secret);
  EXPECT_TRUE(create_own_token(*hub_, who, {"x", "read", 0, {}}));
  Identity anon;
  EXPECT_EQ(list_own_tokens(*hub_, anon).error().status, 401);
}

TEST_F(TokensTest, RevokedTokenNoLongerAuthenticates) {
  auto t = make({"old", "write", 0, {}});
  ASSERT_TRUE(revoke_own_token(*hub_, alice_, t->row.id));
  auto who = authenticate(*hub_, "Bearer " + t->secret);
  ASSERT_FALSE(who);
  EXPECT_EQ(who.error().status, 401);
  EXPECT_EQ(revoke_own_token(*hub_, alice_, t->row.id).error().status, 404);
  // Another user's token is not found either.
  auto bob = create_user(*hub_, "bob", false);
  Identity bob_who;
  bob_who.user = *bob;
  auto theirs = create_own_token(*hub_, bob_who, {"b", "write", 0, {}});
  EXPECT_EQ(revoke_own_token(*hub_, alice_, theirs->row.id).error().status, 404);
  EXPECT_TRUE(authenticate(*hub_, "Bearer " + theirs->secret));
}

TEST_F(TokensTest, ExpiredOrDisabledTokenNoLongerAuthenticates) {
  auto t = make({"soon", "write", now_ms() + 60'000, {}});
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_TRUE(authenticate(*hub_, "Bearer " + t->secret));
  // Expired in place: the same row with a past expiry.
  auto past = hub_->db().create_token(alice_.user->id, "past", "write", sha256_hex("hf_pastpastpast"), now_ms() - 2000,
                                      now_ms() - 1000);
  ASSERT_TRUE(past);
  EXPECT_EQ(authenticate(*hub_, "Bearer hf_pastpastpast").error().status, 401);
  ASSERT_TRUE(hub_->db().set_user_disabled(alice_.user->id, true));
  EXPECT_EQ(authenticate(*hub_, "Bearer " + t->secret).error().status, 401);
}

TEST_F(TokensTest, AuditRecordsNameAndRoleNeverTheSecret) {
  auto t = make({"deploy", "read", 0, {}});
  ASSERT_TRUE(revoke_user_token(*hub_, "alice", t->row.id));
  auto page = read_audit_log_as_operator(*hub_, "alice", 0, 10);
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].action, "token.revoke");
  EXPECT_EQ(page->entries[0].actor, "operator");
  EXPECT_EQ(page->entries[1].action, "token.create");
  EXPECT_EQ(page->entries[1].actor, "alice");
  EXPECT_EQ(page->entries[1].target, "deploy");
  for (const auto& e : page->entries) EXPECT_EQ(e.detail.find(t->secret), std::string::npos);
  EXPECT_NE(page->entries[1].detail.find("\"read\""), std::string::npos);
  EXPECT_EQ(list_user_tokens(*hub_, "nobody").error().status, 404);
}

}  // namespace
}  // namespace wharf::hub
