// The order arrays of a shard: for each sort, every live document in the contract's order
// (numeric keys descending, ties by repo id descending; the id sort by lowercase "ns/name"
// ascending, ties by repo id ascending). Kept exact under every change: one document moves
// by binary search and a shift of the documents between its old and new place; many at once
// are taken out and merged back, or the whole order is sorted again.
#include <algorithm>

#include "hub/catalog_shard.h"

namespace wharf::hub::catalog {

bool Shard::before(int sort, uint32_t a, uint32_t b) const {
  if (sort == 0) {
    if (prefix_[a] != prefix_[b]) return prefix_[a] < prefix_[b];
    int c = lowercase_id(a).compare(lowercase_id(b));
    return c != 0 ? c < 0 : repo_id_[a] < repo_id_[b];
  }
  const auto& k = keys_[static_cast<std::size_t>(sort - 1)];
  return k[a] != k[b] ? k[a] > k[b] : repo_id_[a] > repo_id_[b];
}

bool Shard::after_position(int sort, const Position& p, uint32_t doc) const {
  if (sort == 0) {
    int c = std::string_view(p.text).compare(lowercase_id(doc));
    return c != 0 ? c < 0 : p.id < repo_id_[doc];
  }
  int64_t k = keys_[static_cast<std::size_t>(sort - 1)][doc];
  return p.number != k ? p.number > k : p.id > repo_id_[doc];
}

std::size_t Shard::locate(int sort, uint32_t doc) const {
  const auto& ord = order_[static_cast<std::size_t>(sort)];
  auto it = std::partition_point(ord.begin(), ord.end(),
                                 [&](uint32_t u) { return before(sort, u, doc); });
  return static_cast<std::size_t>(it - ord.begin());
}

void Shard::order_insert(int sort, uint32_t doc) {
  auto& ord = order_[static_cast<std::size_t>(sort)];
  ord.insert(ord.begin() + static_cast<std::ptrdiff_t>(locate(sort, doc)), doc);
}

void Shard::reposition(int sort, std::size_t pos) {
  auto& ord = order_[static_cast<std::size_t>(sort)];
  uint32_t doc = ord[pos];
  auto first = ord.begin(), at = ord.begin() + static_cast<std::ptrdiff_t>(pos);
  auto is_before_doc = [&](uint32_t u) { return before(sort, u, doc); };
  if (pos > 0 && before(sort, doc, ord[pos - 1])) {
    auto to = std::partition_point(first, at, is_before_doc);
    std::rotate(to, at, at + 1);
  } else if (pos + 1 < ord.size() && before(sort, ord[pos + 1], doc)) {
    auto to = std::partition_point(at + 1, ord.end(), is_before_doc);
    std::rotate(at, at + 1, to);
  }
}

std::vector<uint32_t> Shard::live_docs() const {
  std::vector<uint32_t> docs;
  docs.reserve(alive_);
  for (uint32_t d = 0; d < hot_.size(); ++d)
    if (hot_[d].flags & kAlive) docs.push_back(d);
  return docs;
}

void Shard::rebuild_order(int sort, const std::vector<uint32_t>& docs) {
  auto& ord = order_[static_cast<std::size_t>(sort)];
  ord.clear();
  ord.reserve(docs.size() + docs.size() / 8 + 1024);  // room for new documents without a copy
  if (sort == 0) {
    // Sorting (prefix, doc) pairs keeps most comparisons inside the array.
    std::vector<std::pair<uint64_t, uint32_t>> rows;
    rows.reserve(docs.size());
    for (uint32_t d : docs) rows.emplace_back(prefix_[d], d);
    std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : before(0, a.second, b.second);
    });
    for (const auto& r : rows) ord.push_back(r.second);
    return;
  }
  struct Row {
    int64_t key, id;
    uint32_t doc;
  };
  const auto& keys = keys_[static_cast<std::size_t>(sort - 1)];
  std::vector<Row> rows;
  rows.reserve(docs.size());
  for (uint32_t d : docs) rows.push_back({keys[d], repo_id_[d], d});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.key != b.key ? a.key > b.key : a.id > b.id;
  });
  for (const auto& r : rows) ord.push_back(r.doc);
}

void Shard::reinsert(int sort, std::vector<uint32_t> docs) {
  // REQUIRES: docs distinct. Take them out, then merge them back from the end: each one's
  // place is a binary search in the part not yet moved.
  auto& ord = order_[static_cast<std::size_t>(sort)];
  std::vector<uint8_t> moving(hot_.size(), 0);
  for (uint32_t d : docs) moving[d] = 1;
  std::erase_if(ord, [&](uint32_t d) { return moving[d] != 0; });
  std::sort(docs.begin(), docs.end(), [&](uint32_t a, uint32_t b) { return before(sort, a, b); });
  std::size_t kept = ord.size();
  ord.resize(kept + docs.size());
  std::size_t write = ord.size();
  for (auto it = docs.rbegin(); it != docs.rend(); ++it) {
    auto at = std::partition_point(ord.begin(), ord.begin() + static_cast<std::ptrdiff_t>(kept),
                                   [&](uint32_t u) { return before(sort, u, *it); });
    auto pos = static_cast<std::size_t>(at - ord.begin());
    std::move_backward(at, ord.begin() + static_cast<std::ptrdiff_t>(kept),
                       ord.begin() + static_cast<std::ptrdiff_t>(write));
    write -= kept - pos;
    ord[--write] = *it;
    kept = pos;
  }
}

}  // namespace wharf::hub::catalog
