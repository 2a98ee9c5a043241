#include "hub/catalog_postings.h"

#include <algorithm>
#include <array>
#include <bit>

namespace wharf::hub::catalog {
namespace {

std::size_t put_varint(uint8_t* out, uint32_t v) {
  std::size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  out[n++] = static_cast<uint8_t>(v);
  return n;
}

uint32_t get_varint(const uint8_t* bytes, std::size_t& pos) {
  uint32_t v = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = bytes[pos++];
    v |= static_cast<uint32_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

}  // namespace

std::size_t PostingList::block_of(uint32_t doc) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), doc,
                             [](uint32_t d, const Block& b) { return d < b.first; });
  return it == blocks_.begin() ? 0 : static_cast<std::size_t>(it - blocks_.begin()) - 1;
}

void PostingList::decode_block(std::size_t b, std::vector<uint32_t>& out) const {
  const Block& block = blocks_[b];
  out.resize(block.count);
  out[0] = block.first;
  std::size_t pos = block.offset;
  for (uint32_t i = 1; i < block.count; ++i) out[i] = out[i - 1] + get_varint(bytes_.data(), pos);
}

void PostingList::rewrite_block(std::size_t b, const std::vector<uint32_t>& values) {
  std::size_t begin = blocks_[b].offset, end = block_end(b);
  // Up to two blocks' deltas, five bytes each at most.
  std::array<uint8_t, 2 * kBlockSize * 5> enc;
  std::size_t len = 0, split_at = values.size(), second_offset = 0;
  if (values.size() > kBlockSize) split_at = values.size() / 2;
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (i == split_at) {
      second_offset = len;
      continue;  // the second block's first value is stored in its header
    }
    len += put_varint(enc.data() + len, values[i] - values[i - 1]);
  }
  auto delta = static_cast<std::ptrdiff_t>(len) - static_cast<std::ptrdiff_t>(end - begin);
  if (delta > 0)
    bytes_.insert(bytes_.begin() + static_cast<std::ptrdiff_t>(end),
                  static_cast<std::size_t>(delta), 0);
  if (delta < 0)
    bytes_.erase(bytes_.begin() + static_cast<std::ptrdiff_t>(begin + len),
                 bytes_.begin() + static_cast<std::ptrdiff_t>(end));
  std::copy(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(len),
            bytes_.begin() + static_cast<std::ptrdiff_t>(begin));
  std::size_t after = b + 1;
  if (values.empty()) {
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
    after = b;
  } else {
    blocks_[b].first = values[0];
    blocks_[b].count = static_cast<uint32_t>(std::min(split_at, values.size()));
    if (split_at < values.size()) {
      Block second{values[split_at], static_cast<uint32_t>(begin + second_offset),
                   static_cast<uint32_t>(values.size() - split_at)};
      blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b + 1), second);
      after = b + 2;
    }
  }
  for (std::size_t i = after; i < blocks_.size(); ++i)
    blocks_[i].offset =
        static_cast<uint32_t>(static_cast<std::ptrdiff_t>(blocks_[i].offset) + delta);
}

bool PostingList::insert(uint32_t doc, uint32_t universe) {
  if (dense_) {
    std::size_t w = doc >> 6;
    if (w >= bits_.size()) bits_.resize(std::max<std::size_t>(w + 1, (universe + 63) / 64), 0);
    uint64_t m = uint64_t{1} << (doc & 63);
    if (bits_[w] & m) return false;
    bits_[w] |= m;
  } else if (size_ == 0 || doc > last_) {
    push_back(doc);  // the common case (new documents take the next index): no decoding
    reshape(universe);
    return true;
  } else {
    if (doc == last_) return false;
    std::size_t b = block_of(doc);
    std::vector<uint32_t> values;
    decode_block(b, values);
    auto it = std::lower_bound(values.begin(), values.end(), doc);
    if (it != values.end() && *it == doc) return false;
    values.insert(it, doc);
    rewrite_block(b, values);
  }
  ++size_;
  reshape(universe);
  return true;
}

