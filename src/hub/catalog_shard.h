// The inside of the catalog (hub/catalog.h): one Shard per repo type holds that type's
// documents in compact arrays indexed by a dense document number, their posting lists and
// one order array per sort key. Catalog (catalog.cpp) maps repo ids to (type, document),
// owns the lock and each shard's strings (Vocabulary).
//
// Layout (about 400 bytes a repo in all at the Hub's size):
// - per document: the fields filters read (Hot: lowercase namespace, pipeline, library,
//   flags, where its tags and its blob are), the six numeric sort keys, the repo id and the
//   first 8 bytes of the lowercase id, each in its own array; tags as ids in an arena; the
//   lowercase "ns/name", the name when it has capitals, the object id and the sha (packed
//   when hex) in a blob arena. Replaced tags and blobs leave garbage, compacted when it
//   passes half of an arena. Freed document numbers are reused.
// - posting lists (catalog_postings.h) per tag, lowercase namespace, pipeline tag, library,
//   gated, and per 1-, 2- and 3-byte gram of the lowercase id (search).
// - order arrays (catalog_order.cpp), exact under every change.
// Queries (catalog_query.cpp) walk an order or intersect lists; bulk loads
// (catalog_bulk.cpp) defer postings and orders to one pass each.
//
// Nothing here is thread-safe by itself; the catalog's lock guards it all.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/catalog.h"
#include "hub/catalog_postings.h"
#include "hub/catalog_vocabulary.h"

namespace wharf::hub::catalog {

inline constexpr uint32_t kNone = 0xffffffffu;  // no pipeline tag / library
inline constexpr int kSorts = 7;                // CatalogSort values, Id = 0
inline constexpr int kKeys = 6;                 // the numeric sorts: CatalogSort value - 1

// The lists a document is in, to diff an old and a new version.
struct Terms {
  uint32_t ns = kNone, pipeline = kNone, library = kNone;
  uint32_t ns_word = kNone;  // the namespace as spelled (Vocabulary::words)
  bool gated = false, is_public = false;
  std::vector<uint32_t> tags;   // as in the entry (a repeated tag counts twice, as stored)
  std::vector<uint32_t> grams;  // distinct and sorted, except for a new document
  bool deferred = false;        // a new document's postings wait for flush_pending
};

// A position in a sort order, as a cursor holds it: the key of the last item shown (number
// for numeric sorts, the lowercase "ns/name" for the id sort) and its repo id.
struct Position {
  int64_t number = 0;
  std::string text;
  int64_t id = 0;
};

std::string ascii_lower(std::string_view s);

// Id n-grams: every 1-, 2- and 3-byte substring of a lowercase id, as a posting list number
// below kGramTerms. Bytes outside [a-z0-9-_./] share one symbol, so a gram's list may hold
// more documents than contain the exact bytes: search verifies every candidate.
inline constexpr uint32_t kGramSymbols = 41;
inline constexpr uint32_t kGramTerms =
    kGramSymbols + kGramSymbols * kGramSymbols + kGramSymbols * kGramSymbols * kGramSymbols;
uint32_t gram_id(std::string_view g);  // REQUIRES: 1 <= g.size() <= 3
// The grams of `lid`: sorted and distinct, or as they come (with repeats).
std::vector<uint32_t> id_grams(std::string_view lid, bool distinct);

// What a query asks of one shard, validated by the catalog.
struct Selection {
  const CatalogQuery* query = nullptr;
  std::string needle;             // lowercase search
  std::string author;             // lowercase
  std::optional<Position> after;  // the cursor
  std::size_t want = 0;           // limit + 1: one more tells whether a next page exists
};

class Shard {
 public:
  explicit Shard(RepoType type) : type_(type) {}

  // REQUIRES for every doc argument: a live document of this shard.
  uint32_t add(const CatalogEntry& e, Vocabulary& v);
  void replace(uint32_t doc, const CatalogEntry& e, Vocabulary& v);
  void erase(uint32_t doc);
  // New counter values; duplicates apply in order.
  void set_counters(const std::vector<std::pair<uint32_t, Catalog::Counters>>& rows);
  // Between begin_bulk and end_bulk the order arrays are not maintained and the tag and gram
  // postings of new documents wait; end_bulk sorts the orders once and appends the postings
  // list by list (many changes at once are far cheaper that way).
  // The sizes announce what is coming (documents, tags, bytes of ids and hashes).
  void begin_bulk(std::size_t docs, std::size_t tags, std::size_t blob_bytes);
  void end_bulk();
  bool in_bulk() const { return orders_stale_; }

