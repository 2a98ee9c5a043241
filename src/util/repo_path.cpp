#include "util/repo_path.h"

#include <cstdint>

namespace wharf {
namespace {

constexpr std::size_t kMaxPathBytes = 4096;

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is malformed:
// truncated, a stray continuation byte, an overlong form, a surrogate or above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned { return static_cast<unsigned char>(s[k]); };
  unsigned b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Checks byte-level rules: control characters, backslashes and UTF-8 well-formedness.
std::optional<std::string> invalid_bytes(std::string_view path) {
  for (std::size_t i = 0; i < path.size();) {
    unsigned char c = static_cast<unsigned char>(path[i]);
    if (c == 0) return "path contains a NUL byte";
    if (c < 0x20 || c == 0x7F) return "path contains a control character";
    if (c == '\\') return "path contains a backslash";
    std::size_t len = utf8_sequence_length(path, i);
    if (len == 0) return "path is not valid UTF-8";
    i += len;
  }
  return std::nullopt;
}

std::optional<std::string> invalid_component(std::string_view part) {
  if (part.empty()) return "path contains an empty component";
  if (part == "." || part == "..") return "path contains a '" + std::string(part) + "' component";
  // The Hub refuses these folders in any case: ".GIT" is ".git" on case-insensitive filesystems.
  if (iequals_ascii(part, ".git")) return "path contains a '.git' component";
  if (iequals_ascii(part, ".cache")) return "path contains a '.cache' component";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> invalid_repo_path(std::string_view path) {
  if (path.empty()) return "path is empty";
  if (path.size() > kMaxPathBytes) return "path is longer than 4096 bytes";
  if (auto why = invalid_bytes(path)) return why;
  if (path.front() == '/') return "path must be relative (it starts with '/')";
  if (path.back() == '/') return "path must not end with '/'";
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string_view part =
        path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (auto why = invalid_component(part)) return why;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace wharf
