#include "hub/catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "catalog_fixture.h"
#include "util/encoding.h"

namespace wharf::hub {
namespace {

using namespace catalog_test;

TEST(CatalogSortName, ParsesTheHubsNamesAndThePythonClientsOldOnes) {
  EXPECT_EQ(parse_catalog_sort("downloads"), CatalogSort::Downloads);
  EXPECT_EQ(parse_catalog_sort("downloadsAllTime"), CatalogSort::DownloadsAllTime);
  EXPECT_EQ(parse_catalog_sort("likes"), CatalogSort::Likes);
  EXPECT_EQ(parse_catalog_sort("lastModified"), CatalogSort::LastModified);
  EXPECT_EQ(parse_catalog_sort("last_modified"), CatalogSort::LastModified);
  EXPECT_EQ(parse_catalog_sort("createdAt"), CatalogSort::CreatedAt);
  EXPECT_EQ(parse_catalog_sort("created_at"), CatalogSort::CreatedAt);
  EXPECT_EQ(parse_catalog_sort("trendingScore"), CatalogSort::Trending);
  EXPECT_EQ(parse_catalog_sort("trending_score"), CatalogSort::Trending);
  EXPECT_EQ(parse_catalog_sort("id"), CatalogSort::Id);
  EXPECT_EQ(parse_catalog_sort("Downloads"), std::nullopt);
  EXPECT_EQ(parse_catalog_sort(""), std::nullopt);
}

TEST(Catalog, FindReturnsEveryFieldAsStored) {
  Catalog c;
  CatalogEntry e = make(42, "Meta-Llama", "Llama-3-8B", {"text-generation", "b", "a", "region:us"});
  e.is_private = true;
  e.gated = "manual";
  e.sdk = "gradio";
  e.downloads = 11;
  e.downloads_all_time = 12;
  e.likes = 13;
  e.trending_score = -14;
  e.pipeline_tag = "text-generation";
  e.library_name = "transformers";
  CatalogEntry odd = make(43, "x", "y", {}, RepoType::Space);
  odd.object_id = "NOT-HEX";  // stored as given, whatever its shape
  odd.sha = "ABCDEF0123";
  odd.name = std::string(150, 'N') + "-long";  // lengths past one varint byte
  CatalogEntry empty = make(44, "z", "w", {}, RepoType::Dataset);
  empty.object_id.clear();
  empty.sha.clear();
  c.upsert(e);
  c.upsert(odd);
  c.upsert(empty);
  EXPECT_EQ(c.size(), 3u);
  ASSERT_TRUE(c.find(42));
  expect_same(*c.find(42), e);
  expect_same(*c.find(43), odd);
  expect_same(*c.find(44), empty);
  EXPECT_FALSE(c.find(45));
}

TEST(Catalog, ListsOnlyTheQueriedType) {
  Catalog c;
  c.upsert(make(1, "a", "m"));
  c.upsert(make(2, "a", "d", {}, RepoType::Dataset));
  c.upsert(make(3, "a", "s", {}, RepoType::Space));
  EXPECT_EQ(ids_of(c, query(RepoType::Model)), (std::vector<int64_t>{1}));
  EXPECT_EQ(ids_of(c, query(RepoType::Dataset)), (std::vector<int64_t>{2}));
  EXPECT_EQ(ids_of(c, query(RepoType::Space)), (std::vector<int64_t>{3}));
  auto page = must(c.query(query(RepoType::Dataset)));
  ASSERT_EQ(page.items.size(), 1u);
  expect_same(page.items[0], make(2, "a", "d", {}, RepoType::Dataset));
}

TEST(Catalog, FiltersByAuthorCaseInsensitivelyAndExactly) {
  Catalog c;
  c.upsert(make(1, "OpenAI", "whisper"));
  c.upsert(make(2, "openai", "clip"));
  c.upsert(make(3, "openai-community", "gpt2"));
  c.upsert(make(4, "other", "openai"));
  auto q = query();
  q.author = "OPENAI";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2, 1}));
  q.author = "openai-community";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{3}));
  q.author = "open";
  EXPECT_TRUE(ids_of(c, q).empty());
  q.author = "nobody";
  EXPECT_TRUE(ids_of(c, q).empty());
}

