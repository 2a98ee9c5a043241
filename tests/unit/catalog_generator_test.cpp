#include "hub/catalog_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "db_fixture.h"
#include "hub/card_tags.h"
#include "hub/card_vocabulary.h"

namespace wharf::hub {
namespace {

using nlohmann::json;
using storage::RepoRow;

constexpr int64_t kNow = 1'750'000'000'000;  // 2025-06-15
constexpr int64_t kFourYearsMs = 1461LL * 86'400'000;

RepoType type_at(int i) {
  return i % 10 < 6 ? RepoType::Model : i % 10 < 8 ? RepoType::Dataset : RepoType::Space;
}

std::vector<RepoRow> make_rows(uint64_t seed, int n,
                               std::vector<GeneratedSource>* sources = nullptr) {
  CatalogGenerator gen(seed, kNow, n);
  std::vector<RepoRow> rows;
  for (int i = 0; i < n; ++i) {
    GeneratedSource src;
    rows.push_back(gen.next(type_at(i), &src));
    if (sources) sources->push_back(std::move(src));
  }
  return rows;
}

std::string lower_key(const RepoRow& r) {
  std::string k = r.type + "/" + r.ns + "/" + r.name;
  for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

// Every field of two rows, for comparing runs.
std::string dump(const RepoRow& r) {
  return json{r.object_id,    r.type,           r.ns,
              r.name,         r.is_private,     r.gated,
              r.sdk,          r.created_ms,     r.last_modified_ms,
              r.card_data,    r.downloads,      r.downloads_all_time,
              r.likes,        r.trending_score, r.tags,
              r.pipeline_tag, r.library_name,   r.config,
              r.synthetic}
      .dump();
}

TEST(CatalogGenerator, SameSeedSameRowsOtherSeedOtherRows) {
  auto a = make_rows(7, 3000), b = make_rows(7, 3000), c = make_rows(8, 3000);
  int differing = 0;
  for (int i = 0; i < 3000; ++i) {
    ASSERT_EQ(dump(a[i]), dump(b[i])) << "row " << i;
    differing += dump(a[i]) != dump(c[i]);
  }
  EXPECT_GT(differing, 2900);
}

TEST(CatalogGenerator, IdsAreValidUniqueAndTyped) {
  auto rows = make_rows(1, 30000);
  std::set<std::string> keys, object_ids;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const auto& r = rows[i];
    EXPECT_EQ(r.type, type_name(type_at(i)));
    EXPECT_TRUE(make_repo_id(type_at(i), r.ns, r.name).has_value()) << r.ns << "/" << r.name;
    EXPECT_FALSE(is_reserved_namespace(r.ns)) << r.ns;
    EXPECT_TRUE(keys.insert(lower_key(r)).second) << "duplicate " << lower_key(r);
    ASSERT_EQ(r.object_id.size(), 24u);
    EXPECT_EQ(r.object_id.find_first_not_of("0123456789abcdef"), std::string::npos) << r.object_id;
    EXPECT_TRUE(object_ids.insert(r.object_id).second) << "duplicate object id " << r.object_id;
    EXPECT_TRUE(r.synthetic);
    EXPECT_EQ(r.id, 0);
    EXPECT_EQ(r.sha, "");
  }
}

// The rows hold what the indexer would have derived from their card, files and config.json.
TEST(CatalogGenerator, TagsAreThoseTheIndexerDerives) {
  std::vector<GeneratedSource> sources;
  auto rows = make_rows(3, 20000, &sources);
  std::set<std::string> seen_tags;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    json card = r.card_data.empty() ? json::object() : json::parse(r.card_data);
    ASSERT_TRUE(card.is_object()) << r.card_data;
    std::optional<json> config;
    if (!sources[i].config_json.empty()) config = json::parse(sources[i].config_json);
    auto derived = derive_card(card, sources[i].files, r.type, config);
    auto tags = json::parse(r.tags).get<std::vector<std::string>>();
    ASSERT_EQ(tags, derived.tags) << r.ns << "/" << r.name << " card " << r.card_data;
    EXPECT_EQ(r.pipeline_tag, derived.pipeline_tag) << r.card_data;
    EXPECT_EQ(r.library_name, derived.library_name) << r.card_data;
    EXPECT_TRUE(r.pipeline_tag.empty() || is_known_pipeline_tag(r.pipeline_tag)) << r.pipeline_tag;
    EXPECT_TRUE(validate_card(card, r.type).errors.empty()) << r.card_data;
    if (r.type == "model" && config) {
      auto summary = json::parse(r.config);
      EXPECT_EQ(summary["model_type"], (*config)["model_type"]);
      EXPECT_EQ(summary["architectures"], (*config)["architectures"]);
    } else {
      EXPECT_EQ(r.config, "");
    }
    if (r.type == "space") {
      EXPECT_TRUE(r.sdk == "gradio" || r.sdk == "streamlit" || r.sdk == "docker" ||
                  r.sdk == "static")
          << r.sdk;
      EXPECT_EQ(card["sdk"], r.sdk);
    }
    seen_tags.insert(tags.begin(), tags.end());
  }
  // The facets the benchmark filters on occur.
  for (const char* t :
       {"text-generation", "transformers", "gguf", "safetensors", "license:apache-2.0", "en",
        "dataset:stanfordnlp/imdb", "base_model:quantized:meta-llama/Llama-3.1-8B",
        "base_model:adapter:Qwen/Qwen2.5-7B", "4-bit", "gptq", "language:fr",
        "task_categories:text-generation", "size_categories:n<1K", "format:parquet", "gradio",
        "reinforcement-learning"})
    EXPECT_TRUE(seen_tags.contains(t)) << "no row has " << t;
}

TEST(CatalogGenerator, SharesAndTailsAreRealistic) {
  const int n = 60000;
  auto rows = make_rows(5, n);
  int priv = 0, gated = 0, gateable = 0, trending = 0, models = 0;
  std::vector<int64_t> downloads;
  std::map<std::string, int> per_ns;
  int64_t previous_created = 0;
  for (const auto& r : rows) {
    EXPECT_LE(previous_created, r.created_ms);  // ids follow creation, as on the Hub
    previous_created = r.created_ms;
    priv += r.is_private;
    EXPECT_TRUE(r.gated == "" || r.gated == "auto" || r.gated == "manual");
    if (!r.is_private && r.type != "space") {
      ++gateable;
      gated += !r.gated.empty();
    }
    EXPECT_TRUE(r.gated.empty() || !r.is_private);
    trending += r.trending_score > 0;
    if (r.type == "model") {
      ++models;
      downloads.push_back(r.downloads);
    }
    if (r.type == "space") {
      EXPECT_EQ(r.downloads, 0);
    }
    EXPECT_GE(r.downloads_all_time, r.downloads);
    EXPECT_LE(r.created_ms, r.last_modified_ms);
    EXPECT_LE(r.last_modified_ms, kNow);
    EXPECT_GE(r.created_ms, kNow - kFourYearsMs);
    ++per_ns[r.ns];
  }
  EXPECT_NEAR(priv / double(n), 0.03, 0.005);
  EXPECT_NEAR(gated / double(gateable), 0.01, 0.003);
  EXPECT_LT(rows.front().created_ms, kNow - kFourYearsMs + 86'400'000);
  EXPECT_GT(rows.back().created_ms, kNow - 86'400'000);
  EXPECT_GT(trending / double(n), 0.01);
  EXPECT_LT(trending / double(n), 0.08);
  std::sort(downloads.begin(), downloads.end());
  EXPECT_LE(downloads[models / 2], 10);  // the median repo is barely downloaded
  EXPECT_GE(downloads.back(), 100000);   // the head of the tail
  std::vector<int> sizes;
  for (const auto& [ns, count] : per_ns) sizes.push_back(count);
  std::sort(sizes.rbegin(), sizes.rend());
  EXPECT_GT(sizes[0], n / 100);  // a few accounts with thousands
  EXPECT_GT(sizes[9], n / 1000);
  auto small = std::count_if(sizes.begin(), sizes.end(), [](int c) { return c <= 2; });
  EXPECT_GT(small, static_cast<long>(sizes.size() / 2));  // and a long tail with one or two
}

// Reserved rows are never made again, and reserving changes the sequence (a second run with
// the same seed makes other repos).
TEST(CatalogGenerator, ReservedRowsAreAvoided) {
  auto first = make_rows(11, 5000);
  CatalogGenerator gen(11, kNow, 5000);
  for (const auto& r : first) gen.reserve(r);
  std::set<std::string> keys, ids;
  for (const auto& r : first) {
    keys.insert(lower_key(r));
    ids.insert(r.object_id);
  }
  int same_name = 0;
  for (int i = 0; i < 5000; ++i) {
    auto r = gen.next(type_at(i));
    EXPECT_FALSE(keys.contains(lower_key(r))) << lower_key(r);
    EXPECT_FALSE(ids.contains(r.object_id));
    same_name += r.name == first[i].name;
  }
  EXPECT_LT(same_name, 1000);
}

class GenerateCatalogTest : public storage::DbTest {};

TEST_F(GenerateCatalogTest, WritesTheCountsAndAppendsWithoutCollisions) {
  insert("mradermacher", "test");  // a real repo where generated ones are likely
  CatalogCounts counts{300, 50, 80};
  std::vector<std::pair<int64_t, int64_t>> progress;
  auto report = generate_catalog(*db_, counts, 42, kNow, [&](int64_t done, int64_t total) {
    progress.emplace_back(done, total);
  });
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->written.models, 300);
  EXPECT_EQ(report->written.datasets, 50);
  EXPECT_EQ(report->written.spaces, 80);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(int64_t{430}, int64_t{430}));

  auto again = generate_catalog(*db_, counts, 42, kNow);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  std::map<std::string, int> by_type;
  int synthetic = 0;
  ASSERT_TRUE(db_->for_each_repo([&](const RepoRow& r) {
                   ++by_type[r.type];
                   synthetic += r.synthetic;
                 })
                  .has_value());
  EXPECT_EQ(by_type["model"], 601);
  EXPECT_EQ(by_type["dataset"], 100);
  EXPECT_EQ(by_type["space"], 160);
  EXPECT_EQ(synthetic, 860);
  // The cards are stored (the listing's cardData and the repo page read them).
  EXPECT_GT(raw_int("SELECT count(*) FROM repos WHERE synthetic = 1 AND card_data LIKE '{%'"), 500);
  auto listed = db_->list_repos();  // what start-up repair walks: synthetic rows left out
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->size(), 1u);
}

}  // namespace
}  // namespace wharf::hub
