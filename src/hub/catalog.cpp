// The catalog's public face: the lock, repo ids to documents, cursors, validation. The index
// itself is per repo type (catalog_shard.h): documents, posting lists, orders and plans.
#include "hub/catalog.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "hub/catalog_shard.h"
#include "util/encoding.h"

namespace wharf::hub {
namespace {

using catalog::Position;

std::string encode_cursor(const Position& p, CatalogSort sort) {
  if (sort == CatalogSort::Id) return "s" + to_hex(p.text) + "." + std::to_string(p.id);
  return "n" + std::to_string(p.number) + "." + std::to_string(p.id);
}

Result<Position> decode_cursor(std::string_view c, CatalogSort sort) {
  auto bad = [] { return fail(errors::bad_request("Invalid cursor")); };
  if (c.size() < 4 || c.size() > 1024) return bad();
  auto dot = c.rfind('.');
  if (dot == std::string_view::npos || dot < 2) return bad();
  Position p;
  auto id_text = c.substr(dot + 1);
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), p.id);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || p.id < 0) return bad();
  auto key = c.substr(1, dot - 1);
  if (sort == CatalogSort::Id) {
    if (c[0] != 's' || key.size() % 2 != 0 || !is_lower_hex(key)) return bad();
    auto nibble = [](char ch) { return ch <= '9' ? ch - '0' : ch - 'a' + 10; };
    for (std::size_t i = 0; i < key.size(); i += 2)
      p.text.push_back(static_cast<char>(nibble(key[i]) << 4 | nibble(key[i + 1])));
  } else {
    if (c[0] != 'n') return bad();
    auto [kend, kec] = std::from_chars(key.data(), key.data() + key.size(), p.number);
    if (kec != std::errc() || kend != key.data() + key.size()) return bad();
  }
  return p;
}

// Repo id -> (type, document) as type << 30 | document: open addressing, linear probing,
// backward-shift deletion. A node-based map would cost ~40 bytes per repo more.
class IdMap {
 public:
  static constexpr uint32_t kEmpty = 0xffffffffu;

  std::optional<uint32_t> find(int64_t id) const {
    if (vals_.empty()) return std::nullopt;
    for (std::size_t i = slot(id);; i = (i + 1) & mask_) {
      if (vals_[i] == kEmpty) return std::nullopt;
      if (keys_[i] == id) return vals_[i];
    }
  }
  void set(int64_t id, uint32_t handle) {
    if ((size_ + 1) * 5 > vals_.size() * 4) grow();
    std::size_t i = slot(id);
    for (; vals_[i] != kEmpty; i = (i + 1) & mask_)
      if (keys_[i] == id) {
        vals_[i] = handle;
        return;
      }
    keys_[i] = id;
    vals_[i] = handle;
    ++size_;
  }
  void erase(int64_t id) {
    if (vals_.empty()) return;
    std::size_t i = slot(id);
    for (; vals_[i] != kEmpty; i = (i + 1) & mask_)
      if (keys_[i] == id) break;
    if (vals_[i] == kEmpty) return;
    // Pull back later entries of the run that may not stay behind the hole.
    for (std::size_t j = (i + 1) & mask_; vals_[j] != kEmpty; j = (j + 1) & mask_) {
      std::size_t home = slot(keys_[j]);
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      keys_[i] = keys_[j];
      vals_[i] = vals_[j];
      i = j;
    }
    vals_[i] = kEmpty;
    --size_;
  }
  std::size_t size() const { return size_; }
  std::size_t memory() const { return keys_.capacity() * 8 + vals_.capacity() * 4; }

 private:
  std::size_t slot(int64_t id) const {
    auto x = static_cast<uint64_t>(id);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x) & mask_;
  }
  void grow() {
    std::vector<int64_t> keys = std::move(keys_);
    std::vector<uint32_t> vals = std::move(vals_);
    std::size_t cap = std::max<std::size_t>(1024, vals.size() * 2);
    keys_.assign(cap, 0);
    vals_.assign(cap, kEmpty);
    mask_ = cap - 1;
    size_ = 0;
    for (std::size_t i = 0; i < vals.size(); ++i)
      if (vals[i] != kEmpty) set(keys[i], vals[i]);
  }

  std::vector<int64_t> keys_;
  std::vector<uint32_t> vals_;
  std::size_t size_ = 0, mask_ = 0;
};

constexpr uint32_t kDocBits = 30;

}  // namespace