TEST(Catalog, FiltersByEveryTagExactly) {
  Catalog c;
  c.upsert(make(1, "n", "ab", {"a", "b"}));
  c.upsert(make(2, "n", "a", {"a"}));
  c.upsert(make(3, "n", "b", {"b", "c"}));
  auto q = query();
  q.tags = {"a"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2, 1}));
  q.tags = {"b", "a"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  q.tags = {"a", "a"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2, 1}));
  q.tags = {"A"};
  EXPECT_TRUE(ids_of(c, q).empty());
  q.tags = {"a", "never-seen"};
  EXPECT_TRUE(ids_of(c, q).empty());
  q.tags = {"c", "a"};
  EXPECT_TRUE(ids_of(c, q).empty());
}

TEST(Catalog, FiltersByPipelineLibraryAndGating) {
  Catalog c;
  auto a = make(1, "n", "a");
  a.pipeline_tag = "text-generation";
  a.library_name = "transformers";
  a.gated = "auto";
  auto b = make(2, "n", "b");
  b.pipeline_tag = "text-generation";
  b.library_name = "gguf";
  auto d = make(3, "n", "d");
  d.library_name = "transformers";
  d.gated = "manual";
  c.upsert(a);
  c.upsert(b);
  c.upsert(d);
  auto q = query();
  q.pipeline_tag = "text-generation";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 2}));
  q.library_name = "transformers";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  q = query();
  q.library_name = "transformers";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 3}));
  q.pipeline_tag = "Text-Generation";
  EXPECT_TRUE(ids_of(c, q).empty());
  q = query();
  q.gated = true;
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 3}));
  q.gated = false;
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
}

TEST(Catalog, SearchIsACaseInsensitiveSubstringOfTheFullId) {
  Catalog c;
  c.upsert(make(1, "meta-llama", "Llama-3-8B"));
  c.upsert(make(2, "TheBloke", "LLaMA-2-GGUF"));
  c.upsert(make(3, "mistralai", "Mistral-7B"));
  auto q = query();
  q.search = "lLaMa";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 2}));
  q.search = "a/ll";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  q.search = "THEBLOKE/llama-2-gguf";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  q.search = "e/l";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  q.search = "7";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{3}));
  q.search = "b";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 3, 2}));
  q.search = "gguf2";
  EXPECT_TRUE(ids_of(c, q).empty());
  q.search = "";
  EXPECT_EQ(ids_of(c, q).size(), 3u);
}

TEST(Catalog, SearchTreatsLikeAndSqlMetacharactersLiterally) {
  Catalog c;
  c.upsert(make(1, "n", "100%-sure"));
  c.upsert(make(2, "n", "a_b"));
  c.upsert(make(3, "n", "axb"));
  c.upsert(make(4, "n", "o'brien"));
  c.upsert(make(5, "n", "back\\slash"));
  c.upsert(make(6, "n", "plain"));
  auto q = query();
  q.search = "%";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  q.search = "a_b";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  q.search = "_";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  q.search = "'";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{4}));
  q.search = "o'b";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{4}));
  q.search = "\\";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{5}));
  q.search = "k\\s";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{5}));
  q.search = "' OR 1=1 --";
  EXPECT_TRUE(ids_of(c, q).empty());
  q.search = "*";
  EXPECT_TRUE(ids_of(c, q).empty());
}

TEST(Catalog, CombinesEveryFilter) {
  Catalog c;
  for (int64_t i = 1; i <= 40; ++i) {
    auto e = make(i, i % 2 ? "Org" : "other", "model-" + std::to_string(i),
                  i % 3 ? std::vector<std::string>{"t1", "t2"} : std::vector<std::string>{"t1"});
    e.pipeline_tag = i % 5 ? "fill-mask" : "text-generation";
    e.library_name = i % 7 ? "transformers" : "gguf";
    if (i % 4 == 1) e.gated = "auto";
    e.downloads = i % 6;
    c.upsert(e);
  }
  auto q = query();
  q.author = "org";
  q.tags = {"t2", "t1"};
  q.pipeline_tag = "fill-mask";
  q.library_name = "transformers";
  q.gated = true;
  q.search = "EL-";
  q.sort = CatalogSort::Downloads;
  std::vector<CatalogEntry> want;
  for (int64_t i = 1; i <= 40; ++i)
    if (i % 2 && i % 3 && i % 5 && i % 7 && i % 4 == 1) {
      auto e = make(i, "Org", "m");
      e.downloads = i % 6;
      want.push_back(e);
    }
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(ids_of(c, q), expected_order(want, CatalogSort::Downloads));
}

