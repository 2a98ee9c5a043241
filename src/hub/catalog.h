// The catalog: an in-memory search index over every repo's listing fields, for
// GET /api/models|datasets|spaces (spec §6) and the web's listings. The database stays the
// truth (ARCHITECTURE decision 4); the catalog is loaded from it at start-up and kept in step
// by the services that change a repo (index, settings, move, delete, likes, counters).
//
// Why in memory: at the Hub's size (1.55 million repos) a listing must combine tag filters,
// a substring search on the id and a sort on a counter, and answer in a few milliseconds.
// The catalog keeps, per repo type, posting lists per tag, per namespace and per id trigram,
// and an order array per sort key; a query either walks the sort order and checks each repo
// (when the filters are common) or verifies the smallest posting list and keeps the top of it
// (when they are rare). Every query's work is bounded by the size of one posting list or one
// order array.
//
// Safe from many threads: queries share a lock, updates take it alone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/repo_id.h"

namespace wharf::hub {

// What the catalog holds of one repo: every field a listing item shows.
struct CatalogEntry {
  int64_t id = 0;                  // repos.id
  RepoType type = RepoType::Model;
  std::string object_id;           // 24 hex
  std::string ns;
  std::string name;
  bool is_private = false;
  std::string gated;               // "", "auto", "manual"
  std::string sdk;                 // spaces
  std::string sha;                 // last indexed commit of the default branch ("" when empty)
  int64_t created_ms = 0;
  int64_t last_modified_ms = 0;
  int64_t downloads = 0;           // last 30 days
  int64_t downloads_all_time = 0;
  int64_t likes = 0;
  int64_t trending_score = 0;
  std::string pipeline_tag;        // "" when none
  std::string library_name;        // "" when none
  std::vector<std::string> tags;   // the derived tags (hub/card_tags), unique
};

enum class CatalogSort {
  Id,            // by id "ns/name", ascending (case-insensitive) — the default without sort
  Downloads,     // the rest descending, ties by repos.id descending
  DownloadsAllTime,
  Likes,
  LastModified,
  CreatedAt,
  Trending,
};

// Parses the Hub's `sort` value: "downloads", "likes", "lastModified", "createdAt",
// "trendingScore", "id", "downloadsAllTime" (also "last_modified", "created_at",
// "trending_score" as the Python client's older names). nullopt when unknown.
std::optional<CatalogSort> parse_catalog_sort(std::string_view s);

struct CatalogQuery {
  RepoType type = RepoType::Model;
  std::string search;               // case-insensitive substring of "ns/name"; "" any
  std::string author;               // namespace, case-insensitive; "" any
  std::vector<std::string> tags;    // all must be among the repo's tags (exact match)
  std::string pipeline_tag;         // "" any
  std::string library_name;         // "" any
  std::optional<bool> gated;        // true: gated only; false: not gated only
  CatalogSort sort = CatalogSort::Id;
  std::size_t limit = 20;           // 1..kMaxCatalogPage (the caller clamps)
  std::string cursor;               // from a previous page's next_cursor; "" first page
  // Private repos are listed only when this says the caller may see them (nullptr: none).
  // Called only for private repos that pass every other filter, with the catalog's entry.
  std::function<bool(const CatalogEntry&)> may_see_private;
};

inline constexpr std::size_t kMaxCatalogPage = 1000;
inline constexpr std::size_t kMaxCatalogSearch = 256;   // longer search strings are refused
inline constexpr std::size_t kMaxCatalogFilters = 32;   // tags per query

struct CatalogPage {
  std::vector<CatalogEntry> items;  // in sort order, at most `limit`
  std::string next_cursor;          // "" on the last page; opaque, URL-safe
};

struct TagCount {
  std::string tag;
  int64_t count = 0;                // public repos of the type carrying it
};

class Catalog {
 public:
  Catalog();
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Adds the repo or replaces what the catalog holds of it (same id).
  void upsert(const CatalogEntry& entry);
  // Many at once (start-up load): faster than upsert one by one; entries with ids already
  // present replace them.
  void upsert_all(std::vector<CatalogEntry> entries);
  void remove(int64_t id);
  // New counter values for repos already in the catalog (unknown ids are ignored).
  struct Counters {
    int64_t id = 0, downloads = 0, downloads_all_time = 0, likes = 0, trending_score = 0;
  };
  void set_counters(const std::vector<Counters>& counters);

  std::optional<CatalogEntry> find(int64_t id) const;
  std::size_t size() const;

  // One page of a listing. Errors: BadRequest (400) for a malformed cursor, a search longer
  // than kMaxCatalogSearch, more than kMaxCatalogFilters tags.
  Result<CatalogPage> query(const CatalogQuery& q) const;

  // How many public repos of `type` carry each tag, most common first, at most `limit`
  // (the tag catalogues and the web's facets). `prefix` keeps only tags starting with it.
  std::vector<TagCount> tag_counts(RepoType type, std::string_view prefix, std::size_t limit) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wharf::hub