std::optional<CatalogSort> parse_catalog_sort(std::string_view s) {
  if (s == "downloads") return CatalogSort::Downloads;
  if (s == "downloadsAllTime") return CatalogSort::DownloadsAllTime;
  if (s == "likes") return CatalogSort::Likes;
  if (s == "lastModified" || s == "last_modified") return CatalogSort::LastModified;
  if (s == "createdAt" || s == "created_at") return CatalogSort::CreatedAt;
  if (s == "trendingScore" || s == "trending_score") return CatalogSort::Trending;
  if (s == "id" || s == "modelId") return CatalogSort::Id;
  return std::nullopt;
}

struct Catalog::Impl {
  mutable std::shared_mutex mu;
  // One vocabulary per shard (a few namespaces are spelled in two of them): the shards share
  // nothing, so a load fills them in parallel.
  std::array<catalog::Vocabulary, 3> vocab;
  std::array<catalog::Shard, 3> shards{catalog::Shard(RepoType::Model),
                                       catalog::Shard(RepoType::Dataset),
                                       catalog::Shard(RepoType::Space)};
  IdMap ids;

  static std::size_t index(RepoType t) { return static_cast<std::size_t>(t); }

  void upsert(const CatalogEntry& e) {
    std::size_t t = index(e.type);
    if (auto h = ids.find(e.id)) {
      std::size_t old_type = *h >> kDocBits;
      uint32_t doc = *h & ((1u << kDocBits) - 1);
      if (old_type == t) {
        shards[t].replace(doc, e, vocab[t]);
        return;
      }
      shards[old_type].erase(doc);
    }
    uint32_t doc = shards[t].add(e, vocab[t]);
    ids.set(e.id, static_cast<uint32_t>(t << kDocBits) | doc);
  }

  bool load_in_parallel(std::vector<CatalogEntry>& entries, const std::array<std::size_t, 3>& docs);
};

// A load into an empty catalog: the shards are independent, so one thread fills the largest
// and another the rest (each then builds its postings and orders). False, with nothing
// done, when the batch names an id twice (the serial path then applies them in order).
// REQUIRES: the catalog is empty, the shards with entries are in bulk mode.
bool Catalog::Impl::load_in_parallel(std::vector<CatalogEntry>& entries,
                                     const std::array<std::size_t, 3>& docs) {
  // What the threads need of an entry besides itself (which the thread that adds it frees).
  std::vector<int64_t> id_of(entries.size());
  std::vector<uint8_t> type_of(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (ids.find(entries[i].id)) {
      ids = IdMap();
      return false;
    }
    ids.set(entries[i].id, 0);
    id_of[i] = entries[i].id;
    type_of[i] = static_cast<uint8_t>(index(entries[i].type));
  }
  std::array<std::size_t, 3> by_size{0, 1, 2};
  std::sort(by_size.begin(), by_size.end(),
            [&](std::size_t a, std::size_t b) { return docs[a] > docs[b]; });
  std::vector<uint32_t> handle(entries.size());
  auto add = [&](std::size_t t) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (type_of[i] != t) continue;
      handle[i] = static_cast<uint32_t>(t << kDocBits) | shards[t].add(entries[i], vocab[t]);
      entries[i] = CatalogEntry{};  // give the memory back as we go
    }
  };
  auto on_two_threads = [&](const std::function<void(std::size_t)>& work) {
    std::thread largest(work, by_size[0]);
    work(by_size[1]);
    work(by_size[2]);
    largest.join();
  };
  on_two_threads(add);
  // As in the serial path: the input is gone before the postings' many small lists are made.
  std::vector<CatalogEntry>().swap(entries);
  on_two_threads([&](std::size_t t) { shards[t].end_bulk(); });
  for (std::size_t i = 0; i < id_of.size(); ++i) ids.set(id_of[i], handle[i]);
  return true;
}

Catalog::Catalog() : impl_(std::make_unique<Impl>()) {}
Catalog::~Catalog() = default;

void Catalog::upsert(const CatalogEntry& entry) {
  std::unique_lock lock(impl_->mu);
  impl_->upsert(entry);
}