TEST(Catalog, NumericSortsAreDescendingWithTiesByRepoIdDescending) {
  for (auto sort : kNumericSorts) {
    Catalog c;
    std::vector<CatalogEntry> all;
    for (int64_t i = 1; i <= 30; ++i) {
      auto e = make(i * 3 % 31, "n", "r" + std::to_string(i));
      set_key(e, sort, (i * 7) % 5 - 1);  // -1..3, many ties
      all.push_back(e);
      c.upsert(e);
    }
    auto q = query();
    q.sort = sort;
    auto got = ids_of(c, q);
    EXPECT_EQ(got, expected_order(all, sort)) << static_cast<int>(sort);
    // Spot-check the first two by hand: the highest key, then the higher id among equals.
    ASSERT_GE(got.size(), 2u);
    auto first = *c.find(got[0]), second = *c.find(got[1]);
    EXPECT_EQ(key_of(first, sort), 3);
    EXPECT_TRUE(key_of(second, sort) < 3 || second.id < first.id);
  }
}

TEST(Catalog, IdSortIsCaseInsensitiveAscendingWithTiesByRepoId) {
  Catalog c;
  c.upsert(make(1, "b", "x"));
  c.upsert(make(3, "a", "Y"));
  c.upsert(make(2, "A", "y"));
  c.upsert(make(4, "a", "x"));
  c.upsert(make(5, "a-b", "x"));  // '-' sorts before '/'
  c.upsert(make(6, "A", "x-1"));
  auto q = query();
  q.sort = CatalogSort::Id;
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{5, 4, 6, 2, 3, 1}));
}

TEST(Catalog, CursorPagesThroughEverythingInOrder) {
  Catalog c;
  std::vector<CatalogEntry> all;
  for (int64_t i = 1; i <= 57; ++i) {
    auto e = make(i, i % 4 ? "Org" : "org", "m" + std::to_string(i % 9));  // duplicate ids too
    e.downloads = i % 5;
    e.downloads_all_time = i % 3;
    e.likes = i % 2;
    e.trending_score = i % 7;
    e.created_ms = 100 + i % 4;
    e.last_modified_ms = 100 + i % 6;
    all.push_back(e);
    c.upsert(e);
  }
  for (auto sort : kAllSorts)
    for (std::size_t limit : {1, 3, 10, 19, 57, 100}) {
      auto q = query();
      q.sort = sort;
      q.limit = limit;
      auto got = all_pages(c, q);
      EXPECT_EQ(got, expected_order(all, sort)) << static_cast<int>(sort) << " limit " << limit;
    }
}

TEST(Catalog, NextCursorOnlyWhenAnotherItemFollows) {
  Catalog c;
  for (int64_t i = 1; i <= 4; ++i) c.upsert(make(i, "n", "r" + std::to_string(i)));
  auto q = query();
  q.limit = 4;
  EXPECT_TRUE(must(c.query(q)).next_cursor.empty());
  q.limit = 3;
  auto page = must(c.query(q));
  EXPECT_EQ(page.items.size(), 3u);
  ASSERT_FALSE(page.next_cursor.empty());
  q.cursor = page.next_cursor;
  page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{4}));
  EXPECT_TRUE(page.next_cursor.empty());
}

TEST(Catalog, CursorsEncodeTheLastKeyAndId) {
  Catalog c;
  auto a = make(7, "Org", "B");
  a.downloads = 120;
  auto b = make(9, "org", "a");
  b.downloads = 5;
  c.upsert(a);
  c.upsert(b);
  auto q = query();
  q.limit = 1;
  q.sort = CatalogSort::Downloads;
  EXPECT_EQ(must(c.query(q)).next_cursor, "n120.7");
  q.sort = CatalogSort::Id;
  EXPECT_EQ(must(c.query(q)).next_cursor, "s" + to_hex("org/a") + ".9");
  // A negative key is a valid position (trending scores may be negative).
  q.sort = CatalogSort::Trending;
  q.cursor = "n-5.3";
  EXPECT_TRUE(c.query(q).has_value());
}

