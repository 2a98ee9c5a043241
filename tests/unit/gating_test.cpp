#include "hub/gating.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "hub/repos.h"
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

// --- the access form ---

TEST(GateFieldsTest, ReadsLabelsTypesAndSelectOptions) {
  auto fields = gate_fields(R"({"extra_gated_fields": {
      "Company": "text", "I agree": "checkbox",
      "Use": {"type": "select", "options": ["Research", {"label": "Other", "value": "other"}]}}})");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].label, "Company");
  EXPECT_EQ(fields[0].type, "text");
  EXPECT_EQ(fields[1].label, "I agree");
  EXPECT_EQ(fields[1].type, "checkbox");
  EXPECT_EQ(fields[2].type, "select");
  EXPECT_EQ(fields[2].options, (std::vector<std::string>{"Research", "other"}));
}

TEST(GateFieldsTest, AbsentOrMalformedCardAsksNothing) {
  EXPECT_TRUE(gate_fields("").empty());
  EXPECT_TRUE(gate_fields("not json").empty());
  EXPECT_TRUE(gate_fields(R"({"license": "mit"})").empty());
  EXPECT_TRUE(gate_fields(R"({"extra_gated_fields": ["Company"]})").empty());
}

TEST(GateFieldsTest, AsksAtMostTheBoundedNumberOfFields) {
  std::string card = R"({"extra_gated_fields": {)";
  for (int i = 0; i < 40; ++i)
    card += (i ? "," : "") + std::string("\"f") + std::to_string(100 + i) + "\": \"text\"";
  card += "}}";
  EXPECT_EQ(gate_fields(card).size(), kMaxGateFields);
}

