// The catalog against a brute-force reading of its contract, on random repos, random
// queries followed page by page, and random changes between pages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "catalog_fixture.h"
#include "hub/catalog.h"
#include "util/encoding.h"

namespace wharf::hub {
namespace {

using namespace catalog_test;

struct RefPosition {
  int64_t number = 0;
  std::string text;
  int64_t id = 0;
};

RefPosition position_of(const CatalogEntry& e, CatalogSort s) {
  RefPosition p;
  p.id = e.id;
  if (s == CatalogSort::Id)
    p.text = lower(e.ns + "/" + e.name);
  else
    p.number = key_of(e, s);
  return p;
}

bool position_before(const RefPosition& a, const RefPosition& b, CatalogSort s) {
  if (s == CatalogSort::Id) return a.text != b.text ? a.text < b.text : a.id < b.id;
  return a.number != b.number ? a.number > b.number : a.id > b.id;
}

std::string cursor_of(const RefPosition& p, CatalogSort s) {
  if (s == CatalogSort::Id) return "s" + to_hex(p.text) + "." + std::to_string(p.id);
  return "n" + std::to_string(p.number) + "." + std::to_string(p.id);
}

bool matches(const CatalogEntry& e, const CatalogQuery& q) {
  if (e.type != q.type) return false;
  if (!q.author.empty() && lower(e.ns) != lower(q.author)) return false;
  if (!q.pipeline_tag.empty() && e.pipeline_tag != q.pipeline_tag) return false;
  if (!q.library_name.empty() && e.library_name != q.library_name) return false;
  if (q.gated && *q.gated == e.gated.empty()) return false;
  if (!q.search.empty() && lower(e.ns + "/" + e.name).find(lower(q.search)) == std::string::npos)
    return false;
  for (const auto& t : q.tags)
    if (std::find(e.tags.begin(), e.tags.end(), t) == e.tags.end()) return false;
  if (e.is_private && (!q.may_see_private || !q.may_see_private(e))) return false;
  return true;
}

// The expected page after `after`, and the position its cursor must encode.
std::pair<std::vector<int64_t>, std::optional<RefPosition>> reference_page(
    const std::map<int64_t, CatalogEntry>& entries, const CatalogQuery& q,
    const std::optional<RefPosition>& after) {
  std::vector<std::pair<RefPosition, int64_t>> hits;
  for (const auto& [id, e] : entries) {
    if (!matches(e, q)) continue;
    auto pos = position_of(e, q.sort);
    if (!after || position_before(*after, pos, q.sort)) hits.emplace_back(std::move(pos), id);
  }
  std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
    return position_before(a.first, b.first, q.sort);
  });
  std::size_t limit = std::clamp<std::size_t>(q.limit, 1, kMaxCatalogPage);
  std::vector<int64_t> ids;
  for (std::size_t i = 0; i < hits.size() && i < limit; ++i) ids.push_back(hits[i].second);
  std::optional<RefPosition> next;
  if (hits.size() > limit) next = hits[limit - 1].first;
  return {ids, next};
}

class RandomCatalog {
 public:
  explicit RandomCatalog(uint32_t seed) : rng_(seed) {}

  int64_t pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  // Zipf-like: small values far more often.
  int64_t skewed(int64_t n) {
    return std::min<int64_t>(n - 1, static_cast<int64_t>(n * std::pow(pick(0, 9999) / 10000.0, 3)));
  }
  bool chance(int percent) { return pick(0, 99) < percent; }

  std::string ns() {
    static const char* names[] = {"Org", "org", "meta-llama", "TheBloke", "a",
                                  "a-b", "x_y", "q.z",        "Mist"};
    return names[skewed(9)];
  }
  std::string name() {
    static const char* words[] = {"llama", "7b", "GGUF", "instruct", "bert", "base",
                                  "q",     "x",  "%",    "_",        "zz"};
    std::string out = words[skewed(11)];
    for (int64_t i = pick(0, 2); i > 0; --i) out += std::string("-") + words[pick(0, 10)];
    return out;
  }
  std::string tag() {
    // t0 is on most entries; "even"/"odd" are common and never together.
    return "t" + std::to_string(skewed(40));
  }

