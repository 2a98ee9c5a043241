// The tools of the catalog generator: a seeded random source, a set of 64-bit keys, and
// writers for the little JSON it makes. Private to catalog_generator*.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::hub::catalog_detail {

inline uint64_t mix64(uint64_t x) {  // splitmix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// xoshiro256**: fast, and the same sequence on every platform and standard library (the
// std distributions are not), which the generator's determinism needs.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& w : s_) w = seed = mix64(seed);
  }
  uint64_t next() {
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n); n > 0.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in (0, 1].
  double unit() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
  bool chance(double p) { return unit() <= p; }
  double normal() {  // Box-Muller, one of the pair
    return std::sqrt(-2.0 * std::log(unit())) * std::cos(6.283185307179586 * unit());
  }
  // Pareto with scale 1 and shape `alpha`, minus 1: 0 or more, with a long tail.
  double pareto0(double alpha) { return std::pow(unit(), -1.0 / alpha) - 1.0; }
  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// A set of 64-bit keys (hashes), open addressing: a quarter of the memory of
// std::unordered_set, which matters at millions of keys.
class KeySet {
 public:
  // False when the key was already there.
  bool insert(uint64_t key) {
    if (key == 0) key = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return false;
      if (slots_[i] == 0) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  std::size_t size() const { return size_; }

 private:
  void grow() {
    std::vector<uint64_t> old(std::max<std::size_t>(64, slots_.size() * 2), 0);
    old.swap(slots_);
    size_ = 0;
    for (uint64_t k : old)
      if (k) insert(k);
  }
  std::vector<uint64_t> slots_;
  std::size_t size_ = 0;
};

// FNV-1a over the ASCII-lowercased bytes of the parts, with a separator between them, then
// mixed: the store compares names with NOCASE, which folds ASCII only.
inline uint64_t key_of(std::initializer_list<std::string_view> parts) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (auto part : parts) {
    for (char c : part) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u - 'A' + 'a');
      h = (h ^ u) * 0x100000001b3ULL;
    }
    h = (h ^ 0x1f) * 0x100000001b3ULL;
  }
  return mix64(h);
}

inline void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

// A JSON object written field by field.
class JsonObject {
 public:
  JsonObject& string(std::string_view key, std::string_view value) {
    name(key);
    append_json_string(out_, value);
    return *this;
  }
  JsonObject& strings(std::string_view key, const std::vector<std::string>& values) {
    name(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      append_json_string(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  JsonObject& raw(std::string_view key, std::string_view json) {
    name(key);
    out_ += json;
    return *this;
  }
  bool empty() const { return out_.size() == 1; }
  std::string finish() && {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void name(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    append_json_string(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

// Tags as derive_card returns them: sorted and unique, written as a JSON array.
class TagList {
 public:
  void add(std::string_view tag) {
    if (!tag.empty()) tags_.emplace_back(tag);
  }
  void add(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    t += value;
    tags_.push_back(std::move(t));
  }
  std::string json() && {
    std::sort(tags_.begin(), tags_.end());
    tags_.erase(std::unique(tags_.begin(), tags_.end()), tags_.end());
    std::string out = "[";
    for (std::size_t i = 0; i < tags_.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, tags_[i]);
    }
    out += ']';
    return out;
  }

 private:
  std::vector<std::string> tags_;
};

}  // namespace wharf::hub::catalog_detail
