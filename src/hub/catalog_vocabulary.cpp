#include "hub/catalog_vocabulary.h"

#include <cstring>
#include <functional>

namespace wharf::hub::catalog {
namespace {

constexpr uint64_t kFree = ~uint64_t{0};
constexpr std::size_t kChunk = 64 * 1024;

uint64_t hash_of(std::string_view s) { return std::hash<std::string_view>{}(s); }

}  // namespace

std::optional<uint32_t> Interner::find(std::string_view s, uint64_t hash) const {
  if (slots_.empty()) return std::nullopt;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == kFree) return std::nullopt;
    auto id = static_cast<uint32_t>(slot);
    if (slot >> 32 == hash >> 32 && strings_[id] == s) return id;
  }
}

std::optional<uint32_t> Interner::find(std::string_view s) const { return find(s, hash_of(s)); }

uint32_t Interner::intern(std::string_view s) {
  if (s.empty() && empty_id_ != kNoId) return empty_id_;  // "" is the common gated value and sdk
  uint64_t hash = hash_of(s);
  if (auto id = find(s, hash)) return *id;
  if ((strings_.size() + 1) * 2 > slots_.size()) grow();
  if (s.size() > chunk_left_) {
    chunk_size_ = std::max(kChunk, s.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_left_ = chunk_size_;
  }
  char* at = chunks_.back().get() + (chunk_size_ - chunk_left_);
  if (!s.empty()) std::memcpy(at, s.data(), s.size());
  chunk_left_ -= s.size();
  auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(at, s.size());
  place(id, hash);
  if (s.empty()) empty_id_ = id;
  return id;
}

void Interner::place(uint32_t id, uint64_t hash) {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != kFree) i = (i + 1) & mask;
  slots_[i] = (hash >> 32 << 32) | id;
}

void Interner::grow() {
  slots_.assign(std::max<std::size_t>(64, slots_.size() * 2), kFree);
  for (uint32_t id = 0; id < strings_.size(); ++id) place(id, hash_of(strings_[id]));
}

}  // namespace wharf::hub::catalog