  CatalogEntry entry(int64_t id) {
    CatalogEntry e = make(id, ns(), name());
    static const RepoType types[] = {RepoType::Model, RepoType::Model, RepoType::Dataset,
                                     RepoType::Space};
    e.type = types[pick(0, 3)];
    for (int64_t i = pick(0, 6); i > 0; --i) {
      auto t = tag();
      if (std::find(e.tags.begin(), e.tags.end(), t) == e.tags.end()) e.tags.push_back(t);
    }
    e.tags.push_back(id % 2 ? "odd" : "even");
    if (id % 50 == 0) e.tags.push_back("cold");  // only on repos without downloads
    e.is_private = chance(10);
    e.gated = chance(15) ? (chance(50) ? "auto" : "manual") : "";
    static const char* pipelines[] = {"", "text-generation", "fill-mask", "image-classification"};
    e.pipeline_tag = pipelines[skewed(4)];
    static const char* libraries[] = {"", "transformers", "gguf"};
    e.library_name = libraries[skewed(3)];
    e.downloads = id % 50 == 0 ? 0 : pick(0, 30);
    e.downloads_all_time = pick(0, 1000);
    e.likes = skewed(6);
    e.trending_score = pick(-3, 3);
    e.created_ms = pick(0, 100);
    e.last_modified_ms = pick(0, 100);
    return e;
  }

  CatalogQuery random_query(const std::map<int64_t, CatalogEntry>& entries) {
    CatalogQuery q;
    static const RepoType types[] = {RepoType::Model, RepoType::Model, RepoType::Dataset,
                                     RepoType::Space};
    q.type = types[pick(0, 3)];
    q.sort = kAllSorts[pick(0, 6)];
    static const std::size_t limits[] = {1, 2, 5, 20, 100};
    q.limit = limits[pick(0, 4)];
    if (chance(20)) q.author = chance(50) ? ns() : lower(ns());
    for (int64_t i = chance(50) ? pick(1, 3) : 0; i > 0; --i) q.tags.push_back(tag());
    if (chance(10)) q.tags = {"even", "odd"};
    if (chance(5)) q.tags.push_back("cold");
    if (chance(15)) q.pipeline_tag = chance(80) ? "text-generation" : "nope";
    if (chance(10)) q.library_name = chance(80) ? "gguf" : "transformers";
    if (chance(15)) q.gated = chance(50);
    if (chance(35) && !entries.empty()) {
      auto it = entries.begin();
      std::advance(it, pick(0, static_cast<int64_t>(entries.size()) - 1));
      std::string full = it->second.ns + "/" + it->second.name;
      auto len = pick(1, std::min<int64_t>(10, static_cast<int64_t>(full.size())));
      auto start = pick(0, static_cast<int64_t>(full.size()) - len);
      q.search = full.substr(start, len);
      if (chance(30))
        for (auto& ch : q.search) ch = static_cast<char>(std::toupper(ch));
      if (chance(10)) q.search += "zq";  // matches nothing
    } else if (chance(10)) {
      static const char* odd[] = {"%", "_", "z", "zz", "qq", "/", "-b", "lla"};
      q.search = odd[pick(0, 7)];
    }
    if (chance(30)) q.may_see_private = [](const CatalogEntry& e) { return e.id % 3 == 0; };
    return q;
  }

  std::mt19937 rng_;
};