TEST(Catalog, PagingStaysExactWhileEntriesChange) {
  Catalog c;
  for (int64_t i = 1; i <= 9; ++i) {
    auto e = make(i, "n", "r" + std::to_string(i));
    e.downloads = 100 - i * 10;  // 90, 80, ..., 10: order 1..9
    c.upsert(e);
  }
  auto q = query();
  q.sort = CatalogSort::Downloads;
  q.limit = 3;
  auto page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{1, 2, 3}));
  q.cursor = page.next_cursor;

  c.remove(3);  // the cursor's own entry goes away
  auto before = make(20, "n", "new-before");
  before.downloads = 85;  // sorts before the cursor: not shown
  c.upsert(before);
  auto after = make(21, "n", "new-after");
  after.downloads = 65;  // between 4 (60) and 3 (70): shown first
  c.upsert(after);
  c.set_counters({{5, 95, 0, 0, 0}});  // 5 jumps above the cursor: skipped
  c.set_counters({{2, 1, 0, 0, 0}});   // 2 (seen) drops to the end: seen again
  page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{21, 4, 6}));
  q.cursor = page.next_cursor;
  page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{7, 8, 9}));
  q.cursor = page.next_cursor;
  page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{2}));
  EXPECT_TRUE(page.next_cursor.empty());
}

TEST(Catalog, PrivateReposNeedTheCallback) {
  Catalog c;
  auto pub = make(1, "team", "public", {"x"});
  auto mine = make(2, "team", "secret", {"x"});
  mine.is_private = true;
  auto theirs = make(3, "rival", "secret", {"x"});
  theirs.is_private = true;
  auto other_tag = make(4, "team", "secret-y", {"y"});
  other_tag.is_private = true;
  for (const auto& e : {pub, mine, theirs, other_tag}) c.upsert(e);
  auto q = query();
  q.tags = {"x"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  std::vector<int64_t> asked;
  q.may_see_private = [&](const CatalogEntry& e) {
    asked.push_back(e.id);
    EXPECT_TRUE(e.is_private);
    return e.ns == "team";
  };
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1, 2}));
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<int64_t>{2, 3}));  // never for 4: its tags do not match
  // Hidden private repos do not count towards a page or its cursor.
  q.limit = 1;
  q.sort = CatalogSort::CreatedAt;
  auto page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{2}));
  q.cursor = page.next_cursor;
  page = must(c.query(q));
  EXPECT_EQ(ids(page), (std::vector<int64_t>{1}));
  EXPECT_TRUE(page.next_cursor.empty());
}

TEST(Catalog, UpsertReplacesTagsTypeNameAndVisibility) {
  Catalog c;
  c.upsert(make(1, "n", "alpha", {"old", "shared"}));
  c.upsert(make(2, "n", "beta", {"shared"}));
  auto q = query();
  q.tags = {"old"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));

  c.upsert(make(1, "n", "alpha", {"new", "shared"}));
  EXPECT_TRUE(ids_of(c, q).empty());
  q.tags = {"new"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  auto counts = c.tag_counts(RepoType::Model, "", 10);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].tag, "shared");
  EXPECT_EQ(counts[1].tag, "new");

  c.upsert(make(1, "N2", "Zeta", {"new"}));  // rename
  q = query();
  q.search = "alpha";
  EXPECT_TRUE(ids_of(c, q).empty());
  q.search = "n2/ze";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{1}));
  q = query();
  q.sort = CatalogSort::Id;
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2, 1}));
  q.author = "n";
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));

  c.upsert(make(1, "N2", "Zeta", {"new"}, RepoType::Dataset));  // type change
  EXPECT_EQ(ids_of(c, query()), (std::vector<int64_t>{2}));
  EXPECT_EQ(ids_of(c, query(RepoType::Dataset)), (std::vector<int64_t>{1}));
  EXPECT_TRUE(c.tag_counts(RepoType::Model, "new", 10).empty());
  EXPECT_EQ(c.tag_counts(RepoType::Dataset, "new", 10).size(), 1u);
  EXPECT_EQ(c.size(), 2u);

  auto hidden = make(2, "n", "beta", {"shared"});
  hidden.is_private = true;
  c.upsert(hidden);
  EXPECT_TRUE(ids_of(c, query()).empty());
  EXPECT_TRUE(c.tag_counts(RepoType::Model, "", 10).empty());
  expect_same(*c.find(2), hidden);
}

