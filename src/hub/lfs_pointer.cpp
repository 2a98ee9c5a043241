#include "hub/lfs_pointer.h"

#include <charconv>

#include "util/encoding.h"

namespace wharf::hub {
namespace {

constexpr std::string_view kVersionLine = "version https://git-lfs.github.com/spec/v1\n";
constexpr std::string_view kOidPrefix = "oid sha256:";
constexpr std::string_view kSizePrefix = "size ";
constexpr std::size_t kMaxPointerBytes = 1024;  // git-lfs never reads larger blobs as pointers

// Consumes `prefix` from the front of `s`.
bool consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace

std::string LfsPointer::text() const {
  std::string out(kVersionLine);
  out += kOidPrefix;
  out += oid;
  out += '\n';
  out += kSizePrefix;
  out += std::to_string(size);
  out += '\n';
  return out;
}

std::optional<LfsPointer> LfsPointer::parse(std::string_view text) {
  if (text.size() > kMaxPointerBytes) return std::nullopt;
  std::string_view s = text;
  if (!consume(s, kVersionLine) || !consume(s, kOidPrefix)) return std::nullopt;
  LfsPointer p;
  if (s.size() < 65 || !is_lower_hex(s.substr(0, 64), 64) || s[64] != '\n') return std::nullopt;
  p.oid = std::string(s.substr(0, 64));
  s.remove_prefix(65);
  if (!consume(s, kSizePrefix)) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), p.size);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  if (s != "\n") return std::nullopt;  // also refuses "ext-" lines and trailing bytes
  // Comparing with the canonical text refuses leading zeros and a '+' in the size.
  if (p.text() != text) return std::nullopt;
  return p;
}

Result<std::optional<LfsPointer>> read_lfs_pointer(const storage::GitRepo& git, const std::string& oid,
                                                   uint64_t size) {
  if (oid.empty() || size > kMaxPointerBytes) return std::optional<LfsPointer>();
  auto text = WHARF_TRY(git.read_blob(oid));
  return LfsPointer::parse(text);
}

}  // namespace wharf::hub
