// Storage and maintenance of one repo type's documents: fields, posting lists, orders.
#include "hub/catalog_shard.h"

#include <algorithm>
#include <cstring>

#include "util/encoding.h"

namespace wharf::hub::catalog {
namespace {

constexpr std::array<uint8_t, 256> make_symbols() {
  std::array<uint8_t, 256> s{};
  for (auto& x : s) x = kGramSymbols - 1;
  for (int c = 'a'; c <= 'z'; ++c) s[c] = static_cast<uint8_t>(c - 'a');
  for (int c = '0'; c <= '9'; ++c) s[c] = static_cast<uint8_t>(26 + c - '0');
  s['-'] = 36;
  s['_'] = 37;
  s['.'] = 38;
  s['/'] = 39;
  return s;
}
constexpr auto kSymbol = make_symbols();

uint32_t sym(char c) { return kSymbol[static_cast<unsigned char>(c)]; }

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t get_varint(const char* p, std::size_t& pos) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto b = static_cast<unsigned char>(p[pos++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// Object ids and shas are lowercase hex: stored as bytes, half the size. Anything else is
// kept as given.
void put_hexish(std::string& out, std::string_view s) {
  bool pack = !s.empty() && s.size() % 2 == 0 && is_lower_hex(s);
  put_varint(out, (s.size() / (pack ? 2 : 1)) << 1 | (pack ? 1 : 0));
  if (!pack) {
    out += s;
    return;
  }
  for (std::size_t i = 0; i < s.size(); i += 2)
    out.push_back(static_cast<char>(hex_value(s[i]) << 4 | hex_value(s[i + 1])));
}

std::string get_hexish(const char* p, std::size_t& pos) {
  uint64_t code = get_varint(p, pos);
  std::size_t len = code >> 1;
  std::string out;
  if (code & 1) {
    out = to_hex(std::string_view(p + pos, len));
  } else {
    out.assign(p + pos, len);
  }
  pos += len;
  return out;
}

bool has_upper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The blob of a document: varint-prefixed lowercase id, the name only when it differs from
// its lowercase form (code 0: derive it from the id), the object id and the sha.
void encode_blob(const CatalogEntry& e, std::string_view lid, std::string& out) {
  out.clear();
  put_varint(out, lid.size());
  out += lid;
  if (has_upper(e.name)) {
    put_varint(out, e.name.size() + 1);
    out += e.name;
  } else {
    put_varint(out, 0);
  }
  put_hexish(out, e.object_id);
  put_hexish(out, e.sha);
}

// lower(ns) + "/" + lower(name) into out.
void lowercase_id_of(const CatalogEntry& e, std::string& out) {
  out.clear();
  out.reserve(e.ns.size() + e.name.size() + 1);
  for (std::string_view part :
       {std::string_view(e.ns), std::string_view("/"), std::string_view(e.name)})
    for (char ch : part)
      out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
}

uint64_t prefix_of(std::string_view s) {
  uint64_t p = 0;
  for (std::size_t i = 0; i < 8; ++i)
    p = p << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return p;
}

int64_t& key_ref(std::array<std::vector<int64_t>, kKeys>& keys, int sort, uint32_t doc) {
  return keys[static_cast<std::size_t>(sort - 1)][doc];
}

// Elements of a not in b; both sorted and distinct.
std::vector<uint32_t> minus(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::vector<uint32_t> sorted_unique(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

uint32_t gram_id(std::string_view g) {
  if (g.size() == 1) return sym(g[0]);
  if (g.size() == 2) return kGramSymbols + sym(g[0]) * kGramSymbols + sym(g[1]);
  return kGramSymbols + kGramSymbols * kGramSymbols +
         (sym(g[0]) * kGramSymbols + sym(g[1])) * kGramSymbols + sym(g[2]);
}

std::vector<uint32_t> id_grams(std::string_view lid, bool distinct) {
  std::vector<uint32_t> out;
  out.reserve(lid.size() * 3);
  for (std::size_t i = 0; i < lid.size(); ++i)
    for (std::size_t n = 1; n <= 3 && i + n <= lid.size(); ++n)
      out.push_back(gram_id(lid.substr(i, n)));
  return distinct ? sorted_unique(std::move(out)) : out;
}

// ---- document fields ----

std::string_view Shard::lowercase_id(uint32_t doc) const {
  const char* p = blob_arena_.data() + hot_[doc].blob_off;
  std::size_t pos = 0;
  std::size_t len = get_varint(p, pos);
  return {p + pos, len};
}

std::span<const uint32_t> Shard::tags_of(uint32_t doc) const {
  const uint32_t* p = tag_arena_.data() + hot_[doc].tag_off;
  return {p + 1, p[0]};
}

void Shard::store_tags(uint32_t doc, const std::vector<uint32_t>& tags) {
  Hot& h = hot_[doc];
  bool had = h.flags & kAlive;
  if (had && tag_arena_[h.tag_off] >= tags.size()) {  // fits where the old list was
    tag_garbage_ += tag_arena_[h.tag_off] - tags.size();
  } else {
    if (had) tag_garbage_ += 1 + tag_arena_[h.tag_off];
    h.tag_off = static_cast<uint32_t>(tag_arena_.size());
    tag_arena_.resize(tag_arena_.size() + 1 + tags.size());
  }
  tag_arena_[h.tag_off] = static_cast<uint32_t>(tags.size());
  std::copy(tags.begin(), tags.end(), tag_arena_.begin() + h.tag_off + 1);
}

std::size_t Shard::blob_size(uint32_t off) const {
  const char* p = blob_arena_.data() + off;
  std::size_t pos = 0;
  pos += get_varint(p, pos);
  uint64_t name_code = get_varint(p, pos);
  if (name_code) pos += name_code - 1;
  for (int field = 0; field < 2; ++field) pos += get_varint(p, pos) >> 1;
  return pos;
}

void Shard::store_blob(uint32_t doc, const std::string& blob) {
  Hot& h = hot_[doc];
  if (h.flags & kAlive) {
    std::size_t pos = blob_size(h.blob_off);
    if (pos == blob.size()) {
      std::memcpy(blob_arena_.data() + h.blob_off, blob.data(), blob.size());
      return;
    }
    blob_garbage_ += pos;
  }
  h.blob_off = static_cast<uint32_t>(blob_arena_.size());
  blob_arena_.insert(blob_arena_.end(), blob.begin(), blob.end());
}

void Shard::compact_arenas() {
  if (tag_garbage_ > (1u << 12) && tag_garbage_ * 2 > tag_arena_.size()) {
    std::vector<uint32_t> arena;  // with room to grow, as after a load
    std::size_t live = tag_arena_.size() - tag_garbage_;
    arena.reserve(live + live / 8 + 1024);
    for (uint32_t d = 0; d < hot_.size(); ++d) {
      if (!(hot_[d].flags & kAlive)) continue;
      auto span = tags_of(d);
      hot_[d].tag_off = static_cast<uint32_t>(arena.size());
      arena.push_back(static_cast<uint32_t>(span.size()));
      arena.insert(arena.end(), span.begin(), span.end());
    }
    tag_arena_ = std::move(arena);
    tag_garbage_ = 0;
  }
  if (blob_garbage_ > (1u << 14) && blob_garbage_ * 2 > blob_arena_.size()) {
    std::vector<char> arena;
    std::size_t live = blob_arena_.size() - blob_garbage_;
    arena.reserve(live + live / 8 + 1024);
    for (uint32_t d = 0; d < hot_.size(); ++d) {
      if (!(hot_[d].flags & kAlive)) continue;
      const char* p = blob_arena_.data() + hot_[d].blob_off;
      std::size_t pos = blob_size(hot_[d].blob_off);
      hot_[d].blob_off = static_cast<uint32_t>(arena.size());
      arena.insert(arena.end(), p, p + pos);
    }
    blob_arena_ = std::move(arena);
    blob_garbage_ = 0;
  }
}

CatalogEntry Shard::entry(uint32_t doc, const Vocabulary& v) const {
  const Hot& h = hot_[doc];
  const Cold& c = cold_[doc];
  CatalogEntry e;
  e.id = repo_id_[doc];
  e.type = type_;
  e.ns = v.words.str(c.ns);
  const char* p = blob_arena_.data() + h.blob_off;
  std::size_t pos = 0;
  std::size_t lid_len = get_varint(p, pos);
  std::string_view lid(p + pos, lid_len);
  pos += lid_len;
  uint64_t name_code = get_varint(p, pos);
  if (name_code) {
    e.name.assign(p + pos, name_code - 1);
    pos += name_code - 1;
  } else {
    e.name = lid.substr(std::min(lid.size(), e.ns.size() + 1));
  }
  e.object_id = get_hexish(p, pos);
  e.sha = get_hexish(p, pos);
  e.is_private = h.flags & kPrivate;
  e.gated = v.words.str(c.gated);
  e.sdk = v.words.str(c.sdk);
  e.downloads = keys_[0][doc];
  e.downloads_all_time = keys_[1][doc];
  e.likes = keys_[2][doc];
  e.last_modified_ms = keys_[3][doc];
  e.created_ms = keys_[4][doc];
  e.trending_score = keys_[5][doc];
  if (h.pipeline != kNone) e.pipeline_tag = v.pipelines.str(h.pipeline);
  if (h.library != kNone) e.library_name = v.libraries.str(h.library);
  auto tags = tags_of(doc);
  e.tags.reserve(tags.size());
  for (uint32_t t : tags) e.tags.emplace_back(v.tags.str(t));
  return e;
}

Position Shard::position(uint32_t doc, CatalogSort sort) const {
  Position p;
  p.id = repo_id_[doc];
  if (sort == CatalogSort::Id)
    p.text = lowercase_id(doc);
  else
    p.number = keys_[static_cast<std::size_t>(sort) - 1][doc];
  return p;
}

// ---- posting lists ----

PostingList& Shard::list(std::vector<std::unique_ptr<PostingList>>& lists, uint32_t id) {
  if (id >= lists.size()) lists.resize(id + 1);
  if (!lists[id]) lists[id] = std::make_unique<PostingList>();
  return *lists[id];
}

void Shard::terms_of(const CatalogEntry& e, std::string_view lid, Vocabulary& v, Terms& t) {
  uint32_t word = v.words.intern(e.ns);
  if (word >= v.lowercase_namespace.size())
    v.lowercase_namespace.resize(word + 1, Vocabulary::kNoNamespace);
  if (v.lowercase_namespace[word] == Vocabulary::kNoNamespace)
    v.lowercase_namespace[word] = v.namespaces.intern(lid.substr(0, e.ns.size()));
  t.ns = v.lowercase_namespace[word];
  t.ns_word = word;
  t.pipeline = e.pipeline_tag.empty() ? kNone : v.pipelines.intern(e.pipeline_tag);
  t.library = e.library_name.empty() ? kNone : v.libraries.intern(e.library_name);
  t.gated = !e.gated.empty();
  t.is_public = !e.is_private;
  t.tags.clear();
  for (const auto& tag : e.tags) t.tags.push_back(v.tags.intern(tag));
  t.grams.clear();
  if (!t.deferred) t.grams = id_grams(lid, /*distinct=*/false);
}

// Moves doc from the lists of `old` to those of `now` (either may be null), touching only
// the lists that differ.
void Shard::reindex(uint32_t doc, const Terms* old, const Terms* now) {
  auto universe = static_cast<uint32_t>(hot_.size());
  if (now && now->deferred) {
    // A new document in a bulk load: flush_pending adds its postings.
  } else if (!old) {
    // A new document: no diff needed, and a repeated tag or gram is a cheap no-op.
    list(ns_lists_, now->ns).insert(doc, universe);
    if (now->pipeline != kNone) list(pipeline_lists_, now->pipeline).insert(doc, universe);
    if (now->library != kNone) list(library_lists_, now->library).insert(doc, universe);
    if (now->gated) gated_list_.insert(doc, universe);
    for (uint32_t t : now->tags) list(tag_lists_, t).insert(doc, universe);
    for (uint32_t g : now->grams) list(gram_lists_, g).insert(doc, universe);
  } else {
    auto swap_one = [&](std::vector<std::unique_ptr<PostingList>>& lists, uint32_t a, uint32_t b) {
      if (a == b) return;
      if (a != kNone) list(lists, a).erase(doc, universe);
      if (b != kNone) list(lists, b).insert(doc, universe);
    };
    swap_one(ns_lists_, old->ns, now ? now->ns : kNone);
    swap_one(pipeline_lists_, old->pipeline, now ? now->pipeline : kNone);
    swap_one(library_lists_, old->library, now ? now->library : kNone);
    bool is_gated = now && now->gated;
    if (old->gated && !is_gated) gated_list_.erase(doc, universe);
    if (!old->gated && is_gated) gated_list_.insert(doc, universe);
    static const std::vector<uint32_t> kEmpty;
    auto old_tags = sorted_unique(old->tags), new_tags = sorted_unique(now ? now->tags : kEmpty);
    for (uint32_t t : minus(old_tags, new_tags)) list(tag_lists_, t).erase(doc, universe);
    for (uint32_t t : minus(new_tags, old_tags)) list(tag_lists_, t).insert(doc, universe);
    const auto& new_grams = now ? sorted_unique(now->grams) : kEmpty;
    for (uint32_t g : minus(old->grams, new_grams)) list(gram_lists_, g).erase(doc, universe);
    for (uint32_t g : minus(new_grams, old->grams)) list(gram_lists_, g).insert(doc, universe);
  }

  if (old && old->is_public)
    for (uint32_t t : old->tags) --public_tag_count_[t];
  if (now)
    for (uint32_t t : now->tags) {
      // Sized for every tag of the shard, public or not: flush_pending relies on it.
      if (t >= public_tag_count_.size()) public_tag_count_.resize(t + 1, 0);
      if (now->is_public) ++public_tag_count_[t];
    }
}

Terms Shard::current_terms(uint32_t doc) const {
  Terms t;
  const Hot& h = hot_[doc];
  t.ns = h.ns;
  t.pipeline = h.pipeline;
  t.library = h.library;
  t.gated = h.flags & kGated;
  t.is_public = !(h.flags & kPrivate);
  auto tags = tags_of(doc);
  t.tags.assign(tags.begin(), tags.end());
  t.grams = id_grams(lowercase_id(doc), /*distinct=*/true);
  return t;
}

// ---- updates ----

void Shard::fill(uint32_t doc, const CatalogEntry& e, std::string_view lid, const Terms& t,
                 Vocabulary& v) {
  Hot& h = hot_[doc];
  h.ns = t.ns;
  h.pipeline = t.pipeline;
  h.library = t.library;
  store_tags(doc, t.tags);
  encode_blob(e, lid, blob_scratch_);
  store_blob(doc, blob_scratch_);
  h.flags = static_cast<uint8_t>(kAlive | (e.is_private ? kPrivate : 0) | (t.gated ? kGated : 0));
  cold_[doc] = {t.ns_word, v.words.intern(e.gated), v.words.intern(e.sdk)};
  repo_id_[doc] = e.id;
  keys_[0][doc] = e.downloads;
  keys_[1][doc] = e.downloads_all_time;
  keys_[2][doc] = e.likes;
  keys_[3][doc] = e.last_modified_ms;
  keys_[4][doc] = e.created_ms;
  keys_[5][doc] = e.trending_score;
  prefix_[doc] = prefix_of(lid);
}

uint32_t Shard::add(const CatalogEntry& e, Vocabulary& v) {
  uint32_t doc;
  if (!free_.empty()) {
    doc = free_.back();
    free_.pop_back();
  } else {
    doc = static_cast<uint32_t>(hot_.size());
    hot_.emplace_back();
    cold_.emplace_back();
    repo_id_.push_back(0);
    for (auto& k : keys_) k.push_back(0);
    prefix_.push_back(0);
  }
  std::string& lid = lid_scratch_;
  lowercase_id_of(e, lid);
  Terms& t = terms_scratch_;
  t.deferred = orders_stale_;
  terms_of(e, lid, v, t);
  fill(doc, e, lid, t, v);
  reindex(doc, nullptr, &t);
  if (t.deferred) {
    hot_[doc].flags |= kPending;
    pending_.push_back(doc);
  }
  ++alive_;
  if (!orders_stale_)
    for (int s = 0; s < kSorts; ++s) order_insert(s, doc);
  return doc;
}

void Shard::replace(uint32_t doc, const CatalogEntry& e, Vocabulary& v) {
  if (hot_[doc].flags & kPending) flush_pending();  // the diff below needs its postings
  std::string& lid = lid_scratch_;
  lowercase_id_of(e, lid);
  // Where doc sits in each order whose key changes, found with the old key.
  std::array<std::optional<std::size_t>, kSorts> at;
  if (!orders_stale_) {
    const int64_t now[kKeys] = {e.downloads,        e.downloads_all_time, e.likes,
                                e.last_modified_ms, e.created_ms,         e.trending_score};
    for (int s = 1; s < kSorts; ++s)
      if (key_ref(keys_, s, doc) != now[s - 1]) at[static_cast<std::size_t>(s)] = locate(s, doc);
    if (lowercase_id(doc) != lid) at[0] = locate(0, doc);
  }
  Terms old = current_terms(doc);
  Terms now;
  terms_of(e, lid, v, now);
  reindex(doc, &old, &now);
  fill(doc, e, lid, now, v);
  for (int s = 0; s < kSorts; ++s)
    if (at[static_cast<std::size_t>(s)]) reposition(s, *at[static_cast<std::size_t>(s)]);
  compact_arenas();
}

void Shard::erase(uint32_t doc) {
  if (hot_[doc].flags & kPending) flush_pending();
  if (!orders_stale_)
    for (int s = 0; s < kSorts; ++s) {
      auto& ord = order_[static_cast<std::size_t>(s)];
      ord.erase(ord.begin() + static_cast<std::ptrdiff_t>(locate(s, doc)));
    }
  Terms old = current_terms(doc);
  reindex(doc, &old, nullptr);
  Hot& h = hot_[doc];
  tag_garbage_ += 1 + tag_arena_[h.tag_off];
  blob_garbage_ += blob_size(h.blob_off);
  h = Hot{};
  free_.push_back(doc);
  --alive_;
  compact_arenas();
}

void Shard::set_counters(const std::vector<std::pair<uint32_t, Catalog::Counters>>& rows) {
  static constexpr int kCounterSorts[] = {1, 2, 3, 6};  // downloads, all time, likes, trending
  auto value = [](const Catalog::Counters& c, int sort) {
    return sort == 1   ? c.downloads
           : sort == 2 ? c.downloads_all_time
           : sort == 3 ? c.likes
                       : c.trending_score;
  };
  if (orders_stale_ || rows.size() <= 16) {
    for (const auto& [doc, c] : rows)
      for (int s : kCounterSorts) {
        int64_t& k = key_ref(keys_, s, doc);
        if (k == value(c, s)) continue;
        std::size_t pos = orders_stale_ ? 0 : locate(s, doc);
        k = value(c, s);
        if (!orders_stale_) reposition(s, pos);
      }
    return;
  }
  for (int s : kCounterSorts) {
    std::vector<uint32_t> changed;
    for (const auto& [doc, c] : rows) {
      int64_t& k = key_ref(keys_, s, doc);
      if (k == value(c, s)) continue;
      k = value(c, s);
      changed.push_back(doc);
    }
    if (changed.empty()) continue;
    // Moving the changed ones by binary search beats sorting everything again up to about a
    // quarter of the documents (measured with the benchmark).
    if (changed.size() > alive_ / 4)
      rebuild_order(s, live_docs());
    else
      reinsert(s, sorted_unique(std::move(changed)));
  }
}

std::vector<std::pair<uint32_t, int64_t>> Shard::tag_counts() const {
  std::vector<std::pair<uint32_t, int64_t>> out;
  for (uint32_t t = 0; t < public_tag_count_.size(); ++t)
    if (public_tag_count_[t] > 0) out.emplace_back(t, public_tag_count_[t]);
  return out;
}

}  // namespace wharf::hub::catalog