TEST(Catalog, RemoveDropsTheEntryEverywhere) {
  Catalog c;
  c.upsert(make(1, "n", "a", {"t"}));
  c.upsert(make(2, "n", "b", {"t"}));
  c.remove(1);
  c.remove(99);  // unknown: nothing happens
  EXPECT_EQ(c.size(), 1u);
  EXPECT_FALSE(c.find(1));
  auto q = query();
  q.tags = {"t"};
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  for (auto sort : kAllSorts) {
    q.sort = sort;
    EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2}));
  }
  q = query();
  q.search = "n/a";
  EXPECT_TRUE(ids_of(c, q).empty());
  auto counts = c.tag_counts(RepoType::Model, "", 10);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].count, 1);
  c.remove(2);
  EXPECT_EQ(c.size(), 0u);
  EXPECT_TRUE(c.tag_counts(RepoType::Model, "", 10).empty());
  c.upsert(make(1, "n", "a", {"t"}));  // and comes back
  EXPECT_EQ(ids_of(c, query()), (std::vector<int64_t>{1}));
}

TEST(Catalog, SetCountersMovesTheEntryInEveryOrder) {
  Catalog c;
  std::vector<CatalogEntry> all;
  for (int64_t i = 1; i <= 20; ++i) {
    auto e = make(i, "n", "r" + std::to_string(i));
    e.downloads = e.downloads_all_time = e.likes = e.trending_score = i;
    all.push_back(e);
    c.upsert(e);
  }
  c.set_counters({{3, 100, 0, 50, -1}, {999, 1, 1, 1, 1}});
  auto q = query();
  q.sort = CatalogSort::Downloads;
  EXPECT_EQ(ids_of(c, q).front(), 3);
  q.sort = CatalogSort::DownloadsAllTime;
  EXPECT_EQ(ids_of(c, q).back(), 3);
  q.sort = CatalogSort::Likes;
  EXPECT_EQ(ids_of(c, q).front(), 3);
  q.sort = CatalogSort::Trending;
  EXPECT_EQ(ids_of(c, q).back(), 3);
  EXPECT_EQ(c.find(3)->likes, 50);
  EXPECT_FALSE(c.find(999));

  // A batch that touches every entry: the order is rebuilt exactly.
  std::vector<Catalog::Counters> batch;
  for (auto& e : all) {
    e.downloads = (e.id * 7) % 4;
    e.downloads_all_time = 1000 - e.id;
    e.likes = e.id % 3;
    e.trending_score = 0;
    batch.push_back({e.id, e.downloads, e.downloads_all_time, e.likes, e.trending_score});
  }
  c.set_counters(batch);
  for (auto sort : {CatalogSort::Downloads, CatalogSort::DownloadsAllTime, CatalogSort::Likes,
                    CatalogSort::Trending, CatalogSort::CreatedAt}) {
    q.sort = sort;
    EXPECT_EQ(ids_of(c, q), expected_order(all, sort)) << static_cast<int>(sort);
  }
}

TEST(Catalog, UpsertAllAddsAndReplaces) {
  Catalog c;
  c.upsert(make(1, "n", "old", {"a"}));
  c.upsert(make(2, "n", "kept"));
  std::vector<CatalogEntry> batch = {make(1, "n", "renamed", {"b"}), make(3, "n", "new"),
                                     make(4, "n", "space", {}, RepoType::Space)};
  c.upsert_all(batch);
  EXPECT_EQ(c.size(), 4u);
  expect_same(*c.find(1), batch[0]);
  auto q = query();
  q.sort = CatalogSort::Id;
  EXPECT_EQ(ids_of(c, q), (std::vector<int64_t>{2, 3, 1}));
  q.tags = {"a"};
  EXPECT_TRUE(ids_of(c, q).empty());
  EXPECT_EQ(ids_of(c, query(RepoType::Space)), (std::vector<int64_t>{4}));
}

