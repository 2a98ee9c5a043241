// Query plans of a shard. Two ways to find the first page after a cursor:
// - walk: go down the sort order from the cursor and check each document against every
//   filter, until the page is full. Cheap when matches are common.
// - top of candidates: intersect the posting lists of the filters (tags, author, pipeline,
//   library, gated, id n-grams of the search), check each candidate that would enter the
//   page and keep the best `want` in a bounded heap. Cheap when matches are rare; its cost
//   is bounded by the lists' sizes whatever the order.
// The planner estimates the matches (filters taken as independent) and picks the cheaper;
// a walk that has checked many documents without filling the page hands over to the
// candidates, so a wrong estimate (correlated filters) costs little.
#include <string.h>

#include <algorithm>
#include <cmath>

#include "hub/catalog_shard.h"

namespace wharf::hub::catalog {
namespace {

// What a walk check costs in candidates from the lists (measured on the benchmark: a check
// is a few cache misses, prefetched; a candidate one, plus its share of the intersection).
constexpr double kCandidatesPerCheck = 4;
constexpr std::size_t kMinWalkBudget = 256;
constexpr std::size_t kMaxWalkBudget = 16384;
constexpr std::size_t kMaxGramLists = 4;

}  // namespace

struct Shard::Plan {
  const Selection* sel = nullptr;
  int sort = 0;
  std::vector<const PostingList*> lists;  // every candidate is in all of them
  std::vector<uint32_t> tags;             // tag ids, distinct
  uint32_t ns = kNone, pipeline = kNone, library = kNone;
  std::optional<bool> gated;
  double estimate = 0;  // expected matches
};

bool Shard::matches(const Plan& p, uint32_t doc, const Vocabulary& v) const {
  const Hot& h = hot_[doc];
  if (p.ns != kNone && h.ns != p.ns) return false;
  if (p.pipeline != kNone && h.pipeline != p.pipeline) return false;
  if (p.library != kNone && h.library != p.library) return false;
  if (p.gated && ((h.flags & kGated) != 0) != *p.gated) return false;
  if (!p.tags.empty()) {
    auto tags = tags_of(doc);
    for (uint32_t t : p.tags)
      if (std::find(tags.begin(), tags.end(), t) == tags.end()) return false;
  }
  const std::string& needle = p.sel->needle;
  if (!needle.empty()) {
    auto lid = lowercase_id(doc);
    if (!memmem(lid.data(), lid.size(), needle.data(), needle.size())) return false;
  }
  if (h.flags & kPrivate) {
    const auto& may_see = p.sel->query->may_see_private;
    if (!may_see || !may_see(entry(doc, v))) return false;
  }
  return true;
}

bool Shard::walk(const Plan& p, std::size_t budget, std::vector<uint32_t>& out,
                 const Vocabulary& v) const {
  const auto& ord = order_[static_cast<std::size_t>(p.sort)];
  std::size_t i = 0, end = ord.size();
  if (p.sel->after)
    i = static_cast<std::size_t>(
        std::partition_point(
            ord.begin(), ord.end(),
            [&](uint32_t d) { return !after_position(p.sort, *p.sel->after, d); }) -
        ord.begin());
  end = std::min(end, i + budget);
  // Each check is a few cache misses in random places: ask for them well ahead, so that they
  // overlap instead of following one another.
  const bool tags = !p.tags.empty(), search = !p.sel->needle.empty();
  for (std::size_t k = i; k < std::min(end, i + 8); ++k) __builtin_prefetch(&hot_[ord[k]]);
  for (; i < end && out.size() < p.sel->want; ++i) {
    if (i + 16 < end) __builtin_prefetch(&hot_[ord[i + 16]]);
    if (i + 8 < end) {
      const Hot& ahead = hot_[ord[i + 8]];
      if (tags) __builtin_prefetch(tag_arena_.data() + ahead.tag_off);
      if (search) __builtin_prefetch(blob_arena_.data() + ahead.blob_off);
    }
    if (matches(p, ord[i], v)) out.push_back(ord[i]);
  }
  return out.size() >= p.sel->want || i == ord.size();
}

void Shard::top_of_candidates(const Plan& p, std::vector<uint32_t>& out,
                              const Vocabulary& v) const {
  // A max-heap in sort order: its front is the last of the best `want` so far.
  std::vector<uint32_t>& heap = out;
  auto order_less = [&](uint32_t a, uint32_t b) { return before(p.sort, a, b); };
  const std::size_t want = p.sel->want;
  auto consider = [&](uint32_t doc) {
    if (p.sel->after && !after_position(p.sort, *p.sel->after, doc)) return;
    if (heap.size() == want && !before(p.sort, doc, heap.front())) return;
    if (!matches(p, doc, v)) return;  // the costly checks only for what would enter the page
    if (heap.size() == want) {
      std::pop_heap(heap.begin(), heap.end(), order_less);
      heap.back() = doc;
    } else {
      heap.push_back(doc);
    }
    std::push_heap(heap.begin(), heap.end(), order_less);
  };
  // The sort key of each candidate (8 bytes: a counter, or the id's prefix) is one random
  // read: prefetched a few candidates ahead.
  static_assert(sizeof(prefix_[0]) == 8 && sizeof(keys_[0][0]) == 8);
  const char* keys =
      p.sort == 0
          ? reinterpret_cast<const char*>(prefix_.data())
          : reinterpret_cast<const char*>(keys_[static_cast<std::size_t>(p.sort - 1)].data());
  auto run = [&](const uint32_t* docs, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 16 < n) {
        __builtin_prefetch(keys + 8 * std::size_t{docs[i + 16]});
        __builtin_prefetch(&repo_id_[docs[i + 16]]);  // ties are common (most counters are 0)
      }
      consider(docs[i]);
    }
  };
  uint32_t batch[1024];
  if (p.lists.empty()) {
    std::size_t n = 0;
    for (uint32_t d = 0; d < hot_.size(); ++d) {
      if (hot_[d].flags & kAlive) batch[n++] = d;
      if (n == std::size(batch) || d + 1 == hot_.size()) {
        run(batch, n);
        n = 0;
      }
    }
  } else {
    Intersection candidates(p.lists);
    while (std::size_t n = candidates.next(batch, std::size(batch))) run(batch, n);
  }
  std::sort_heap(heap.begin(), heap.end(), order_less);
}

