// hub/pull_requests: opening a PR from a create_pr commit and as a draft, who may commit to
// its ref, commit events recorded once, the state (conflicts, nothing to merge), merges, and
// what a push to a PR ref may do.
#include "hub/pull_requests.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "hub/commits.h"
#include "util/encoding.h"
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

const std::string kZero(40, '0');

class PullRequestTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    owner_ = person("owner");
    alice_ = person("alice");
    bob_ = person("bob");
    CreateRepoParams p;
    p.id = id();
    ASSERT_TRUE(create_repo(*hub_, owner_, p));
    commit(owner_, "main", "a.txt", "one\ntwo\n");
  }
  static RepoId id() { return RepoId{RepoType::Model, "owner", "m"}; }

  // A commit of one file through the API's path; returns the result or the error.
  Result<CommitResult> commit(const Identity& who, const std::string& rev, const std::string& path,
                              const std::string& content, bool create_pr = false,
                              const std::string& summary = "change") {
    auto repo = open_repo_for_commit(*hub_, who, id(), rev, create_pr);
    if (!repo) return fail(std::move(repo.error()));
    std::string text = R"({"key":"header","value":{"summary":")" + summary + R"("}})" "\n" +
                       R"({"key":"file","value":{"path":")" + path + R"(","content":")" +
                       base64_encode(content) + R"(","encoding":"base64"}})";
    StringSource body(text);  // a view: `text` outlives it
    return commit_ndjson(*hub_, *repo, who, rev, body, create_pr);
  }
  DiscussionDetails details(int64_t num) {
    auto d = get_discussion(*hub_, owner_, id(), num, true);
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : DiscussionDetails{};
  }
  std::string main_head() {
    auto repo = open_repo(*hub_, owner_, id(), Access::Read);
    return *repo->git.ref_target("refs/heads/main");
  }

  Identity owner_, alice_, bob_;
};

TEST_F(PullRequestTest, RefNames) {
  EXPECT_EQ(pull_request_ref(12), "refs/pr/12");
  EXPECT_EQ(pull_request_num("refs/pr/12"), 12);
  for (const char* bad : {"refs/pr/", "refs/pr/0", "refs/pr/01", "refs/pr/1a", "refs/heads/1", "refs/pr/1234567890"})
    EXPECT_EQ(pull_request_num(bad), std::nullopt) << bad;
}

TEST_F(PullRequestTest, CreatePrCommitOpensAPullRequestOnlyItsAuthorAndWritersExtend) {
  std::string before = main_head();
  auto opened = commit(alice_, "main", "b.txt", "b\n", true, "Add b");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->pull_request, 1);
  EXPECT_EQ(opened->ref, "refs/pr/1");
  EXPECT_EQ(main_head(), before);
  EXPECT_EQ(commit(alice_, "main", "x", "x").error().status, 403) << "alice cannot write to main";

  ASSERT_TRUE(commit(alice_, "refs/pr/1", "b.txt", "b2\n", false, "Fix b"));
  EXPECT_EQ(commit(bob_, "refs/pr/1", "b.txt", "b3\n").error().status, 403);
  ASSERT_TRUE(commit(owner_, "refs/pr/1", "c.txt", "c\n", false, "Owner fix"));
  EXPECT_EQ(commit(alice_, "refs/pr/9", "b.txt", "b\n").error().code, "RevisionNotFound");

  auto d = details(1);
  EXPECT_TRUE(d.discussion.is_pull_request);
  EXPECT_EQ(d.discussion.status, "open");
  EXPECT_EQ(d.discussion.base_ref, "refs/heads/main");
  std::vector<std::string> subjects;
  for (const auto& e : d.events)
    if (e.type == "commit") subjects.push_back(e.data);
  ASSERT_EQ(subjects.size(), 3u);
  EXPECT_NE(subjects[0].find("Add b"), std::string::npos);
  EXPECT_NE(subjects[2].find("Owner fix"), std::string::npos);
  ASSERT_TRUE(d.pull_request);
  EXPECT_TRUE(d.pull_request->mergeable);
  EXPECT_TRUE(d.pull_request->conflicts.empty());
  EXPECT_EQ(d.pull_request->diff_base, before);
  EXPECT_NE(d.diff.find("+b2"), std::string::npos);

  // Recording again changes nothing: each commit is recorded once.
  auto repo = open_repo(*hub_, owner_, id(), Access::Read);
  ASSERT_TRUE(record_pull_request_commits(*hub_, *repo, 1, 0));
  EXPECT_EQ(details(1).events.size(), d.events.size());
}

