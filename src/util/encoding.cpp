#include "util/encoding.h"

#include <array>
#include <cstdint>

namespace wharf {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kUpperHexDigits[] = "0123456789ABCDEF";  // RFC 3986 prefers uppercase escapes
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of a hex digit of either case, or -1.
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 6-bit value of each base64 character; -1 for everything else (including '=').
constexpr std::array<int8_t, 256> make_base64_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kBase64Table = make_base64_table();

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::optional<std::string> decode_url(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xf]);
  }
  return out;
}

bool is_lower_hex(std::string_view s, std::size_t len) {
  if (s.empty() || (len != 0 && s.size() != len)) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(kBase64Alphabet[(v >> 6) & 63]);
    out.push_back(kBase64Alphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Strict: the length is a multiple of 4, '=' appears only as the last one or two characters,
// and the bits that padding discards are zero, so every byte string has one accepted encoding.
std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=')
    pad = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    std::size_t data_chars = last ? 4 - pad : 4;
    uint32_t v = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int d = 0;
      if (j < data_chars) {
        d = kBase64Table[static_cast<unsigned char>(text[i + j])];
        if (d < 0) return std::nullopt;
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<char>((v >> 16) & 0xff));
    if (data_chars >= 3) out.push_back(static_cast<char>((v >> 8) & 0xff));
    if (data_chars == 4) out.push_back(static_cast<char>(v & 0xff));
    // Non-zero discarded bits mean a non-canonical encoding ("QR==" for "A").
    if (data_chars == 2 && (v & 0xffff) != 0) return std::nullopt;
    if (data_chars == 3 && (v & 0xff) != 0) return std::nullopt;
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) { return decode_url(s, false); }

std::optional<std::string> form_decode(std::string_view s) { return decode_url(s, true); }

std::string percent_encode(std::string_view s, bool keep_slash) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kUpperHexDigits[c >> 4]);
      out.push_back(kUpperHexDigits[c & 0xf]);
    }
  }
  return out;
}

QueryParams QueryParams::parse(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto key = form_decode(pair.substr(0, eq));
    auto value =
        form_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) continue;
    // "expand[]=x" is the bracket form of "expand=x" (spec §1.3).
    if (key->size() > 2 && key->ends_with("[]")) key->resize(key->size() - 2);
    params.items_.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

std::optional<std::string> QueryParams::get(std::string_view key) const {
  for (const auto& [k, v] : items_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::vector<std::string> QueryParams::all(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [k, v] : items_) {
    if (k == key) values.push_back(v);
  }
  return values;
}

bool QueryParams::has(std::string_view key) const { return get(key).has_value(); }

bool QueryParams::flag(std::string_view key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  if (*v == "true" || *v == "True" || *v == "1") return true;
  if (*v == "false" || *v == "False" || *v == "0" || v->empty()) return false;
  return fallback;  // an unrecognised spelling says nothing either way
}

std::string QueryParams::with(std::string_view key, std::string_view value) const {
  std::string out;
  bool replaced = false;
  auto append = [&out](std::string_view k, std::string_view v) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(k);
    out.push_back('=');
    out += percent_encode(v);
  };
  for (const auto& [k, v] : items_) {
    if (k != key) {
      append(k, v);
    } else if (!replaced) {  // the first occurrence keeps its place, later ones go
      append(k, value);
      replaced = true;
    }
  }
  if (!replaced) append(key, value);
  return out;
}

std::string url_origin(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  return std::string(url.substr(0, url.find('/', scheme + 3)));
}

std::string url_path(std::string_view url) {
  auto origin = url_origin(url);
  return origin.empty() ? "" : std::string(url.substr(origin.size()));
}

}  // namespace wharf