TEST(Catalog, ManyUpdatesKeepEveryEntryIntact) {
  Catalog c;
  std::map<int64_t, CatalogEntry> want;
  for (int64_t i = 1; i <= 300; ++i) {
    want[i] = make(i, "ns" + std::to_string(i % 7), "first-name-" + std::to_string(i), {"a", "b"});
    c.upsert(want[i]);
  }
  // Renames and tag lists that grow and shrink leave old copies behind, which get compacted.
  for (int round = 1; round <= 12; ++round)
    for (int64_t i = 1; i <= 300; ++i) {
      auto& e = want[i];
      e.name = (round % 2 ? "Renamed-" : "r-") + std::to_string(round) +
               std::string(static_cast<std::size_t>(round), 'x');
      e.tags.assign(static_cast<std::size_t>((i + round) % 6), "");
      for (std::size_t k = 0; k < e.tags.size(); ++k)
        e.tags[k] = "tag" + std::to_string(k * round % 5);
      std::sort(e.tags.begin(), e.tags.end());
      e.tags.erase(std::unique(e.tags.begin(), e.tags.end()), e.tags.end());
      e.sha = round % 3 ? std::string(40, 'a') : "not-a-sha";
      c.upsert(e);
    }
  std::vector<CatalogEntry> all;
  for (const auto& [id, e] : want) {
    expect_same(*c.find(id), e);
    all.push_back(e);
  }
  auto q = query();
  q.sort = CatalogSort::Id;
  q.limit = 7;
  EXPECT_EQ(all_pages(c, q), expected_order(all, CatalogSort::Id));
  q.search = "R-12X";
  q.limit = 1000;
  q.sort = CatalogSort::CreatedAt;
  EXPECT_EQ(ids_of(c, q).size(), 300u);
}

TEST(Catalog, MostlyHiddenReposStillPageExactly) {
  Catalog c;
  std::vector<CatalogEntry> visible;
  std::vector<CatalogEntry> batch;
  for (int64_t i = 1; i <= 3000; ++i) {
    auto e = make(i, "n", "r" + std::to_string(i));
    e.is_private = i % 97 != 0;
    e.gated = i % 89 ? "auto" : "";
    e.downloads = i % 13;
    if (!e.is_private) visible.push_back(e);
    batch.push_back(e);
  }
  c.upsert_all(batch);
  auto q = query();
  q.sort = CatalogSort::Downloads;
  q.limit = 5;
  EXPECT_EQ(all_pages(c, q), expected_order(visible, CatalogSort::Downloads));
  q.gated = false;
  std::vector<CatalogEntry> ungated;
  for (const auto& e : batch)
    if (e.gated.empty()) ungated.push_back(e);
  q.may_see_private = [](const CatalogEntry&) { return true; };
  EXPECT_EQ(all_pages(c, q), expected_order(ungated, CatalogSort::Downloads));
}

TEST(Catalog, MalformedCursorsAreBadRequests) {
  Catalog c;
  c.upsert(make(1, "n", "a"));
  auto expect_bad = [&](CatalogSort sort, const std::string& cursor) {
    auto q = query();
    q.sort = sort;
    q.cursor = cursor;
    auto r = c.query(q);
    ASSERT_FALSE(r.has_value()) << cursor;
    EXPECT_EQ(r.error().status, 400) << cursor;
    EXPECT_EQ(r.error().code, "BadRequest") << cursor;
  };
  for (const char* bad :
       {"x", "abc", "garbage!", "n12", "n.5", "nabc.5", "n12.", "n12.-3", "n12.abc", "n1.2.3",
        "n 1.2", "n99999999999999999999.1", "n1.99999999999999999999", "s6162.1", "n-.1"})
    expect_bad(CatalogSort::Downloads, bad);
  for (const char* bad : {"n5.1", "s616.1", "s6g.1", "sAB.1", "s61.-1", "s.1", "s61."})
    expect_bad(CatalogSort::Id, bad);
  expect_bad(CatalogSort::Likes, "n1." + std::string(2000, '1'));
  expect_bad(CatalogSort::Id, "s" + std::string(2000, 'a') + ".1");
}

