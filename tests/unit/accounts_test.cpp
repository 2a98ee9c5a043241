// Accounts: sign-up policy and validation, log-in (same answer and cost for unknown users and
// wrong passwords, throttling, disabled users), sessions, password change, the operator's
// actions. The log-in throttle is per process, so each test uses its own names and IPs.
#include "hub/accounts.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>

#include "hub/repos.h"
#include "util/crypto.h"
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

class AccountsTest : public HubTest {
 protected:

  storage::UserRow signed_up(const std::string& name, const std::string& password = "password-1") {
    auto user = sign_up(*hub_, {}, name, name + "@example.org", password, "10.0.0.1");
    EXPECT_TRUE(user) << user.error().message;
    return user.value_or(storage::UserRow{});
  }

  // The newest audit entries, newest first.
  std::vector<storage::AuditRow> audit_entries() { return *hub_->db().list_audit("", 0, 100); }

  Identity session_identity(const OpenedSession& s) { return *authenticate_session(*hub_, s.secret); }

};

TEST_F(AccountsTest, SignUpStoresAnArgon2HashAndAudits) {
  auto user = signed_up("alice");
  auto stored = *hub_->db().find_user("alice");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, "alice@example.org");
  EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$")) << stored->password_hash;
  EXPECT_FALSE(stored->is_admin);
  auto last = audit_entries().at(0);
  EXPECT_EQ(last.action, "user.signup");
  EXPECT_EQ(last.actor, "alice");
  EXPECT_EQ(last.ip, "10.0.0.1");
}

TEST_F(AccountsTest, ClosedSignUpIsForbiddenAndCreatesNothing) {
  SignupPolicy closed{false, {}};
  auto r = sign_up(*hub_, closed, "bob", "bob@example.org", "password-1", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 403);
  EXPECT_FALSE(*hub_->db().find_user("bob"));
}

TEST_F(AccountsTest, SignUpKeepsToTheAllowedEmailDomains) {
  SignupPolicy policy{true, {"acme.org", "b.com"}};
  EXPECT_TRUE(sign_up(*hub_, policy, "carol", "carol@ACME.org", "password-1", ""));
  auto r = sign_up(*hub_, policy, "dave", "dave@acme.org.evil.com", "password-1", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 403);
  EXPECT_FALSE(*hub_->db().find_user("dave"));
}

TEST_F(AccountsTest, SignUpRefusesBadOrTakenNamesEmailsAndPasswords) {
  signed_up("erin");
  ASSERT_TRUE(hub_->db().create_org("acme", "Acme", 1));
  struct Case {
    std::string name, email, password;
    int status;
  } cases[] = {
      {"bad name", "x@example.org", "password-1", 400},   {"-dash", "x@example.org", "password-1", 400},
      {"login", "x@example.org", "password-1", 400},      {"Erin", "x@example.org", "password-1", 409},
      {"acme", "x@example.org", "password-1", 409},       {"frank", "erin@example.org", "password-1", 409},
      {"frank", "no-at-sign", "password-1", 400},         {"frank", "a@b@example.org", "password-1", 400},
      {"frank", "frank@localhost", "password-1", 400},    {"frank", "fr ank@example.org", "password-1", 400},
      {"frank", "frank@example.org", "short", 400},       {"frank", "frank@example.org", std::string(257, 'p'), 400},
  };
  for (const auto& c : cases) {
    auto r = sign_up(*hub_, {}, c.name, c.email, c.password, "");
    ASSERT_FALSE(r) << c.name << " " << c.email;
    EXPECT_EQ(r.error().status, c.status) << c.name << " " << c.email << ": " << r.error().message;
  }
  EXPECT_FALSE(*hub_->db().find_user("frank"));
}

TEST_F(AccountsTest, LogInByNameOrEmail) {
  signed_up("grace", "grace-password");
  EXPECT_EQ(log_in(*hub_, "grace", "grace-password", "10.1.0.1")->name, "grace");
  EXPECT_EQ(log_in(*hub_, "GRACE", "grace-password", "10.1.0.1")->name, "grace");
  EXPECT_EQ(log_in(*hub_, "grace@example.org", "grace-password", "10.1.0.1")->name, "grace");
  auto last = audit_entries().at(0);
  EXPECT_EQ(last.action, "auth.login");
  EXPECT_EQ(last.actor, "grace");
}

