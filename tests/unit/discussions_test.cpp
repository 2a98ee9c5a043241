// hub/discussions: numbering, who may do what, bounds, the views of hidden and edited
// comments, paging and filters, and that a repo's discussions go with it.
#include "hub/discussions.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include "hub_fixture.h"

namespace wharf::hub {
namespace {

class DiscussionTest : public HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    if (HasFatalFailure()) return;
    owner_ = person("owner");
    alice_ = person("alice");
    bob_ = person("bob");
    make_repo("talk", false);
  }

  void make_repo(const std::string& name, bool is_private) {
    CreateRepoParams p;
    p.id = RepoId{RepoType::Model, "owner", name};
    p.is_private = is_private;
    auto row = create_repo(*hub_, owner_, p);
    ASSERT_TRUE(row) << row.error().message;
  }

  static RepoId id(const std::string& name = "talk") {
    return RepoId{RepoType::Model, "owner", name};
  }

  int64_t open(const Identity& who, const std::string& title = "A question",
               const std::string& description = "Hello **there**",
               const std::string& repo = "talk") {
    auto d = create_discussion(*hub_, who, id(repo), {title, description, false});
    EXPECT_TRUE(d) << d.error().message;
    return d ? d->discussion.num : 0;
  }

  int64_t count(const std::string& repo = "talk") {
    auto page = list_discussions(*hub_, owner_, id(repo), {});
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->count : -1;
  }

  Identity owner_, alice_, bob_;
};

TEST_F(DiscussionTest, NumbersStartAtOnePerRepoAndDescriptionIsFirstComment) {
  make_repo("other", false);
  EXPECT_EQ(open(alice_), 1);
  EXPECT_EQ(open(bob_), 2);
  EXPECT_EQ(open(alice_, "Elsewhere", "", "other"), 1);

  auto d = get_discussion(*hub_, Identity{}, id(), 1);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->discussion.title, "A question");
  EXPECT_EQ(d->discussion.status, "open");
  EXPECT_EQ(d->discussion.author, "alice");
  ASSERT_EQ(d->events.size(), 1u);
  EXPECT_EQ(d->events[0].type, "comment");
  EXPECT_EQ(d->events[0].object_id.size(), 24u);
  auto view = comment_view(d->events[0]);
  EXPECT_EQ(view.latest.raw, "Hello **there**");
  EXPECT_NE(view.latest.html.find("<strong>there</strong>"), std::string::npos);
  EXPECT_FALSE(view.edited);

  auto blank = get_discussion(*hub_, alice_, id("other"), 1);
  ASSERT_TRUE(blank);
  EXPECT_TRUE(blank->events.empty()) << "a blank description records no comment";
}

TEST_F(DiscussionTest, ReaderOpensAndCommentsButOnlyAuthorsAndWritersCloseAndWritersHide) {
  int64_t num = open(alice_);
  auto comment = comment_discussion(*hub_, bob_, id(), num, "me too");
  ASSERT_TRUE(comment) << comment.error().message;

  auto close = change_discussion_status(*hub_, bob_, id(), num, "closed", "");
  ASSERT_FALSE(close);
  EXPECT_EQ(close.error().status, 403);
  auto hide = hide_discussion_comment(*hub_, alice_, id(), num, comment->event.object_id);
  ASSERT_FALSE(hide);
  EXPECT_EQ(hide.error().status, 403);

  auto closed = change_discussion_status(*hub_, owner_, id(), num, "closed", "Answered");
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->discussion.status, "closed");
  EXPECT_EQ(closed->event.type, "status-change");
  EXPECT_EQ(closed->event.data, R"({"status":"closed"})");
  EXPECT_EQ(change_discussion_status(*hub_, owner_, id(), num, "closed", "").error().status, 400);
  EXPECT_EQ(change_discussion_status(*hub_, owner_, id(), num, "merged", "").error().status, 400);

  // Closed discussions still take comments.
  ASSERT_TRUE(comment_discussion(*hub_, bob_, id(), num, "one more thing"));

  auto hidden = hide_discussion_comment(*hub_, owner_, id(), num, comment->event.object_id);
  ASSERT_TRUE(hidden) << hidden.error().message;
  auto view = comment_view(hidden->event);
  EXPECT_TRUE(view.hidden);
  EXPECT_EQ(view.latest.raw, kHiddenComment);
  EXPECT_TRUE(view.history.empty());
  EXPECT_TRUE(hide_discussion_comment(*hub_, owner_, id(), num, comment->event.object_id));

  auto d = get_discussion(*hub_, bob_, id(), num);
  ASSERT_TRUE(d);
  // description, bob's comment, the closing comment, the status change, one more thing
  ASSERT_EQ(d->events.size(), 5u);
  EXPECT_EQ(d->events[2].type, "comment");
  EXPECT_EQ(comment_view(d->events[2]).latest.raw, "Answered");
  EXPECT_EQ(d->events[3].type, "status-change");
}