void PostingList::push_back(uint32_t doc) {
  if (size_ == 0 || blocks_.back().count >= kBlockSize) {
    blocks_.push_back({doc, static_cast<uint32_t>(bytes_.size()), 1});
  } else {
    uint8_t enc[5];
    bytes_.insert(bytes_.end(), enc, enc + put_varint(enc, doc - last_));
    ++blocks_.back().count;
  }
  last_ = doc;
  ++size_;
}

void PostingList::append(const uint32_t* docs, std::size_t n, uint32_t universe) {
  if (n == 0) return;
  if (dense_ || (size_ > 0 && docs[0] <= last_)) {
    for (std::size_t i = 0; i < n; ++i) insert(docs[i], universe);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) push_back(docs[i]);
  reshape(universe);
}

bool PostingList::erase(uint32_t doc, uint32_t universe) {
  if (dense_) {
    std::size_t w = doc >> 6;
    uint64_t m = uint64_t{1} << (doc & 63);
    if (w >= bits_.size() || !(bits_[w] & m)) return false;
    bits_[w] &= ~m;
  } else {
    if (size_ == 0 || doc > last_) return false;
    std::size_t b = block_of(doc);
    std::vector<uint32_t> values;
    decode_block(b, values);
    auto it = std::lower_bound(values.begin(), values.end(), doc);
    if (it == values.end() || *it != doc) return false;
    values.erase(it);
    // Merge a shrunken block into its successor so that blocks stay reasonably full.
    if (values.size() < kBlockSize / 8 && b + 1 < blocks_.size() &&
        values.size() + blocks_[b + 1].count <= kBlockSize) {
      std::vector<uint32_t> next;
      decode_block(b + 1, next);
      values.insert(values.end(), next.begin(), next.end());
      rewrite_block(b + 1, {});
    }
    rewrite_block(b, values);
    if (doc == last_ && !blocks_.empty()) {
      decode_block(blocks_.size() - 1, values);
      last_ = values.back();
    }
  }
  --size_;
  reshape(universe);
  return true;
}

bool PostingList::contains(uint32_t doc) const {
  if (dense_) {
    std::size_t w = doc >> 6;
    return w < bits_.size() && (bits_[w] >> (doc & 63) & 1);
  }
  if (size_ == 0 || doc > last_) return false;
  const Block& block = blocks_[block_of(doc)];
  uint32_t v = block.first;
  std::size_t pos = block.offset;
  for (uint32_t i = 1; i < block.count && v < doc; ++i) v += get_varint(bytes_.data(), pos);
  return v == doc;
}

void PostingList::reshape(uint32_t universe) {
  // Hysteresis (1/16 up, 1/64 down) so that a list at the border does not flip back and forth.
  if (!dense_ && uint64_t{size_} * 16 > universe)
    to_dense(universe);
  else if (dense_ && uint64_t{size_} * 64 < universe)
    to_sparse();
}

void PostingList::to_dense(uint32_t universe) {
  std::vector<uint64_t> bits((universe + 63) / 64, 0);
  std::vector<uint32_t> values;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    decode_block(b, values);
    for (uint32_t v : values) bits[v >> 6] |= uint64_t{1} << (v & 63);
  }
  bits_ = std::move(bits);
  std::vector<Block>().swap(blocks_);
  std::vector<uint8_t>().swap(bytes_);
  dense_ = true;
}

void PostingList::to_sparse() {
  std::vector<uint64_t> bits = std::move(bits_);
  bits_.clear();
  bits_.shrink_to_fit();
  dense_ = false;
  size_ = 0;
  for (std::size_t w = 0; w < bits.size(); ++w)
    for (uint64_t word = bits[w]; word; word &= word - 1)
      insert(static_cast<uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word))),
             0xffffffffu);
}

PostingCursor::PostingCursor(const PostingList& list) : list_(&list) {
  if (!list.dense_ && !list.blocks_.empty()) load_block(0);
}

void PostingCursor::load_block(std::size_t b) {
  const auto& block = list_->blocks_[b];
  const uint8_t* bytes = list_->bytes_.data();
  block_ = b;
  count_ = block.count;
  pos_ = 0;
  values_[0] = block.first;
  std::size_t at = block.offset;
  for (uint32_t i = 1; i < count_; ++i) values_[i] = values_[i - 1] + get_varint(bytes, at);
}