TEST_F(AccountsTest, UnknownUserAndWrongPasswordLookAndCostTheSame) {
  signed_up("heidi", "heidi-password");
  ASSERT_TRUE(create_user(*hub_, "nopass", false));  // a user without a password
  using Clock = std::chrono::steady_clock;
  auto timed = [&](const std::string& login) {
    auto start = Clock::now();
    auto r = log_in(*hub_, login, "wrong-password", "10.2.0." + login.substr(0, 1));
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    EXPECT_FALSE(r);
    return std::pair{r.error(), ms};
  };
  auto [wrong, wrong_ms] = timed("heidi");
  auto [unknown, unknown_ms] = timed("nobody-here");
  auto [nopass, nopass_ms] = timed("nopass");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, wrong.status);
  EXPECT_EQ(unknown.message, wrong.message);
  EXPECT_EQ(nopass.message, wrong.message);
  // The missing user is verified against the dummy hash: as slow as a real verification.
  EXPECT_GT(unknown_ms, wrong_ms * 0.5) << unknown_ms << " vs " << wrong_ms;
  EXPECT_GT(nopass_ms, wrong_ms * 0.5) << nopass_ms << " vs " << wrong_ms;
  auto entries = audit_entries();
  EXPECT_EQ(entries.at(0).action, "auth.login_failed");
  EXPECT_EQ(entries.at(0).actor, "nopass");
  EXPECT_EQ(entries.at(1).actor, "nobody-here");
  for (const auto& e : entries) EXPECT_EQ(e.detail.find("wrong-password"), std::string::npos);
}

