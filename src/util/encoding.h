// Byte encodings: hex, base64, percent-encoding, and query strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wharf {

std::string to_hex(std::string_view bytes);  // lowercase
// True when `s` has exactly `len` characters, all lowercase hex (len 0: any length >= 1).
bool is_lower_hex(std::string_view s, std::size_t len = 0);

// Standard base64 (RFC 4648, with padding). decode returns nullopt for invalid input
// (bad characters, bad padding, bad length); it accepts no whitespace.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// Percent-decoding of one URL component ("%2F" -> "/"); '+' stays '+'. nullopt when a '%'
// is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view s);
// Form decoding: as percent_decode, and '+' becomes ' '.
std::optional<std::string> form_decode(std::string_view s);
// Encodes everything but unreserved characters (A-Z a-z 0-9 - _ . ~); with keep_slash, '/' too.
std::string percent_encode(std::string_view s, bool keep_slash = false);

// Of an absolute URL: its origin ("https://host:port") and the path after it ("/hf" for
// https://host/hf, "" for https://host). Both "" when the URL has no scheme.
std::string url_origin(std::string_view url);
std::string url_path(std::string_view url);

// An ordered multimap of decoded query (or form) parameters.
class QueryParams {
 public:
  // Parses "a=1&b=x%20y&a=2". Keys "k[]" are stored as "k" (spec §1.3). Undecodable pairs are dropped.
  static QueryParams parse(std::string_view query);
  std::optional<std::string> get(std::string_view key) const;   // the first value
  std::vector<std::string> all(std::string_view key) const;      // every value, in order
  bool has(std::string_view key) const;
  // Parses true|True|1 as true and false|False|0|"" as false; absent gives `fallback`.
  bool flag(std::string_view key, bool fallback = false) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  // Re-encodes the parameters, replacing (or adding) `key` with `value` (for Link cursors).
  std::string with(std::string_view key, std::string_view value) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace wharf