TEST_F(PullRequestTest, ConflictsRefuseTheMergeAndFastForwardsMergeWithoutACommit) {
  ASSERT_TRUE(commit(alice_, "main", "a.txt", "one\nTWO\n", true, "Shout"));
  ASSERT_TRUE(commit(bob_, "main", "new.txt", "n\n", true, "Add new"));
  ASSERT_TRUE(commit(owner_, "main", "a.txt", "one\nzwei\n"));
  auto d = details(1);
  EXPECT_EQ(d.pull_request->conflicts, std::vector<std::string>{"a.txt"});
  EXPECT_FALSE(d.pull_request->mergeable);
  std::string before = main_head();
  auto refused = merge_pull_request(*hub_, owner_, id(), 1, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().status, 409);
  EXPECT_EQ(refused.error().code, "MergeConflict");
  EXPECT_NE(refused.error().message.find("a.txt"), std::string::npos);
  EXPECT_NE(refused.error().extra_json.find("filesWithConflicts"), std::string::npos);
  EXPECT_EQ(main_head(), before);

  EXPECT_EQ(merge_pull_request(*hub_, alice_, id(), 2, "").error().status, 403) << "only writers merge";
  auto merged = merge_pull_request(*hub_, owner_, id(), 2, "Thanks");
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->discussion.status, "merged");
  auto repo = open_repo(*hub_, owner_, id(), Access::Read);
  auto head = repo->git.read_commit(main_head());
  EXPECT_EQ(head->parents.size(), 2u) << "main had moved: a merge commit";
  EXPECT_EQ(merged->discussion.merge_commit, head->id);
  EXPECT_EQ(merge_pull_request(*hub_, owner_, id(), 2, "").error().status, 400);
}

TEST_F(PullRequestTest, DraftsStartAtTheBaseAndHaveNothingToMerge) {
  auto draft = create_discussion(*hub_, alice_, id(), {"Later", "", true});
  ASSERT_TRUE(draft) << draft.error().message;
  EXPECT_EQ(draft->discussion.status, "draft");
  ASSERT_TRUE(draft->pull_request);
  EXPECT_TRUE(draft->pull_request->merged_already);
  EXPECT_EQ(draft->pull_request->head, main_head());
  ASSERT_TRUE(change_discussion_status(*hub_, alice_, id(), draft->discussion.num, "open", ""));
  auto nothing = merge_pull_request(*hub_, owner_, id(), draft->discussion.num, "");
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().status, 400);
  EXPECT_NE(nothing.error().message.find("Nothing to merge"), std::string::npos);
  ASSERT_TRUE(commit(alice_, pull_request_ref(draft->discussion.num), "d.txt", "d\n"));
  auto merged = merge_pull_request(*hub_, owner_, id(), draft->discussion.num, "");
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->discussion.merge_commit, main_head()) << "a fast-forward";
}

TEST_F(PullRequestTest, PushesToPullRequestRefs) {
  ASSERT_TRUE(commit(alice_, "main", "b.txt", "b\n", true));
  auto row = hub_->db().find_repo("model", "owner", "m");
  ASSERT_TRUE(row && *row);
  const auto& repo = **row;
  std::string a(40, 'a'), b(40, 'b');
  int64_t alice = alice_.user->id, bob = bob_.user->id;
  EXPECT_TRUE(check_pull_request_push(*hub_, repo, "refs/pr/1", a, b, alice, false));
  EXPECT_TRUE(check_pull_request_push(*hub_, repo, "refs/pr/1", a, b, bob, true)) << "writers push";
  EXPECT_FALSE(check_pull_request_push(*hub_, repo, "refs/pr/1", a, b, bob, false));
  EXPECT_FALSE(check_pull_request_push(*hub_, repo, "refs/pr/1", a, kZero, alice, true)) << "no deletion";
  EXPECT_FALSE(check_pull_request_push(*hub_, repo, "refs/pr/2", kZero, b, alice, true)) << "no creation";
  EXPECT_FALSE(check_pull_request_push(*hub_, repo, "refs/pr/2", a, b, alice, true)) << "no such PR";
  EXPECT_FALSE(check_pull_request_push(*hub_, repo, "refs/pr/x", a, b, alice, true));
  ASSERT_TRUE(change_discussion_status(*hub_, owner_, id(), 1, "closed", ""));
  auto closed = check_pull_request_push(*hub_, repo, "refs/pr/1", a, b, alice, false);
  ASSERT_FALSE(closed);
  EXPECT_NE(closed.error().message.find("closed"), std::string::npos);
}

TEST_F(PullRequestTest, TheDatabaseUpdateIsACompareAndSwapOfTheHead) {
  ASSERT_TRUE(commit(alice_, "main", "b.txt", "b\n", true));
  auto d = hub_->db().find_discussion(hub_->db().find_repo("model", "owner", "m").value()->id, 1).value().value();
  storage::PullRequestUpdate stale;
  stale.expected_head = std::string(40, 'f');
  stale.head_sha = std::string(40, 'e');
  EXPECT_FALSE(*hub_->db().update_pull_request(d.id, stale, {}, 1));
  storage::PullRequestUpdate fresh;
  fresh.expected_head = d.head_sha;
  fresh.status = "closed";
  EXPECT_TRUE(*hub_->db().update_pull_request(d.id, fresh, {}, 1));
  auto after = hub_->db().find_discussion(d.repo_id, 1).value().value();
  EXPECT_EQ(after.status, "closed");
  EXPECT_EQ(after.head_sha, d.head_sha) << "an empty field leaves the column";
  EXPECT_FALSE(*hub_->db().discussions_disabled(d.repo_id));
  ASSERT_TRUE(hub_->db().set_discussions_disabled(d.repo_id, true));
  EXPECT_TRUE(*hub_->db().discussions_disabled(d.repo_id));
  EXPECT_EQ(commit(bob_, "main", "z", "z", true).error().status, 403);
}

}  // namespace
}  // namespace wharf::hub