  uint32_t size() const { return alive_; }
  int64_t repo_id(uint32_t doc) const { return repo_id_[doc]; }
  CatalogEntry entry(uint32_t doc, const Vocabulary& v) const;
  Position position(uint32_t doc, CatalogSort sort) const;

  // Up to s.want documents matching the selection, in sort order, after the cursor.
  std::vector<uint32_t> select(const Selection& s, const Vocabulary& v) const;

  // (tag id, public documents carrying it) for every tag with a non-zero count.
  std::vector<std::pair<uint32_t, int64_t>> tag_counts() const;

 private:
  struct Hot {            // what filters read, one cache line holds two and a half
    uint32_t ns = kNone;  // lowercase namespace id
    uint32_t pipeline = kNone;
    uint32_t library = kNone;
    uint32_t tag_off = 0;   // tag_arena_[tag_off] = n, then n tag ids in the entry's order
    uint32_t blob_off = 0;  // blob_arena_: lowercase id, name, object id, sha
    uint8_t flags = 0;
  };
  struct Cold {  // Vocabulary::words ids
    uint32_t ns = 0, gated = 0, sdk = 0;
  };
  // kPending: a document added in bulk whose tag and gram postings wait for flush_pending.
  enum : uint8_t { kAlive = 1, kPrivate = 2, kGated = 4, kPending = 8 };

  // Document fields.
  std::string_view lowercase_id(uint32_t doc) const;
  std::span<const uint32_t> tags_of(uint32_t doc) const;
  std::size_t blob_size(uint32_t off) const;
  void store_tags(uint32_t doc, const std::vector<uint32_t>& tags);
  void store_blob(uint32_t doc, const std::string& blob);
  void compact_arenas();
  void terms_of(const CatalogEntry& e, std::string_view lid, Vocabulary& v, Terms& t);
  void fill(uint32_t doc, const CatalogEntry& e, std::string_view lid, const Terms& t,
            Vocabulary& v);
  Terms current_terms(uint32_t doc) const;
  void reindex(uint32_t doc, const Terms* old, const Terms* now);
  void flush_pending();
  PostingList& list(std::vector<std::unique_ptr<PostingList>>& lists, uint32_t id);

  // Orders.
  bool before(int sort, uint32_t a, uint32_t b) const;
  bool after_position(int sort, const Position& p, uint32_t doc) const;
  std::size_t locate(int sort, uint32_t doc) const;
  void order_insert(int sort, uint32_t doc);
  void reposition(int sort, std::size_t pos);
  std::vector<uint32_t> live_docs() const;
  void rebuild_order(int sort, const std::vector<uint32_t>& docs);  // docs: live_docs()
  void reinsert(int sort, std::vector<uint32_t> docs);

  // Query plans (catalog_query.cpp).
  struct Plan;
  bool matches(const Plan& p, uint32_t doc, const Vocabulary& v) const;
  bool walk(const Plan& p, std::size_t budget, std::vector<uint32_t>& out,
            const Vocabulary& v) const;
  void top_of_candidates(const Plan& p, std::vector<uint32_t>& out, const Vocabulary& v) const;

  RepoType type_;
  std::vector<Hot> hot_;
  std::vector<Cold> cold_;
  std::vector<int64_t> repo_id_;
  std::array<std::vector<int64_t>, kKeys> keys_;
  std::vector<uint64_t> prefix_;  // first 8 bytes of the lowercase id, big-endian
  std::vector<uint32_t> tag_arena_;
  std::vector<char> blob_arena_;
  std::size_t tag_garbage_ = 0, blob_garbage_ = 0;
  std::vector<uint32_t> free_;
  std::vector<uint32_t> pending_;  // kPending documents
  uint32_t alive_ = 0;

  // Reused by updates (under the catalog's exclusive lock) to spare an allocation or two
  // per document in a bulk load.
  std::string lid_scratch_, blob_scratch_;
  Terms terms_scratch_;

  std::array<std::vector<uint32_t>, kSorts> order_;
  bool orders_stale_ = false;

  std::vector<std::unique_ptr<PostingList>> tag_lists_, ns_lists_, pipeline_lists_, library_lists_,
      gram_lists_;
  PostingList gated_list_;
  std::vector<int64_t> public_tag_count_;
};

}  // namespace wharf::hub::catalog