std::vector<uint32_t> Shard::select(const Selection& s, const Vocabulary& v) const {
  std::vector<uint32_t> out;
  if (alive_ == 0) return out;
  const CatalogQuery& q = *s.query;
  Plan p;
  p.sel = &s;
  p.sort = static_cast<int>(q.sort);
  const double n = alive_;
  p.estimate = n;
  // A filter nobody carries: the answer is empty whatever else.
  auto require = [&](const std::vector<std::unique_ptr<PostingList>>& lists,
                     std::optional<uint32_t> id) {
    const PostingList* l = id && *id < lists.size() ? lists[*id].get() : nullptr;
    if (!l || l->empty()) return false;
    p.lists.push_back(l);
    p.estimate *= l->size() / n;
    return true;
  };
  if (!s.author.empty()) {
    auto id = v.namespaces.find(s.author);
    if (!require(ns_lists_, id)) return out;
    p.ns = *id;
  }
  for (const auto& tag : q.tags) {
    auto id = v.tags.find(tag);
    if (id && std::find(p.tags.begin(), p.tags.end(), *id) != p.tags.end()) continue;
    if (!require(tag_lists_, id)) return out;
    p.tags.push_back(*id);
  }
  if (!q.pipeline_tag.empty()) {
    auto id = v.pipelines.find(q.pipeline_tag);
    if (!require(pipeline_lists_, id)) return out;
    p.pipeline = *id;
  }
  if (!q.library_name.empty()) {
    auto id = v.libraries.find(q.library_name);
    if (!require(library_lists_, id)) return out;
    p.library = *id;
  }
  if (q.gated) {
    p.gated = *q.gated;
    if (*q.gated) {
      if (gated_list_.empty()) return out;
      p.lists.push_back(&gated_list_);
      p.estimate *= gated_list_.size() / n;
    }
  }
  if (!s.needle.empty()) {
    std::vector<const PostingList*> grams;
    const std::string& needle = s.needle;
    std::size_t width = std::min<std::size_t>(needle.size(), 3);
    for (std::size_t i = 0; i + width <= needle.size(); ++i) {
      uint32_t g = gram_id(std::string_view(needle).substr(i, width));
      const PostingList* l = g < gram_lists_.size() ? gram_lists_[g].get() : nullptr;
      if (!l || l->empty()) return out;
      if (std::find(grams.begin(), grams.end(), l) == grams.end()) grams.push_back(l);
    }
    std::sort(grams.begin(), grams.end(),
              [](const auto* a, const auto* b) { return a->size() < b->size(); });
    if (grams.size() > kMaxGramLists) grams.resize(kMaxGramLists);
    // The grams of one string are far from independent, nor fully dependent: the rarest
    // counts in full, the next one by its square root.
    p.estimate *= grams.front()->size() / n;
    if (grams.size() > 1) p.estimate *= std::sqrt(grams[1]->size() / n);
    p.lists.insert(p.lists.end(), grams.begin(), grams.end());
  }

  double checks = static_cast<double>(s.want) * n / std::max(p.estimate, 1.0);
  double driver = n;
  for (const auto* l : p.lists) driver = std::min<double>(driver, l->size());
  out.reserve(std::min<std::size_t>(s.want, alive_));
  if (!p.lists.empty() && driver <= checks * kCandidatesPerCheck) {
    top_of_candidates(p, out, v);
    return out;
  }
  auto budget = static_cast<std::size_t>(
      std::clamp(4 * checks, double{kMinWalkBudget}, double{kMaxWalkBudget}));
  if (walk(p, budget, out, v)) return out;
  out.clear();
  top_of_candidates(p, out, v);
  return out;
}

}  // namespace wharf::hub::catalog
