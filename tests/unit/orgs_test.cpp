// Organizations: creation, membership rules (roles, last admin, who may change what), the
// repo counts of profiles, and the org audit log.
#include "hub/orgs.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "hub/audit_log.h"
#include "hub/repos.h"
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

class OrgsTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = person("alice");
    bob_ = person("bob");
    auto org = create_org(*hub_, alice_, *alice_.user, "acme", "ACME Corp");
    ASSERT_TRUE(org) << org.error().message;
    org_ = *org;
  }

  std::string role_of(const Identity& who) { return *hub_->db().role_in("acme", who.user->id); }

  std::vector<std::string> actions() {
    std::vector<std::string> out;
    auto page = read_audit_log_as_operator(*hub_, "acme", 0, 100);  // kept: the loop reads into it
    for (const auto& row : page->entries) out.push_back(row.action);
    return out;
  }

  Identity alice_, bob_;
  storage::UserRow org_;
};

TEST_F(OrgsTest, CreatorBecomesAdmin) {
  EXPECT_TRUE(org_.is_org);
  EXPECT_EQ(org_.fullname, "ACME Corp");
  EXPECT_EQ(role_of(alice_), "admin");
  EXPECT_EQ(actions(), std::vector<std::string>{"org.create"});
}

TEST_F(OrgsTest, NameIsSharedWithUsersAndValidated) {
  auto taken = create_org(*hub_, alice_, *alice_.user, "BOB", "");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().status, 409);
  EXPECT_EQ(create_org(*hub_, alice_, *alice_.user, "acme", "").error().status, 409);
  EXPECT_EQ(create_org(*hub_, alice_, *alice_.user, "bad--name", "").error().status, 400);
  EXPECT_EQ(create_org(*hub_, alice_, *alice_.user, "datasets", "").error().status, 400);
  EXPECT_EQ(create_org(*hub_, alice_, *alice_.user, "ok", std::string(101, 'x')).error().status, 400);
  EXPECT_EQ(create_user(*hub_, "ACME", false).error().status, 409);
}

TEST_F(OrgsTest, OnlyTheOwnerOrTheOperatorCreates) {
  Identity anon;
  EXPECT_EQ(create_org(*hub_, anon, *alice_.user, "x1", "").error().status, 401);
  EXPECT_EQ(create_org(*hub_, bob_, *alice_.user, "x2", "").error().status, 403);
  Identity read_token = bob_;
  read_token.token = storage::TokenRow{};
  read_token.token->role = "read";
  EXPECT_EQ(create_org(*hub_, read_token, *bob_.user, "x3", "").error().status, 403);
  EXPECT_TRUE(create_org(*hub_, operator_identity(), *bob_.user, "x4", ""));
  EXPECT_EQ(*hub_->db().role_in("x4", bob_.user->id), "admin");
}

TEST_F(OrgsTest, AdminsManageMembersOthersDoNot) {
  EXPECT_EQ(set_member(*hub_, bob_, "acme", "bob", "admin", MemberChange::Add).error().status, 403);
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "read", MemberChange::Add));
  EXPECT_EQ(role_of(bob_), "read");
  // A read member is still no admin.
  EXPECT_EQ(set_member(*hub_, bob_, "acme", "bob", "admin", MemberChange::ChangeRole).error().status, 403);
  EXPECT_EQ(set_member(*hub_, alice_, "acme", "bob", "write", MemberChange::Add).error().status, 409);
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "write", MemberChange::ChangeRole));
  EXPECT_EQ(role_of(bob_), "write");
  EXPECT_EQ(set_member(*hub_, alice_, "acme", "bob", "owner", MemberChange::ChangeRole).error().status, 400);
  EXPECT_EQ(set_member(*hub_, alice_, "acme", "nobody", "read", MemberChange::Add).error().status, 404);
  EXPECT_EQ(set_member(*hub_, alice_, "nope", "bob", "read", MemberChange::Add).error().status, 404);
  EXPECT_EQ(set_member(*hub_, alice_, "acme", "acme", "read", MemberChange::Add).error().status, 404);
  EXPECT_EQ(actions(), (std::vector<std::string>{"org.member_role", "org.member_add", "org.create"}));
}

