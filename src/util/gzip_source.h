// A ByteSource that inflates a gzip-encoded ByteSource (git gzips large fetch requests).
#pragma once

#include <memory>

#include "util/byte_source.h"

namespace wharf {

// Wraps `inner` (which must outlive it). Errors: BadRequest on corrupt or truncated data or
// bytes after the gzip stream; PayloadTooLarge for a body that inflates past `max_output`
// bytes; the inner source's own error when it fails, even after the gzip stream ended.
std::unique_ptr<ByteSource> gunzip(ByteSource& inner, uint64_t max_output);

}  // namespace wharf
