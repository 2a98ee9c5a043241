// Bulk loads of a shard (Catalog::upsert_all at start-up): documents are stored one by one,
// then their postings are built list by list and the orders sorted once.
#include <algorithm>
#include <span>
#include <thread>

#include "hub/catalog_shard.h"

namespace wharf::hub::catalog {

namespace {

// Room for n and some more: growing a large array doubles and copies it under the exclusive
// lock, so the first updates after a load should not have to.
template <typename T>
void make_room(std::vector<T>& v, std::size_t n) {
  std::size_t want = n + n / 8 + 1024;
  if (v.capacity() >= want && v.capacity() <= 2 * want) return;
  std::vector<T> w;
  w.reserve(want);
  w.assign(v.begin(), v.end());
  v.swap(w);
}

}  // namespace

void Shard::begin_bulk(std::size_t docs, std::size_t tags, std::size_t blob_bytes) {
  orders_stale_ = true;
  std::size_t n = hot_.size() + docs;
  make_room(hot_, n);
  make_room(cold_, n);
  make_room(repo_id_, n);
  for (auto& k : keys_) make_room(k, n);
  make_room(prefix_, n);
  make_room(tag_arena_, tag_arena_.size() + docs + tags);
  make_room(blob_arena_, blob_arena_.size() + blob_bytes);
}

void Shard::end_bulk() {
  if (!orders_stale_) return;
  // Postings and orders read the documents and write disjoint things: two threads (the
  // orders' sorts are as long as the postings' appends, and a load runs at start-up).
  std::thread orders([this, docs = live_docs()] {
    for (int s = 0; s < kSorts; ++s) rebuild_order(s, docs);
  });
  flush_pending();
  orders.join();
  orders_stale_ = false;
  make_room(hot_, hot_.size());
  make_room(cold_, cold_.size());
  make_room(repo_id_, repo_id_.size());
  make_room(prefix_, prefix_.size());
  for (auto& k : keys_) make_room(k, k.size());
  make_room(tag_arena_, tag_arena_.size());
  make_room(blob_arena_, blob_arena_.size());
}

void Shard::flush_pending() {
  if (pending_.empty()) return;
  std::sort(pending_.begin(), pending_.end());
  const auto universe = static_cast<uint32_t>(hot_.size());
  for (uint32_t doc : pending_) {
    const Hot& h = hot_[doc];
    list(ns_lists_, h.ns).insert(doc, universe);
    if (h.pipeline != kNone) list(pipeline_lists_, h.pipeline).insert(doc, universe);
    if (h.library != kNone) list(library_lists_, h.library).insert(doc, universe);
    if (h.flags & kGated) gated_list_.insert(doc, universe);
  }
  // Per chunk of documents, a counting sort of their (list, document) pairs, then one append
  // per list: each list is touched once per chunk instead of once per posting.
  const std::size_t terms = kGramTerms + public_tag_count_.size();
  std::vector<uint32_t> start(terms + 1), seen(terms, kNone), postings;
  constexpr std::size_t kChunk = 1 << 15;
  for (std::size_t c0 = 0; c0 < pending_.size(); c0 += kChunk) {
    std::span<const uint32_t> chunk(pending_.data() + c0, std::min(kChunk, pending_.size() - c0));
    auto for_each_term = [&](uint32_t doc, auto&& fn) {
      std::string_view lid = lowercase_id(doc);
      for (std::size_t i = 0; i < lid.size(); ++i)
        for (std::size_t n = 1; n <= 3 && i + n <= lid.size(); ++n) fn(gram_id(lid.substr(i, n)));
      for (uint32_t t : tags_of(doc)) fn(kGramTerms + t);
    };
    std::fill(start.begin(), start.end(), 0);
    for (uint32_t doc : chunk)
      for_each_term(doc, [&](uint32_t t) {
        if (seen[t] != doc) ++start[t + 1];
        seen[t] = doc;
      });
    for (std::size_t t = 0; t < terms; ++t) start[t + 1] += start[t];
    postings.resize(start[terms]);
    std::vector<uint32_t> fill_at(start.begin(), start.end() - 1);
    std::fill(seen.begin(), seen.end(), kNone);
    for (uint32_t doc : chunk)
      for_each_term(doc, [&](uint32_t t) {
        if (seen[t] != doc) postings[fill_at[t]++] = doc;
        seen[t] = doc;
      });
    std::fill(seen.begin(), seen.end(), kNone);
    for (std::size_t t = 0; t < terms; ++t) {
      if (start[t] == start[t + 1]) continue;
      PostingList& l = t < kGramTerms ? list(gram_lists_, static_cast<uint32_t>(t))
                                      : list(tag_lists_, static_cast<uint32_t>(t - kGramTerms));
      l.append(postings.data() + start[t], start[t + 1] - start[t], universe);
    }
    for (uint32_t doc : chunk) hot_[doc].flags &= static_cast<uint8_t>(~kPending);
  }
  pending_.clear();
}

}  // namespace wharf::hub::catalog
