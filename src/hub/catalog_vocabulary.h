// The strings the catalog's shards share (hub/catalog_shard.h): tags, pipeline tags,
// libraries, namespaces, gated values and sdks, each stored once and named by a dense id.
// Not thread-safe by itself: the catalog's lock guards it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace wharf::hub::catalog {

// Strings to dense ids and back. Ids are never reused. The characters live in large chunks
// that never move and the table is one array: a hundred thousand namespaces cost a few
// allocations, not hundreds of thousands scattered over the heap.
class Interner {
 public:
  uint32_t intern(std::string_view s);
  std::optional<uint32_t> find(std::string_view s) const;
  std::string_view str(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(strings_.size()); }

 private:
  std::optional<uint32_t> find(std::string_view s, uint64_t hash) const;
  void place(uint32_t id, uint64_t hash);
  void grow();

  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_size_ = 0, chunk_left_ = 0;
  std::vector<std::string_view> strings_;  // by id, into chunks_
  // Open addressing: the high half of the hash (most misses end here) and the id; ~0 free.
  std::vector<uint64_t> slots_;
  static constexpr uint32_t kNoId = 0xffffffffu;
  uint32_t empty_id_ = kNoId;
};

struct Vocabulary {
  Interner tags;
  Interner pipelines;
  Interner libraries;
  Interner namespaces;  // lowercase, for the author filter
  Interner words;       // namespaces as spelled, gated values, sdks
  // For a namespace as spelled (a words id): its lowercase namespaces id, kNoNamespace until
  // first needed. Saves hashing the namespace twice per repo.
  static constexpr uint32_t kNoNamespace = 0xffffffffu;
  std::vector<uint32_t> lowercase_namespace;
};

}  // namespace wharf::hub::catalog