TEST_F(DiscussionTest, AnonymousAndReadTokensCannotTakePart) {
  auto anonymous = create_discussion(*hub_, Identity{}, id(), {"Hi", "", false});
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().status, 401);
  Identity read_token = alice_;
  storage::TokenRow token;
  token.role = "read";
  read_token.token = token;
  auto by_token = create_discussion(*hub_, read_token, id(), {"Hi", "", false});
  ASSERT_FALSE(by_token);
  EXPECT_EQ(by_token.error().status, 403);
  int64_t num = open(alice_);
  EXPECT_EQ(comment_discussion(*hub_, Identity{}, id(), num, "x").error().status, 401);
  EXPECT_EQ(count(), 1);
}

TEST_F(DiscussionTest, BoundsRefuseAndChangeNothing) {
  auto blank = create_discussion(*hub_, alice_, id(), {"  \n", "", false});
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().status, 400);
  auto long_title = create_discussion(*hub_, alice_, id(), {std::string(201, 'x'), "", false});
  ASSERT_FALSE(long_title);
  EXPECT_EQ(long_title.error().status, 400);
  std::string huge(kMaxCommentBytes + 1, 'x');
  auto huge_description = create_discussion(*hub_, alice_, id(), {"Hi", huge, false});
  ASSERT_FALSE(huge_description);
  EXPECT_EQ(huge_description.error().status, 413);
  auto pr = create_discussion(*hub_, alice_, id(), {std::string(201, 'x'), "", true});
  ASSERT_FALSE(pr) << "pull requests have the same bounds";
  EXPECT_EQ(pr.error().status, 400);
  auto huge_pr = create_discussion(*hub_, alice_, id(), {"A PR", huge, true});
  ASSERT_FALSE(huge_pr);
  EXPECT_EQ(huge_pr.error().status, 413);
  EXPECT_EQ(count(), 0);

  // 200 characters of two bytes each is a valid title; it is stored trimmed.
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(open(alice_, "  " + accents + "  "), 1);
  EXPECT_EQ(get_discussion(*hub_, alice_, id(), 1)->discussion.title, accents);

  EXPECT_EQ(comment_discussion(*hub_, alice_, id(), 1, huge).error().status, 413);
  EXPECT_EQ(comment_discussion(*hub_, alice_, id(), 1, " \n").error().status, 400);
  EXPECT_EQ(comment_discussion(*hub_, alice_, id(), 2, "where?").error().status, 404);
  EXPECT_EQ(get_discussion(*hub_, alice_, id(), 2).error().status, 404);
  EXPECT_EQ(get_discussion(*hub_, alice_, id(), 1)->events.size(), 1u);
}

TEST_F(DiscussionTest, AuthorEditsOwnCommentOthersCannot) {
  int64_t num = open(alice_);
  auto first = get_discussion(*hub_, alice_, id(), num)->events[0].object_id;
  auto by_bob = edit_discussion_comment(*hub_, bob_, id(), num, first, "bob was here");
  ASSERT_FALSE(by_bob);
  EXPECT_EQ(by_bob.error().status, 403);
  EXPECT_EQ(edit_discussion_comment(*hub_, owner_, id(), num, first, "owner").error().status, 403);
  EXPECT_EQ(edit_discussion_comment(*hub_, alice_, id(), num, "ffffffffffffffffffffffff", "x")
                .error()
                .status,
            404);

  auto edited = edit_discussion_comment(*hub_, alice_, id(), num, first, "Hello again");
  ASSERT_TRUE(edited) << edited.error().message;
  auto view = comment_view(edited->event);
  EXPECT_TRUE(view.edited);
  EXPECT_EQ(view.latest.raw, "Hello again");
  ASSERT_EQ(view.history.size(), 2u);
  EXPECT_EQ(view.history[1].raw, "Hello **there**");

  ASSERT_TRUE(hide_discussion_comment(*hub_, owner_, id(), num, first));
  EXPECT_EQ(edit_discussion_comment(*hub_, alice_, id(), num, first, "back").error().status, 400);
}

