#include "hub/repo_id.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

TEST(RepoType, NamesPluralsAndUrlPrefixes) {
  EXPECT_EQ(type_name(RepoType::Model), "model");
  EXPECT_EQ(type_name(RepoType::Dataset), "dataset");
  EXPECT_EQ(type_name(RepoType::Space), "space");
  EXPECT_EQ(type_plural(RepoType::Model), "models");
  EXPECT_EQ(type_plural(RepoType::Dataset), "datasets");
  EXPECT_EQ(type_plural(RepoType::Space), "spaces");
  EXPECT_EQ(url_prefix(RepoType::Model), "");
  EXPECT_EQ(url_prefix(RepoType::Dataset), "datasets/");
  EXPECT_EQ(url_prefix(RepoType::Space), "spaces/");
}

TEST(RepoType, ParsesSingularAndPluralForms) {
  EXPECT_EQ(parse_type("model"), RepoType::Model);
  EXPECT_EQ(parse_type("dataset"), RepoType::Dataset);
  EXPECT_EQ(parse_type("space"), RepoType::Space);
  EXPECT_EQ(parse_type("models"), std::nullopt);
  EXPECT_EQ(parse_type("Model"), std::nullopt);
  EXPECT_EQ(parse_type("kernel"), std::nullopt);
  EXPECT_EQ(parse_type_plural("models"), RepoType::Model);
  EXPECT_EQ(parse_type_plural("datasets"), RepoType::Dataset);
  EXPECT_EQ(parse_type_plural("spaces"), RepoType::Space);
  EXPECT_EQ(parse_type_plural("space"), std::nullopt);
}

TEST(RepoType, EmptyTypeIsAModelOnlyWhenAllowed) {
  EXPECT_EQ(parse_type(""), std::nullopt);
  EXPECT_EQ(parse_type("", true), RepoType::Model);
  EXPECT_EQ(parse_type("dataset", true), RepoType::Dataset);
  EXPECT_EQ(parse_type("bogus", true), std::nullopt);
}

TEST(RepoName, AcceptsClientValidNames) {
  for (std::string_view s :
       {"gpt2", "bert-base-uncased", "Llama_3.1-8B", "a", "x.y_z-0", "_private_"}) {
    EXPECT_EQ(invalid_name_segment(s), std::nullopt) << s;
  }
  EXPECT_EQ(invalid_name_segment(std::string(96, 'a')), std::nullopt);
}

TEST(RepoName, RefusesWhatTheClientsRefuse) {
  for (std::string_view s : {"", "-lead", "trail-", ".lead", "trail.", "a--b", "a..b", "model.git",
                             "model.GIT", "has space", "slash/inside", "ünïcode", "semi;colon"}) {
    EXPECT_NE(invalid_name_segment(s), std::nullopt) << s;
  }
  EXPECT_NE(invalid_name_segment(std::string(97, 'a')), std::nullopt);
}

TEST(RepoName, ReservesUrlPrefixNamespacesInAnyCase) {
  for (std::string_view s :
       {"datasets", "spaces", "models", "kernels", "api", "buckets", "organizations", "settings",
        "new", "docs", "login", "logout", "join", "API", "Datasets"}) {
    EXPECT_TRUE(is_reserved_namespace(s)) << s;
  }
  EXPECT_FALSE(is_reserved_namespace("openai"));
  EXPECT_FALSE(is_reserved_namespace("dataset"));
  EXPECT_FALSE(is_reserved_namespace("apis"));
}

TEST(RepoId, MakeBuildsFullId) {
  auto id = make_repo_id(RepoType::Dataset, "org", "my-data");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->type, RepoType::Dataset);
  EXPECT_EQ(id->full(), "org/my-data");
  EXPECT_EQ(*id, (RepoId{RepoType::Dataset, "org", "my-data"}));
}

TEST(RepoId, MakeRefusesInvalidSegmentsWithBadRequest) {
  auto bad_ns = make_repo_id(RepoType::Model, "bad--ns", "name");
  ASSERT_FALSE(bad_ns.has_value());
  EXPECT_EQ(bad_ns.error().status, 400);
  EXPECT_EQ(bad_ns.error().code, "BadRequest");
  EXPECT_NE(bad_ns.error().message.find("namespace"), std::string::npos);

  auto bad_name = make_repo_id(RepoType::Model, "ns", "name.git");
  ASSERT_FALSE(bad_name.has_value());
  EXPECT_NE(bad_name.error().message.find("name"), std::string::npos);
  EXPECT_NE(bad_name.error().message.find(".git"), std::string::npos);
}

TEST(RepoId, MakeDoesNotEchoTheSegment) {
  auto r = make_repo_id(RepoType::Model, "ns", "evil\r\nX-Injected: 1");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace wharf::hub
