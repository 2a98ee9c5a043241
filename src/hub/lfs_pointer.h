// The git LFS pointer file (spec §17.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/gitstore.h"

namespace wharf::hub {

struct LfsPointer {
  std::string oid;  // sha256, 64 lowercase hex
  uint64_t size = 0;

  // The canonical three-line text, each line ending in '\n'.
  std::string text() const;
  // Parses a pointer; nullopt when `text` is not exactly a canonical pointer (version line,
  // "oid sha256:<64 lowercase hex>", "size <decimal without leading zeros>"; extra "ext-"
  // lines are refused). Blobs larger than 1024 bytes are never pointers.
  static std::optional<LfsPointer> parse(std::string_view text);
};

// The pointer that blob `oid` of `size` bytes holds, if it is one. Only blobs small enough to
// be pointers are read; "" (no blob, as in a diff's missing side) is none.
Result<std::optional<LfsPointer>> read_lfs_pointer(const storage::GitRepo& git, const std::string& oid,
                                                   uint64_t size);

}  // namespace wharf::hub