TEST_F(DiscussionTest, AuthorOrWriterRenames) {
  int64_t num = open(alice_);
  EXPECT_EQ(rename_discussion(*hub_, bob_, id(), num, "Mine now").error().status, 403);
  auto by_author = rename_discussion(*hub_, alice_, id(), num, "Better title");
  ASSERT_TRUE(by_author) << by_author.error().message;
  EXPECT_EQ(by_author->event.type, "title-change");
  EXPECT_EQ(by_author->event.data, R"({"from":"A question","to":"Better title"})");
  auto by_owner = rename_discussion(*hub_, owner_, id(), num, "Best title");
  ASSERT_TRUE(by_owner) << by_owner.error().message;
  EXPECT_EQ(by_owner->discussion.title, "Best title");
  EXPECT_EQ(rename_discussion(*hub_, owner_, id(), num, "").error().status, 400);
}

TEST_F(DiscussionTest, PagesOfFiftyNewestFirstWithFilters) {
  for (int i = 0; i < 53; ++i) open(i % 2 ? alice_ : bob_, "Topic " + std::to_string(i + 1), "");
  ASSERT_TRUE(change_discussion_status(*hub_, owner_, id(), 3, "closed", ""));

  auto first = list_discussions(*hub_, Identity{}, id(), {});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->count, 53);
  EXPECT_EQ(first->start, 0);
  ASSERT_EQ(first->discussions.size(), 50u);
  EXPECT_EQ(first->discussions.front().num, 53);
  DiscussionQuery second_page;
  second_page.page = 1;
  auto second = list_discussions(*hub_, Identity{}, id(), second_page);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->start, 50);
  ASSERT_EQ(second->discussions.size(), 3u);
  EXPECT_EQ(second->discussions.back().num, 1);

  DiscussionQuery closed;
  closed.status = "closed";
  auto only_closed = list_discussions(*hub_, Identity{}, id(), closed);
  ASSERT_TRUE(only_closed);
  ASSERT_EQ(only_closed->count, 1);
  EXPECT_EQ(only_closed->discussions[0].num, 3);
  DiscussionQuery by_alice;
  by_alice.author = "ALICE";
  EXPECT_EQ(list_discussions(*hub_, Identity{}, id(), by_alice)->count, 26);
  DiscussionQuery prs;
  prs.type = "pull_request";
  EXPECT_EQ(list_discussions(*hub_, Identity{}, id(), prs)->count, 0);
  DiscussionQuery bad;
  bad.status = "merged";
  EXPECT_EQ(list_discussions(*hub_, Identity{}, id(), bad).error().status, 400);
  bad = {};
  bad.type = "issues";
  EXPECT_EQ(list_discussions(*hub_, Identity{}, id(), bad).error().status, 400);
}

TEST_F(DiscussionTest, PrivateRepoDiscussionsAreInvisibleToOutsiders) {
  make_repo("secret", true);
  EXPECT_EQ(open(owner_, "Internal", "", "secret"), 1);
  EXPECT_EQ(list_discussions(*hub_, alice_, id("secret"), {}).error().status, 404);
  EXPECT_EQ(list_discussions(*hub_, Identity{}, id("secret"), {}).error().status, 401);
  EXPECT_EQ(get_discussion(*hub_, alice_, id("secret"), 1).error().status, 404);
  EXPECT_EQ(comment_discussion(*hub_, alice_, id("secret"), 1, "hi").error().status, 404);
  EXPECT_EQ(create_discussion(*hub_, alice_, id("secret"), {"Hi", "", false}).error().status, 404);
}

TEST_F(DiscussionTest, DeletingTheRepoDeletesItsDiscussions) {
  open(alice_);
  open(bob_);
  ASSERT_TRUE(delete_repo(*hub_, owner_, id()));
  make_repo("talk", false);
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(open(alice_), 1);
}

}  // namespace
}  // namespace wharf::hub