TEST(Catalog, OverlongSearchAndTooManyTagsAreBadRequests) {
  Catalog c;
  auto q = query();
  q.search = std::string(kMaxCatalogSearch + 1, 'a');
  auto r = c.query(q);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  q.search = std::string(kMaxCatalogSearch, 'a');
  EXPECT_TRUE(c.query(q).has_value());
  q = query();
  for (std::size_t i = 0; i <= kMaxCatalogFilters; ++i) q.tags.push_back("t" + std::to_string(i));
  r = c.query(q);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().code, "BadRequest");
  q.tags.pop_back();
  EXPECT_TRUE(c.query(q).has_value());
}

TEST(Catalog, LimitIsClampedToOneAndTheLargestPage) {
  Catalog c;
  std::vector<CatalogEntry> batch;
  for (int64_t i = 1; i <= 1100; ++i) batch.push_back(make(i, "n", "r" + std::to_string(i)));
  c.upsert_all(batch);
  auto q = query();
  q.limit = 0;
  auto page = must(c.query(q));
  EXPECT_EQ(page.items.size(), 1u);
  EXPECT_FALSE(page.next_cursor.empty());
  q.limit = 5000;
  page = must(c.query(q));
  EXPECT_EQ(page.items.size(), kMaxCatalogPage);
  EXPECT_FALSE(page.next_cursor.empty());
}

TEST(Catalog, TagCountsCountPublicReposOfTheTypeMostCommonFirst) {
  Catalog c;
  c.upsert(make(1, "n", "a", {"license:mit", "pytorch", "en"}));
  c.upsert(make(2, "n", "b", {"license:mit", "pytorch"}));
  c.upsert(make(3, "n", "c", {"license:apache-2.0", "en"}));
  auto hidden = make(4, "n", "d", {"license:apache-2.0", "license:gpl"});
  hidden.is_private = true;
  c.upsert(hidden);
  c.upsert(make(5, "n", "e", {"license:gpl"}, RepoType::Dataset));
  auto all = c.tag_counts(RepoType::Model, "", 100);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].tag, "en");  // ties by name
  EXPECT_EQ(all[0].count, 2);
  EXPECT_EQ(all[1].tag, "license:mit");
  EXPECT_EQ(all[2].tag, "pytorch");
  EXPECT_EQ(all[3].tag, "license:apache-2.0");
  EXPECT_EQ(all[3].count, 1);
  auto licenses = c.tag_counts(RepoType::Model, "license:", 1);
  ASSERT_EQ(licenses.size(), 1u);
  EXPECT_EQ(licenses[0].tag, "license:mit");
  EXPECT_TRUE(c.tag_counts(RepoType::Model, "", 0).empty());
  auto ds = c.tag_counts(RepoType::Dataset, "license", 10);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].tag, "license:gpl");
  EXPECT_TRUE(c.tag_counts(RepoType::Space, "", 10).empty());
}

TEST(Catalog, ConcurrentQueriesSeeWholeUpdates) {
  Catalog c;
  for (int64_t i = 1; i <= 200; ++i) c.upsert(make(i, "n", "r" + std::to_string(i), {"t"}));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int64_t round = 0; round < 300; ++round) {
      int64_t id = 1 + round % 200;
      auto e = make(id, "n", "r" + std::to_string(id), {"t"});
      e.downloads = round;
      c.upsert(e);
      c.set_counters({{1 + (round * 7) % 200, round, round, round, round}});
    }
    stop = true;
  });
  std::atomic<int> bad{0};
  auto reader = [&] {
    while (!stop) {
      auto q = query();
      q.tags = {"t"};
      q.sort = CatalogSort::Downloads;
      auto r = c.query(q);
      if (!r || r->items.size() != 200)
        ++bad;
      else
        for (std::size_t i = 1; i < r->items.size(); ++i)
          if (comes_first(r->items[i], r->items[i - 1], CatalogSort::Downloads)) ++bad;
    }
  };
  std::thread r1(reader), r2(reader);
  writer.join();
  r1.join();
  r2.join();
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace wharf::hub