TEST(GateAnswersTest, EveryFieldIsRequiredAndUnknownOnesAreDropped) {
  std::vector<GateField> fields = {{"Company", "text", {}}, {"I agree", "checkbox", {}}};
  auto ok = check_gate_answers(fields, {{"Company", "ACME"}, {"I agree", "on"}, {"Extra", "x"}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, R"({"Company":"ACME","I agree":"true"})");

  auto missing = check_gate_answers(fields, {{"I agree", "true"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, 400);
  EXPECT_NE(missing.error().message.find("Company"), std::string::npos);

  auto blank = check_gate_answers(fields, {{"Company", "  "}, {"I agree", "true"}});
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().status, 400);

  auto unchecked = check_gate_answers(fields, {{"Company", "ACME"}, {"I agree", "false"}});
  ASSERT_FALSE(unchecked);
  EXPECT_NE(unchecked.error().message.find("I agree"), std::string::npos);
}

TEST(GateAnswersTest, AnswersAreBoundedAndSelectsChecked) {
  std::vector<GateField> fields = {{"Use", "select", {"Research", "other"}}};
  EXPECT_TRUE(check_gate_answers(fields, {{"Use", "other"}}));
  auto bad = check_gate_answers(fields, {{"Use", "Warfare"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().status, 400);

  std::vector<GateField> text = {{"Bio", "text", {}}};
  EXPECT_TRUE(check_gate_answers(text, {{"Bio", std::string(kMaxGateAnswer, 'x')}}));
  auto long_one = check_gate_answers(text, {{"Bio", std::string(kMaxGateAnswer + 1, 'x')}});
  ASSERT_FALSE(long_one);
  EXPECT_EQ(long_one.error().status, 400);
}

TEST(GateAnswersTest, NoFieldsStoresNothing) {
  auto r = check_gate_answers({}, {{"anything", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "");
}

// --- the request flow on a real hub ---

class GatingTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    owner_ = person("owner");
    alice_ = person("alice");
    CreateRepoParams p;
    p.id = RepoId{RepoType::Model, "owner", "gated"};
    auto row = create_repo(*hub_, owner_, p);
    ASSERT_TRUE(row) << row.error().message;
    repo_ = *row;
  }

  void gate(const std::string& mode, const std::string& card = "") {
    ASSERT_TRUE(update_settings(*hub_, owner_, id(), RepoSettings{std::nullopt, mode, std::nullopt}));
    ASSERT_TRUE(hub_->db().update_repo_index(repo_.id, repo_.sha, repo_.last_modified_ms, card));
  }

  RepoId id() const { return RepoId{RepoType::Model, "owner", "gated"}; }

  bool reads_content(const Identity& who) {
    auto row = hub_->db().find_repo("model", "owner", "gated");
    return row && *row && check_repo_access(*hub_, who, **row, Access::Content).has_value();
  }

  Identity owner_, alice_;
  storage::RepoRow repo_;
};

TEST_F(GatingTest, ManualRequestIsPendingUntilAccepted) {
  gate("manual", R"({"extra_gated_fields": {"Company": "text"}})");
  EXPECT_FALSE(reads_content(alice_));
  auto missing = ask_access(*hub_, alice_, id(), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().status, 400);

  auto status = ask_access(*hub_, alice_, id(), {{"Company", "ACME"}});
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, "pending");
  EXPECT_FALSE(reads_content(alice_));

  auto pending = list_access_requests(*hub_, owner_, id(), "pending", 0, 10);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].user.name, "alice");
  EXPECT_EQ((*pending)[0].fields, R"({"Company":"ACME"})");

  ASSERT_TRUE(handle_access_request(*hub_, owner_, id(), "alice", "accepted", ""));
  EXPECT_TRUE(reads_content(alice_));
  // Asking again keeps the decision.
  EXPECT_EQ(ask_access(*hub_, alice_, id(), {}).value_or(""), "accepted");

  ASSERT_TRUE(handle_access_request(*hub_, owner_, id(), "alice", "rejected", "no"));
  EXPECT_FALSE(reads_content(alice_));
  auto again = ask_access(*hub_, alice_, id(), {{"Company", "ACME"}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().status, 403);
}

TEST_F(GatingTest, AutoModeAcceptsAtOnce) {
  gate("auto");
  EXPECT_EQ(ask_access(*hub_, alice_, id(), {}).value_or(""), "accepted");
  EXPECT_TRUE(reads_content(alice_));
}

TEST_F(GatingTest, OwnerIsNeverGatedAndStoresNoRequest) {
  gate("manual");
  EXPECT_TRUE(reads_content(owner_));
  EXPECT_EQ(ask_access(*hub_, owner_, id(), {}).value_or(""), "accepted");
  EXPECT_TRUE(list_access_requests(*hub_, owner_, id(), "accepted", 0, 10)->empty());
}

TEST_F(GatingTest, OnlyWritersDecide) {
  gate("manual");
  ASSERT_TRUE(ask_access(*hub_, alice_, id(), {}));
  auto list = list_access_requests(*hub_, alice_, id(), "pending", 0, 10);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().status, 403);
  auto decide = handle_access_request(*hub_, alice_, id(), "alice", "accepted", "");
  ASSERT_FALSE(decide);
  EXPECT_EQ(decide.error().status, 403);
  EXPECT_FALSE(reads_content(alice_));
}

TEST_F(GatingTest, HandleAndGrantRefuseWhatTheHubRefuses) {
  auto not_gated = ask_access(*hub_, alice_, id(), {});
  ASSERT_FALSE(not_gated);
  EXPECT_EQ(not_gated.error().status, 400);
  gate("manual");
  EXPECT_EQ(list_access_requests(*hub_, owner_, id(), "reset", 0, 10).error().status, 400);
  EXPECT_EQ(handle_access_request(*hub_, owner_, id(), "alice", "accepted", "").error().status,
            404);
  EXPECT_EQ(handle_access_request(*hub_, owner_, id(), "nobody", "accepted", "").error().status,
            404);
  EXPECT_EQ(handle_access_request(*hub_, owner_, id(), "alice", "maybe", "").error().status, 400);
  ASSERT_TRUE(ask_access(*hub_, alice_, id(), {}));
  EXPECT_EQ(handle_access_request(*hub_, owner_, id(), "alice", "pending", "").error().status, 404);
  EXPECT_EQ(handle_access_request(*hub_, owner_, id(), "alice", "rejected", std::string(201, 'x'))
                .error()
                .status,
            400);

  EXPECT_EQ(grant_access(*hub_, owner_, id(), "nobody").error().status, 404);
  auto bob = person("bob");
  ASSERT_TRUE(grant_access(*hub_, owner_, id(), "bob"));
  EXPECT_TRUE(reads_content(bob));
  EXPECT_EQ(grant_access(*hub_, owner_, id(), "bob").error().status, 400);
}

TEST_F(GatingTest, AnonymousCannotAsk) {
  gate("auto");
  auto r = ask_access(*hub_, Identity{}, id(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 401);
}

}  // namespace
}  // namespace wharf::hub