void Catalog::upsert_all(std::vector<CatalogEntry> entries) {
  std::unique_lock lock(impl_->mu);
  // A shard that takes many entries sorts its orders once at the end instead of moving
  // each entry into place.
  std::array<std::size_t, 3> docs{}, tags{}, bytes{};
  for (const auto& e : entries) {
    auto t = Impl::index(e.type);
    ++docs[t];
    tags[t] += e.tags.size();
    bytes[t] += 2 * (e.ns.size() + e.name.size()) + e.object_id.size() / 2 + e.sha.size() / 2 + 12;
  }
  for (std::size_t t = 0; t < 3; ++t)
    if (docs[t] > 64 + impl_->shards[t].size() / 16)
      impl_->shards[t].begin_bulk(docs[t], tags[t], bytes[t]);
  bool all_bulk = true;
  for (std::size_t t = 0; t < 3; ++t)
    all_bulk = all_bulk && (docs[t] == 0 || impl_->shards[t].in_bulk());
  if (impl_->ids.size() == 0 && all_bulk && entries.size() > 1 &&
      impl_->load_in_parallel(entries, docs))
    return;
  for (auto& e : entries) {
    impl_->upsert(e);
    e = CatalogEntry{};  // give the memory back as we go
  }
  // Before the postings are built, so that the many small lists reuse the input's memory
  // instead of pinning pages between its freed strings.
  std::vector<CatalogEntry>().swap(entries);
  for (auto& shard : impl_->shards) shard.end_bulk();
}

void Catalog::remove(int64_t id) {
  std::unique_lock lock(impl_->mu);
  auto h = impl_->ids.find(id);
  if (!h) return;
  impl_->shards[*h >> kDocBits].erase(*h & ((1u << kDocBits) - 1));
  impl_->ids.erase(id);
}

void Catalog::set_counters(const std::vector<Counters>& counters) {
  std::unique_lock lock(impl_->mu);
  std::array<std::vector<std::pair<uint32_t, Counters>>, 3> rows;
  for (const auto& c : counters)
    if (auto h = impl_->ids.find(c.id))
      rows[*h >> kDocBits].emplace_back(*h & ((1u << kDocBits) - 1), c);
  for (std::size_t t = 0; t < 3; ++t)
    if (!rows[t].empty()) impl_->shards[t].set_counters(rows[t]);
}

std::optional<CatalogEntry> Catalog::find(int64_t id) const {
  std::shared_lock lock(impl_->mu);
  auto h = impl_->ids.find(id);
  if (!h) return std::nullopt;
  std::size_t t = *h >> kDocBits;
  return impl_->shards[t].entry(*h & ((1u << kDocBits) - 1), impl_->vocab[t]);
}

std::size_t Catalog::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->ids.size();
}

Result<CatalogPage> Catalog::query(const CatalogQuery& q) const {
  if (q.search.size() > kMaxCatalogSearch)
    return fail(errors::bad_request("search is longer than " + std::to_string(kMaxCatalogSearch) +
                                    " characters"));
  if (q.tags.size() > kMaxCatalogFilters)
    return fail(errors::bad_request("at most " + std::to_string(kMaxCatalogFilters) + " filters"));
  catalog::Selection sel;
  if (!q.cursor.empty()) sel.after = WHARF_TRY(decode_cursor(q.cursor, q.sort));
  sel.query = &q;
  sel.needle = catalog::ascii_lower(q.search);
  sel.author = catalog::ascii_lower(q.author);
  std::size_t limit = std::clamp<std::size_t>(q.limit, 1, kMaxCatalogPage);
  sel.want = limit + 1;

  std::shared_lock lock(impl_->mu);
  const auto& shard = impl_->shards[Impl::index(q.type)];
  const auto& vocab = impl_->vocab[Impl::index(q.type)];
  auto docs = shard.select(sel, vocab);
  CatalogPage page;
  std::size_t n = std::min(limit, docs.size());
  page.items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) page.items.push_back(shard.entry(docs[i], vocab));
  if (docs.size() > limit)
    page.next_cursor = encode_cursor(shard.position(docs[limit - 1], q.sort), q.sort);
  return page;
}

std::vector<TagCount> Catalog::tag_counts(RepoType type, std::string_view prefix,
                                          std::size_t limit) const {
  std::shared_lock lock(impl_->mu);
  std::vector<TagCount> out;
  for (const auto& [tag, n] : impl_->shards[Impl::index(type)].tag_counts()) {
    std::string_view name = impl_->vocab[Impl::index(type)].tags.str(tag);
    if (name.starts_with(prefix)) out.push_back({std::string(name), n});
  }
  auto by_count = [](const TagCount& a, const TagCount& b) {
    return a.count != b.count ? a.count > b.count : a.tag < b.tag;
  };
  std::size_t n = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), by_count);
  out.resize(n);
  return out;
}

}  // namespace wharf::hub
