// Helpers of the catalog's unit tests (catalog_test.cpp, catalog_reference_test.cpp): entries
// made up by id, pages followed to the end, and the contract's order written independently of
// the catalog.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "hub/catalog.h"

namespace wharf::hub::catalog_test {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

inline CatalogEntry make(int64_t id, std::string ns, std::string name,
                         std::vector<std::string> tags = {}, RepoType type = RepoType::Model) {
  CatalogEntry e;
  e.id = id;
  e.type = type;
  e.ns = std::move(ns);
  e.name = std::move(name);
  e.tags = std::move(tags);
  char oid[25];
  std::snprintf(oid, sizeof oid, "%024llx", static_cast<unsigned long long>(id * 7919));
  e.object_id = oid;
  e.sha = std::string(40, "0123456789abcdef"[id % 16]);
  e.created_ms = 1000 + id;
  e.last_modified_ms = 5000 - id;
  return e;
}

inline CatalogQuery query(RepoType type = RepoType::Model) {
  CatalogQuery q;
  q.type = type;
  q.limit = 1000;
  return q;
}

inline CatalogPage must(Result<CatalogPage> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(*r) : CatalogPage{};
}

inline std::vector<int64_t> ids(const CatalogPage& p) {
  std::vector<int64_t> out;
  for (const auto& e : p.items) out.push_back(e.id);
  return out;
}

inline std::vector<int64_t> ids_of(const Catalog& c, const CatalogQuery& q) {
  return ids(must(c.query(q)));
}

// Follows next_cursor to the end; fails the test on a page that is not full but has a cursor.
inline std::vector<int64_t> all_pages(const Catalog& c, CatalogQuery q) {
  std::vector<int64_t> out;
  for (int pages = 0; pages < 100000; ++pages) {
    auto page = must(c.query(q));
    for (const auto& e : page.items) out.push_back(e.id);
    if (page.next_cursor.empty()) return out;
    EXPECT_EQ(page.items.size(), q.limit);
    q.cursor = page.next_cursor;
  }
  ADD_FAILURE() << "paging did not end";
  return out;
}

inline void expect_same(const CatalogEntry& a, const CatalogEntry& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.object_id, b.object_id);
  EXPECT_EQ(a.ns, b.ns);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.is_private, b.is_private);
  EXPECT_EQ(a.gated, b.gated);
  EXPECT_EQ(a.sdk, b.sdk);
  EXPECT_EQ(a.sha, b.sha);
  EXPECT_EQ(a.created_ms, b.created_ms);
  EXPECT_EQ(a.last_modified_ms, b.last_modified_ms);
  EXPECT_EQ(a.downloads, b.downloads);
  EXPECT_EQ(a.downloads_all_time, b.downloads_all_time);
  EXPECT_EQ(a.likes, b.likes);
  EXPECT_EQ(a.trending_score, b.trending_score);
  EXPECT_EQ(a.pipeline_tag, b.pipeline_tag);
  EXPECT_EQ(a.library_name, b.library_name);
  EXPECT_EQ(a.tags, b.tags);
}

inline constexpr CatalogSort kNumericSorts[] = {
    CatalogSort::Downloads,    CatalogSort::DownloadsAllTime, CatalogSort::Likes,
    CatalogSort::LastModified, CatalogSort::CreatedAt,        CatalogSort::Trending};
inline constexpr CatalogSort kAllSorts[] = {
    CatalogSort::Id,      CatalogSort::Downloads,    CatalogSort::DownloadsAllTime,
    CatalogSort::Likes,   CatalogSort::LastModified, CatalogSort::CreatedAt,
    CatalogSort::Trending};

inline int64_t key_of(const CatalogEntry& e, CatalogSort s) {
  switch (s) {
    case CatalogSort::Downloads:
      return e.downloads;
    case CatalogSort::DownloadsAllTime:
      return e.downloads_all_time;
    case CatalogSort::Likes:
      return e.likes;
    case CatalogSort::LastModified:
      return e.last_modified_ms;
    case CatalogSort::CreatedAt:
      return e.created_ms;
    case CatalogSort::Trending:
      return e.trending_score;
    case CatalogSort::Id:
      return 0;
  }
  return 0;
}

inline void set_key(CatalogEntry& e, CatalogSort s, int64_t v) {
  switch (s) {
    case CatalogSort::Downloads:
      e.downloads = v;
      break;
    case CatalogSort::DownloadsAllTime:
      e.downloads_all_time = v;
      break;
    case CatalogSort::Likes:
      e.likes = v;
      break;
    case CatalogSort::LastModified:
      e.last_modified_ms = v;
      break;
    case CatalogSort::CreatedAt:
      e.created_ms = v;
      break;
    case CatalogSort::Trending:
      e.trending_score = v;
      break;
    case CatalogSort::Id:
      break;
  }
}

// The contract's order, written independently of the catalog: true when a comes first.
inline bool comes_first(const CatalogEntry& a, const CatalogEntry& b, CatalogSort s) {
  if (s == CatalogSort::Id) {
    auto la = lower(a.ns + "/" + a.name), lb = lower(b.ns + "/" + b.name);
    return la != lb ? la < lb : a.id < b.id;
  }
  auto ka = key_of(a, s), kb = key_of(b, s);
  return ka != kb ? ka > kb : a.id > b.id;
}

inline std::vector<int64_t> expected_order(std::vector<CatalogEntry> v, CatalogSort s) {
  std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) { return comes_first(a, b, s); });
  std::vector<int64_t> out;
  for (const auto& e : v) out.push_back(e.id);
  return out;
}

}  // namespace wharf::hub::catalog_test
