// Serving file content: Range (206/416), If-None-Match (304), and the Hub's headers.
#pragma once

#include <optional>
#include <string>

#include "http/message.h"
#include "storage/blobstore.h"

namespace wharf::api {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};

// Parses a single-range "bytes=a-b", "bytes=a-" or "bytes=-n" against `size`.
// Returns nullopt when the header should be ignored (absent, malformed, several ranges),
// an error 416 when it cannot be satisfied, else the clamped range.
Result<std::optional<ByteRange>> parse_range(const std::optional<std::string>& header, uint64_t size);

// The content of a response: bytes in memory, or an open stored object.
struct FileContent {
  std::string bytes;                              // used when blob is empty
  std::optional<storage::BlobFile> blob;
  uint64_t size() const { return blob ? blob->size() : bytes.size(); }
};

// Builds the 200/206/304/416 answer for `content` whose ETag is `etag` (unquoted).
// The caller adds X-Repo-Commit and friends to the result.
Result<http::Response> file_response(const http::Request& req, FileContent content, const std::string& etag,
                                     const std::string& content_type);

// A content type guessed from a file name; application/octet-stream when unknown.
std::string guess_content_type(const std::string& path);

}  // namespace wharf::api