TEST(Catalog, RandomizedMatchesABruteForceReference) {
  for (uint32_t seed : {1u, 2u}) {
    RandomCatalog r(seed);
    Catalog c;
    std::map<int64_t, CatalogEntry> ref;
    std::vector<CatalogEntry> initial;
    for (int64_t id = 1; id <= 3000; ++id) {
      auto e = r.entry(id);
      ref[id] = e;
      initial.push_back(e);
    }
    c.upsert_all(initial);
    int64_t next_id = 3001;

    auto mutate = [&] {
      switch (r.pick(0, 5)) {
        case 0: {  // new repo
          auto e = r.entry(next_id++);
          ref[e.id] = e;
          c.upsert(e);
          break;
        }
        case 1: {  // an existing repo changes (maybe type, name, tags, privacy)
          auto id = r.pick(1, next_id - 1);
          auto e = r.entry(id);
          if (ref.count(id) && r.chance(50)) {
            e = ref[id];
            auto t = r.tag();
            if (std::find(e.tags.begin(), e.tags.end(), t) == e.tags.end()) e.tags.push_back(t);
            e.last_modified_ms = r.pick(0, 100);
          }
          ref[id] = e;
          c.upsert(e);
          break;
        }
        case 2: {
          auto id = r.pick(1, next_id - 1);
          ref.erase(id);
          c.remove(id);
          break;
        }
        case 3:
        case 4: {  // counters, a few or many
          std::vector<Catalog::Counters> batch;
          int64_t rows = r.chance(20) ? 800 : r.chance(30) ? r.pick(17, 60) : r.pick(1, 4);
          for (int64_t n = rows; n > 0; --n) {
            auto id = r.pick(1, next_id + 5);  // some unknown
            Catalog::Counters k{id, r.pick(0, 30), r.pick(0, 1000), r.skewed(6), r.pick(-3, 3)};
            batch.push_back(k);
            auto it = ref.find(id);
            if (it == ref.end()) continue;
            it->second.downloads = k.downloads;
            it->second.downloads_all_time = k.downloads_all_time;
            it->second.likes = k.likes;
            it->second.trending_score = k.trending_score;
          }
          c.set_counters(batch);
          break;
        }
        case 5: {  // a batch load over existing entries
          std::vector<CatalogEntry> batch;
          for (int64_t n = r.pick(1, 300); n > 0; --n) {
            auto e = r.entry(r.pick(1, next_id + 20));
            next_id = std::max(next_id, e.id + 1);
            ref[e.id] = e;
            batch.push_back(e);
          }
          c.upsert_all(batch);
          break;
        }
      }
    };

    for (int round = 0; round < 200; ++round) {
      auto q = r.random_query(ref);
      std::optional<RefPosition> after;
      for (int page_no = 0; page_no < 6; ++page_no) {
        auto [want, next] = reference_page(ref, q, after);
        auto got = c.query(q);
        ASSERT_TRUE(got.has_value()) << got.error().message;
        ASSERT_EQ(ids(*got), want)
            << "seed " << seed << " round " << round << " page " << page_no << " search '"
            << q.search << "' author '" << q.author << "' sort " << static_cast<int>(q.sort)
            << " tags " << q.tags.size();
        for (const auto& e : got->items) expect_same(e, ref.at(e.id));
        ASSERT_EQ(got->next_cursor, next ? cursor_of(*next, q.sort) : "");
        if (!next) break;
        after = next;
        q.cursor = got->next_cursor;
        if (r.chance(30)) mutate();
      }
      for (int64_t m = r.pick(0, 3); m > 0; --m) mutate();
    }
    ASSERT_EQ(c.size(), ref.size());
    for (auto type : {RepoType::Model, RepoType::Dataset, RepoType::Space}) {
      std::map<std::string, int64_t> want;
      for (const auto& [id, e] : ref)
        if (e.type == type && !e.is_private)
          for (const auto& t : e.tags)
            if (t.starts_with("t1")) ++want[t];
      auto got = c.tag_counts(type, "t1", 1000);
      EXPECT_EQ(got.size(), want.size());
      for (const auto& tc : got) EXPECT_EQ(tc.count, want[tc.tag]) << tc.tag;
    }
  }
}

// Every page of `rounds` random queries, followed to the end, against the reference.
void expect_pages_match(const Catalog& c, const std::map<int64_t, CatalogEntry>& ref,
                        RandomCatalog& r, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    auto q = r.random_query(ref);
    std::optional<RefPosition> after;
    for (int page_no = 0; page_no < 50; ++page_no) {
      auto [want, next] = reference_page(ref, q, after);
      auto got = c.query(q);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      ASSERT_EQ(ids(*got), want) << "round " << round << " page " << page_no;
      ASSERT_EQ(got->next_cursor, next ? cursor_of(*next, q.sort) : "");
      if (!next) break;
      after = next;
      q.cursor = got->next_cursor;
    }
  }
}

TEST(Catalog, BulkLoadsOverAPopulatedCatalogStayExact) {
  RandomCatalog r(5);
  Catalog c;
  std::map<int64_t, CatalogEntry> ref;
  std::vector<CatalogEntry> first;
  for (int64_t id = 1; id <= 2000; ++id) first.push_back(ref[id] = r.entry(id));
  c.upsert_all(first);
  for (int64_t id = 1; id <= 300; ++id) {  // free document slots, reused below out of order
    c.remove(id);
    ref.erase(id);
  }
  // Replacements, new repos, type changes and the same id twice in one batch (the last wins,
  // the first may still be waiting for its postings when the second comes).
  std::vector<CatalogEntry> second;
  for (int64_t id = 1500; id < 4000; ++id) second.push_back(r.entry(id));
  for (int64_t id = 3000; id < 3100; ++id) second.push_back(r.entry(id));
  for (int64_t id = 100; id < 200; ++id) second.push_back(r.entry(id));
  for (const auto& e : second) ref[e.id] = e;
  c.upsert_all(second);
  ASSERT_EQ(c.size(), ref.size());
  for (int64_t id : {1500, 3050, 150, 3999}) expect_same(*c.find(id), ref.at(id));
  expect_pages_match(c, ref, r, 60);
  for (auto type : {RepoType::Model, RepoType::Dataset, RepoType::Space}) {
    std::map<std::string, int64_t> want;
    for (const auto& [id, e] : ref)
      if (e.type == type && !e.is_private)
        for (const auto& t : e.tags) ++want[t];
    auto got = c.tag_counts(type, "", 1000);
    EXPECT_EQ(got.size(), want.size());
    for (const auto& tc : got) EXPECT_EQ(tc.count, want[tc.tag]) << tc.tag;
  }
}

}  // namespace
}  // namespace wharf::hub