uint32_t PostingCursor::seek_dense(uint32_t target) const {
  const auto& bits = list_->bits_;
  std::size_t w = target >> 6;
  if (w >= bits.size()) return kNoDoc;
  uint64_t word = bits[w] & (~uint64_t{0} << (target & 63));
  while (!word) {
    if (++w >= bits.size()) return kNoDoc;
    word = bits[w];
  }
  return static_cast<uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
}

uint32_t PostingCursor::seek(uint32_t target) {
  if (list_->dense_) return seek_dense(target);
  if (pos_ >= count_) return kNoDoc;  // past the end
  if (values_[pos_] >= target) return values_[pos_];
  if (values_[count_ - 1] < target) {
    // Not in this block. `next`: the first block that starts above target; the one before
    // it (if past ours) may hold target, else `next` starts with the answer.
    const auto& blocks = list_->blocks_;
    auto it = std::upper_bound(blocks.begin() + static_cast<std::ptrdiff_t>(block_ + 1),
                               blocks.end(), target,
                               [](uint32_t t, const PostingList::Block& b) { return t < b.first; });
    auto next = static_cast<std::size_t>(it - blocks.begin());
    bool found = false;
    if (next > block_ + 1) {
      load_block(next - 1);
      found = values_[count_ - 1] >= target;
    }
    if (!found) {
      if (next >= blocks.size()) {
        pos_ = count_;
        return kNoDoc;
      }
      load_block(next);
      return values_[0];
    }
  }
  while (values_[pos_] < target) ++pos_;
  return values_[pos_];
}

Intersection::Intersection(std::vector<const PostingList*> lists) : lists_(std::move(lists)) {
  std::sort(lists_.begin(), lists_.end(),
            [](const PostingList* a, const PostingList* b) { return a->size() < b->size(); });
  all_dense_ =
      std::all_of(lists_.begin(), lists_.end(), [](const PostingList* l) { return l->dense(); });
  // Sparse lists leapfrog (each skips to the others' next value); a dense list cannot beat a
  // sparse one at that, and is checked one bit per candidate instead.
  for (const auto* l : lists_) {
    if (!l->dense())
      cursors_.emplace_back(*l);
    else if (!all_dense_)
      bitmaps_.push_back(&l->bits_);
  }
  done_ = lists_.empty();
}

bool Intersection::in_bitmaps(uint32_t doc) const {
  std::size_t w = doc >> 6;
  for (const auto* bits : bitmaps_)
    if (w >= bits->size() || !((*bits)[w] >> (doc & 63) & 1)) return false;
  return true;
}

std::size_t Intersection::next(uint32_t* out, std::size_t cap) {
  if (done_) return 0;
  if (all_dense_) return next_dense(out, cap);
  std::size_t n = 0, m = cursors_.size();
  uint32_t x = next_target_;
  while (n < cap) {
    x = cursors_[0].seek(x);
    if (x == kNoDoc) {
      done_ = true;
      break;
    }
    std::size_t i = 1;
    for (; i < m; ++i) {
      uint32_t y = cursors_[i].seek(x);
      if (y != x) {
        x = y;
        break;
      }
    }
    if (i == m) {
      if (in_bitmaps(x)) out[n++] = x;
      ++x;
    } else if (x == kNoDoc) {
      done_ = true;
      break;
    }
  }
  next_target_ = x;
  return n;
}

std::size_t Intersection::next_dense(uint32_t* out, std::size_t cap) {
  // REQUIRES: cap >= 64 (a whole word is written at once).
  std::size_t words = lists_[0]->bits_.size();
  for (const auto* l : lists_) words = std::min(words, l->bits_.size());
  std::size_t n = 0;
  while (word_ < words && n + 64 <= cap) {
    uint64_t w = lists_[0]->bits_[word_];
    for (std::size_t i = 1; i < lists_.size() && w; ++i) w &= lists_[i]->bits_[word_];
    for (; w; w &= w - 1)
      out[n++] = static_cast<uint32_t>(word_ * 64 + static_cast<std::size_t>(std::countr_zero(w)));
    ++word_;
  }
  if (word_ >= words) done_ = true;
  return n;
}

}  // namespace wharf::hub::catalog