TEST_F(AccountsTest, SixthFailureForOneNameIsThrottledEvenWithTheRightPassword) {
  signed_up("ivan", "ivan-password");
  for (int i = 0; i < kMaxLoginFailures; ++i) {
    auto r = log_in(*hub_, "ivan", "wrong-password", "10.3.0." + std::to_string(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().status, 401);
  }
  auto r = log_in(*hub_, "IVAN", "ivan-password", "10.3.1.1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 429);
  EXPECT_EQ(r.error().code, "TooManyRequests");
  ASSERT_EQ(r.error().headers.size(), 1u);
  EXPECT_EQ(r.error().headers[0].first, "Retry-After");
  int retry = std::stoi(r.error().headers[0].second);
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, kLoginWindowMs / 1000);
  EXPECT_EQ(audit_entries().at(0).action, "auth.login_failed");
  EXPECT_NE(audit_entries().at(0).detail.find("throttled"), std::string::npos);
  // Others are not locked out by ivan's failures.
  signed_up("judy", "judy-password");
  EXPECT_TRUE(log_in(*hub_, "judy", "judy-password", "10.3.1.2"));
}

TEST_F(AccountsTest, SixthFailureFromOneAddressIsThrottledForEveryName) {
  signed_up("kate", "kate-password");
  for (int i = 0; i < kMaxLoginFailures; ++i)
    EXPECT_EQ(log_in(*hub_, "guess-" + std::to_string(i), "wrong-password", "10.4.0.1").error().status, 401);
  auto r = log_in(*hub_, "kate", "kate-password", "10.4.0.1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 429);
  EXPECT_TRUE(log_in(*hub_, "kate", "kate-password", "10.4.0.2"));
}

TEST_F(AccountsTest, SuccessesDoNotCountAsFailures) {
  signed_up("leo", "leo-password");
  for (int i = 0; i < kMaxLoginFailures + 2; ++i) ASSERT_TRUE(log_in(*hub_, "leo", "leo-password", "10.5.0.1"));
}

TEST_F(AccountsTest, DisabledUserCannotLogInAndLosesSessions) {
  auto user = signed_up("mallory", "mallory-password");
  auto session = *open_session(*hub_, user);
  ASSERT_TRUE(session_identity(session).user);
  ASSERT_TRUE(disable_user(*hub_, "mallory"));
  EXPECT_FALSE(session_identity(session).user);
  auto r = log_in(*hub_, "mallory", "mallory-password", "10.6.0.1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 403);
  ASSERT_TRUE(enable_user(*hub_, "mallory"));
  EXPECT_TRUE(log_in(*hub_, "mallory", "mallory-password", "10.6.0.1"));
  EXPECT_EQ(audit_entries().at(1).action, "user.enable");
  EXPECT_EQ(audit_entries().at(1).actor, "operator");
}

TEST_F(AccountsTest, SessionsStoreOnlyAHashAndEndOnClose) {
  auto user = signed_up("nina");
  auto s = *open_session(*hub_, user);
  EXPECT_EQ(s.secret.size(), 64u);
  EXPECT_EQ(s.row.hash, sha256_hex(s.secret));
  EXPECT_EQ(s.row.csrf.size(), 64u);
  EXPECT_NEAR(s.row.expires_ms - s.row.created_ms, kSessionLifetimeMs, 1);
  EXPECT_EQ(session_identity(s).user->name, "nina");
  EXPECT_FALSE(authenticate_session(*hub_, s.row.hash)->user) << "the stored hash is no cookie";
  ASSERT_TRUE(close_session(*hub_, s.secret));
  EXPECT_FALSE(session_identity(s).user);
}

TEST_F(AccountsTest, PasswordChangeKeepsThisSessionAndEndsTheOthers) {
  auto user = signed_up("oscar", "old-password");
  auto here = *open_session(*hub_, user), there = *open_session(*hub_, user);
  Identity who = session_identity(here);
  who.remote_address = "10.7.0.1";
  auto wrong = change_password(*hub_, who, "not-the-password", "new-password");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().status, 403);
  EXPECT_TRUE(session_identity(there).user) << "a refused change ends nothing";
  ASSERT_TRUE(change_password(*hub_, who, "old-password", "new-password"));
  EXPECT_TRUE(session_identity(here).user);
  EXPECT_FALSE(session_identity(there).user);
  EXPECT_FALSE(log_in(*hub_, "oscar", "old-password", "10.7.0.2"));
  EXPECT_TRUE(log_in(*hub_, "oscar", "new-password", "10.7.0.2"));
  auto short_one = change_password(*hub_, who, "new-password", "short");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().status, 400);
}

TEST_F(AccountsTest, OperatorCreatesUsersWithEmailAndPassword) {
  auto user = create_account(*hub_, "pat", true, "pat@example.org", std::string("pat-password"));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_TRUE(user->is_admin);
  EXPECT_EQ(log_in(*hub_, "pat@example.org", "pat-password", "10.8.0.1")->name, "pat");
  EXPECT_EQ(create_account(*hub_, "pat2", false, "PAT@example.org", std::nullopt).error().status, 409);
  EXPECT_EQ(create_account(*hub_, "pat3", false, "", std::string("short")).error().status, 400);
  EXPECT_FALSE(*hub_->db().find_user("pat3"));
}

TEST_F(AccountsTest, DeleteRefusesOwnersOfReposAndTheLastOperator) {
  ASSERT_TRUE(create_user(*hub_, "root", true));
  auto quinn = signed_up("quinn");
  Identity who;
  who.user = quinn;
  CreateRepoParams p;
  p.id = RepoId{RepoType::Model, "quinn", "model"};
  ASSERT_TRUE(create_repo(*hub_, who, p));
  auto r = delete_user(*hub_, "quinn");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 409);
  EXPECT_EQ(delete_user(*hub_, "root").error().status, 409);
  EXPECT_EQ(delete_user(*hub_, "nobody").error().status, 404);
  signed_up("rita");
  ASSERT_TRUE(delete_user(*hub_, "rita"));
  EXPECT_FALSE(*hub_->db().find_user("rita"));
  EXPECT_EQ(audit_entries().at(0).action, "user.delete");
}

TEST_F(AccountsTest, TierIsOneOfThree) {
  signed_up("sam");
  ASSERT_TRUE(set_tier(*hub_, "sam", "pro"));
  EXPECT_EQ((*hub_->db().find_user("sam"))->tier, "pro");
  EXPECT_EQ(set_tier(*hub_, "sam", "gold").error().status, 400);
  EXPECT_EQ((*hub_->db().find_user("sam"))->tier, "pro");
}

TEST_F(AccountsTest, OperatorPasswordResetEndsSessions) {
  auto user = signed_up("tess", "tess-password");
  auto s = *open_session(*hub_, user);
  ASSERT_TRUE(set_password(*hub_, "tess", "reset-password"));
  EXPECT_FALSE(session_identity(s).user);
  EXPECT_TRUE(log_in(*hub_, "tess", "reset-password", "10.9.0.1"));
  EXPECT_EQ(set_password(*hub_, "tess", "short").error().status, 400);
}

}  // namespace
}  // namespace wharf::hub