TEST_F(OrgsTest, LastAdminStays) {
  EXPECT_EQ(set_member(*hub_, alice_, "acme", "alice", "write", MemberChange::ChangeRole).error().status, 409);
  EXPECT_EQ(remove_member(*hub_, alice_, "acme", "alice").error().status, 409);
  EXPECT_EQ(role_of(alice_), "admin");
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "admin", MemberChange::Add));
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "alice", "write", MemberChange::ChangeRole));
  EXPECT_EQ(remove_member(*hub_, bob_, "acme", "bob").error().status, 409);
}

TEST_F(OrgsTest, MembersLeaveThemselves) {
  auto carol = person("carol");
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "read", MemberChange::Add));
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "carol", "read", MemberChange::Add));
  EXPECT_EQ(remove_member(*hub_, bob_, "acme", "carol").error().status, 403);
  ASSERT_TRUE(remove_member(*hub_, bob_, "acme", "bob"));
  EXPECT_EQ(role_of(bob_), "");
  EXPECT_EQ(remove_member(*hub_, alice_, "acme", "bob").error().status, 404);
  ASSERT_TRUE(remove_member(*hub_, operator_identity(), "acme", "carol"));
  auto last = read_audit_log_as_operator(*hub_, "acme", 0, 1)->entries.at(0);
  EXPECT_EQ(last.actor, "operator");
  EXPECT_EQ(last.action, "org.member_remove");
  EXPECT_EQ(last.target, "carol");
}

TEST_F(OrgsTest, CountsOnlyVisibleRepos) {
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "read", MemberChange::Add));
  CreateRepoParams p;
  p.id = RepoId{RepoType::Model, "acme", "open"};
  ASSERT_TRUE(create_repo(*hub_, alice_, p));
  p.id = RepoId{RepoType::Dataset, "acme", "closed"};
  p.is_private = true;
  ASSERT_TRUE(create_repo(*hub_, alice_, p));
  auto stranger = person("stranger");
  auto seen = *visible_repo_counts(*hub_, stranger, "acme");
  EXPECT_EQ(seen.models, 1);
  EXPECT_EQ(seen.datasets, 0);
  auto member = *visible_repo_counts(*hub_, bob_, "acme");
  EXPECT_EQ(member.datasets, 1);
  EXPECT_FALSE(*may_see_roles(*hub_, stranger, org_));
  EXPECT_TRUE(*may_see_roles(*hub_, bob_, org_));
}

TEST_F(OrgsTest, OrgAuditLogIsForItsAdmins) {
  ASSERT_TRUE(set_member(*hub_, alice_, "acme", "bob", "write", MemberChange::Add));
  auto page = read_org_audit_log(*hub_, alice_, "acme", 0, 100);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(read_org_audit_log(*hub_, bob_, "acme", 0, 100).error().status, 403);
  EXPECT_EQ(read_audit_log(*hub_, alice_, "", 0, 100).error().status, 403);
  EXPECT_EQ(read_audit_log(*hub_, operator_identity(), "", 0, 100)->entries.size(), 2u);
  EXPECT_EQ(read_org_audit_log(*hub_, alice_, "acme", 0, 0).error().status, 400);
  EXPECT_EQ(read_org_audit_log(*hub_, alice_, "acme", 0, 1001).error().status, 400);
  // Pages: one entry each, newest first, then no cursor.
  auto first = *read_org_audit_log(*hub_, alice_, "acme", 0, 1);
  ASSERT_NE(first.next_cursor, 0);
  EXPECT_EQ(first.entries.at(0).action, "org.member_add");
  auto second = *read_org_audit_log(*hub_, alice_, "acme", first.next_cursor, 1);
  EXPECT_EQ(second.entries.at(0).action, "org.create");
  EXPECT_EQ(second.next_cursor, 0);
}

}  // namespace
}  // namespace wharf::hub
