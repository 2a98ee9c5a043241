// Posting lists of the catalog (hub/catalog): the sorted set of documents (dense per-type
// indices) that carry one tag, namespace, pipeline tag, library or id n-gram.
//
// Two shapes, chosen by density so that memory stays near one byte per posting or less:
// - sparse: blocks of at most kBlockSize values, each a first value plus varint deltas;
//   inserting or erasing re-encodes one block;
// - dense (more than 1/16 of the universe): a bitmap, one bit test per candidate.
// The universe is the number of document slots of the type; it only grows.
//
// Not thread-safe by itself: the catalog's lock guards every list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wharf::hub::catalog {

inline constexpr uint32_t kNoDoc = 0xffffffffu;

class PostingList {
 public:
  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool dense() const { return dense_; }

  // Adds `doc`; false when it was there. `universe` > doc is the slot count of the type.
  bool insert(uint32_t doc, uint32_t universe);
  // Adds docs[0..n), ascending (the bulk load): appended without decoding when they all
  // follow the last value.
  void append(const uint32_t* docs, std::size_t n, uint32_t universe);
  // Removes `doc`; false when it was not there.
  bool erase(uint32_t doc, uint32_t universe);
  bool contains(uint32_t doc) const;

 private:
  friend class PostingCursor;
  friend class Intersection;
  static constexpr uint32_t kBlockSize = 128;
  struct Block {
    uint32_t first = 0;   // smallest value of the block
    uint32_t offset = 0;  // where its deltas start in bytes_
    uint32_t count = 0;   // values, first included
  };

  void push_back(uint32_t doc);              // REQUIRES: sparse, doc > every value
  std::size_t block_of(uint32_t doc) const;  // the block that holds or would hold doc
  std::size_t block_end(std::size_t b) const {
    return b + 1 < blocks_.size() ? blocks_[b + 1].offset : bytes_.size();
  }
  void decode_block(std::size_t b, std::vector<uint32_t>& out) const;
  // Replaces block b by the encoding of `values` (1..2*kBlockSize sorted values; split in two
  // when more than kBlockSize), or removes it when `values` is empty.
  void rewrite_block(std::size_t b, const std::vector<uint32_t>& values);
  void to_dense(uint32_t universe);
  void to_sparse();
  void reshape(uint32_t universe);

  std::vector<Block> blocks_;
  std::vector<uint8_t> bytes_;
  std::vector<uint64_t> bits_;  // dense_ only
  uint32_t size_ = 0;
  uint32_t last_ = 0;  // largest value (sparse, size_ > 0)
  bool dense_ = false;
};

// Forward iteration with skips, for intersections: seek(t) returns the first value >= t at
// or after the current position (kNoDoc at the end). Targets must not decrease.
class PostingCursor {
 public:
  explicit PostingCursor(const PostingList& list);
  uint32_t seek(uint32_t target);

 private:
  void load_block(std::size_t b);  // decodes block b into values_
  uint32_t seek_dense(uint32_t target) const;
  const PostingList* list_;
  std::size_t block_ = 0;  // the block in values_
  uint32_t values_[PostingList::kBlockSize];
  uint32_t count_ = 0, pos_ = 0;  // values_[pos_] is the current value
};

// The documents in every one of `lists` (none may be null or empty), ascending, in batches.
class Intersection {
 public:
  explicit Intersection(std::vector<const PostingList*> lists);
  // Writes up to `cap` next documents to out; 0 at the end.
  std::size_t next(uint32_t* out, std::size_t cap);

 private:
  std::size_t next_dense(uint32_t* out, std::size_t cap);
  bool in_bitmaps(uint32_t doc) const;
  std::vector<const PostingList*> lists_;              // smallest first
  std::vector<PostingCursor> cursors_;                 // of the sparse lists, smallest first
  std::vector<const std::vector<uint64_t>*> bitmaps_;  // of the dense lists: bit tests
  bool all_dense_ = false;
  std::size_t word_ = 0;  // all_dense_: next bitmap word
  uint32_t next_target_ = 0;
  bool done_ = false;
};

}  // namespace wharf::hub::catalog
