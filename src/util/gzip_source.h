// A ByteSource that inflates a gzip-encoded ByteSource (git gzips large fetch requests).
#pragma once

#include <memory>

#include "util/byte_source.h"

namespace wharf {

// Wraps `inner` (which must outlive it). Errors: BadRequest on corrupt data or a body that
// inflates past `max_output` bytes.
std::unique_ptr<ByteSource> gunzip(ByteSource& inner, uint64_t max_output);

}  // namespace wharf
