#include "hub/listing_query.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

Result<CatalogQuery> parse(std::string_view query, RepoType type = RepoType::Model) {
  return parse_listing_query(QueryParams::parse(query), type, 30);
}

TEST(ListingQuery, ConvenienceFiltersBecomeTheHubsTags) {
  auto q =
      parse("filter=a,b&filter=c&language=en&license=mit,apache-2.0&dataset=x/y&task_categories=t");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->tags,
            (std::vector<std::string>{"a", "b", "c", "en", "license:mit", "license:apache-2.0",
                                      "dataset:x/y", "task_categories:t"}));
  auto d = parse("language=en", RepoType::Dataset);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->tags, std::vector<std::string>{"language:en"});  // datasets prefix their languages
}

TEST(ListingQuery, ReadsEveryField) {
  auto q = parse(
      "search=bert&author=acme&pipeline_tag=fill-mask&library=transformers&gated=True&sort=likes"
      "&direction=-1&limit=5&cursor=abc");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->search, "bert");
  EXPECT_EQ(q->author, "acme");
  EXPECT_EQ(q->pipeline_tag, "fill-mask");
  EXPECT_EQ(q->library_name, "transformers");
  EXPECT_EQ(q->gated, std::optional<bool>(true));
  EXPECT_EQ(q->sort, CatalogSort::Likes);
  EXPECT_EQ(q->limit, 5u);
  EXPECT_EQ(q->cursor, "abc");
  EXPECT_EQ(q->may_see_private, nullptr);
}

TEST(ListingQuery, DefaultsAndClampedLimit) {
  auto q = parse("");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->limit, 30u);
  EXPECT_EQ(q->sort, CatalogSort::Id);
  EXPECT_FALSE(q->gated.has_value());
  EXPECT_EQ(parse("limit=5000")->limit, kMaxCatalogPage);
  EXPECT_EQ(parse("limit=99999999999999999999999")->limit, kMaxCatalogPage);
}

TEST(ListingQuery, RefusesBadValuesWith400) {
  std::string many;
  for (int i = 0; i < 33; ++i) many += "&filter=t" + std::to_string(i);
  std::string too_many_values = "filter=";
  for (int i = 0; i < 65; ++i) too_many_values += "v" + std::to_string(i) + ",";
  for (const std::string& bad :
       {std::string("limit=0"), std::string("limit=-1"), std::string("limit=x"),
        std::string("gated=maybe"), std::string("sort=sideways"), std::string("direction=up"),
        many.substr(1), too_many_values}) {
    auto q = parse(bad);
    ASSERT_FALSE(q) << bad;
    EXPECT_EQ(q.error().status, 400) << bad;
  }
}

TEST(ListingQuery, TheCallersSortNames) {
  SortParser web = [](std::string_view s) -> std::optional<CatalogSort> {
    if (s == "modified") return CatalogSort::LastModified;
    return std::nullopt;
  };
  auto q = parse_listing_query(QueryParams::parse("sort=modified"), RepoType::Model, 30, web);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sort, CatalogSort::LastModified);
  EXPECT_FALSE(parse_listing_query(QueryParams::parse("sort=likes"), RepoType::Model, 30, web));
}

TEST(TagGroup, ModelsAndSpacesByVocabularyAndPrefix) {
  struct Case {
    RepoType type;
    std::string tag, group, label;
  };
  for (const auto& c : std::vector<Case>{
           {RepoType::Model, "text-generation", "pipeline_tag", "text-generation"},
           {RepoType::Model, "transformers", "library", "transformers"},
           {RepoType::Model, "en", "language", "en"},
           {RepoType::Model, "license:mit", "license", "mit"},
           {RepoType::Model, "dataset:a/b", "dataset", "a/b"},
           {RepoType::Model, "arxiv:1234.5678", "arxiv", "1234.5678"},
           {RepoType::Model, "base_model:x/y", "other", "base_model:x/y"},
           {RepoType::Model, "sentiment", "other", "sentiment"},
           {RepoType::Space, "license:apache-2.0", "license", "apache-2.0"},
           {RepoType::Space, "gradio", "other", "gradio"},
           {RepoType::Dataset, "language:en", "language", "en"},
           {RepoType::Dataset, "task_categories:translation", "task_categories", "translation"},
           {RepoType::Dataset, "size_categories:1K<n<10K", "size_categories", "1K<n<10K"},
           {RepoType::Dataset, "en", "other", "en"}}) {
    auto g = tag_group(c.type, c.tag);
    EXPECT_EQ(g.group, c.group) << c.tag;
    EXPECT_EQ(g.label, c.label) << c.tag;
  }
}

}  // namespace
}  // namespace wharf::hub
