// Reading card metadata safely: the field helpers that tag derivation (card_tags.cpp) and
// validation (card_validation.cpp) share. Internal to hub/card_*.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/card_tags.h"
#include "hub/repo_id.h"

namespace wharf::hub::card_detail {

using json = nlohmann::json;

// Elements of one card list looked at; the YAML parser bounds the card, this bounds the work
// per field on top of it.
constexpr std::size_t kMaxListItems = 10000;
constexpr std::size_t kMaxMetricsPerResult = 100;

constexpr std::array kRelations = {"adapter", "finetune", "merge", "quantized"};

inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += len;
  }
  return true;
}

inline std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A string usable as (part of) a tag: trimmed, non-empty, at most kMaxCardTagBytes, valid
// UTF-8 without control characters. Anything else (numbers, maps, lists) gives nullopt.
inline std::optional<std::string> clean_string(const json& v) {
  if (!v.is_string()) return std::nullopt;
  auto s = trim(v.get_ref<const std::string&>());
  if (s.empty() || s.size() > kMaxCardTagBytes || !valid_utf8(s)) return std::nullopt;
  if (std::ranges::any_of(s,
                          [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return std::nullopt;
  return std::string(s);
}

inline const json* field(const json& card, const char* key) {
  if (!card.is_object()) return nullptr;
  auto it = card.find(key);
  return it == card.end() || it->is_null() ? nullptr : &*it;
}

// The clean strings of a field that holds a string or a list of strings.
inline std::vector<std::string> strings_of(const json& card, const char* key) {
  std::vector<std::string> out;
  const json* v = field(card, key);
  if (!v) return out;
  if (v->is_string()) {
    if (auto s = clean_string(*v)) out.push_back(std::move(*s));
  } else if (v->is_array()) {
    std::size_t seen = 0;
    for (const auto& item : *v) {
      if (++seen > kMaxListItems) break;
      if (auto s = clean_string(item)) out.push_back(std::move(*s));
    }
  }
  return out;
}

inline std::string string_of(const json& card, const char* key) {
  const json* v = field(card, key);
  auto s = v ? clean_string(*v) : std::nullopt;
  return s ? *s : "";
}

// "name" or "namespace/name" with valid segments (repo ids in base_model and datasets).
inline bool looks_like_repo_id(std::string_view id) {
  auto slash = id.find('/');
  if (slash == std::string_view::npos) return !invalid_name_segment(id);
  return !invalid_name_segment(id.substr(0, slash)) && !invalid_name_segment(id.substr(slash + 1));
}

inline std::string lowercase(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace wharf::hub::card_detail
