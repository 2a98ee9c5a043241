// A streaming reader of multipart/form-data bodies (RFC 7578, RFC 2046 §5.1): the browser's
// file uploads. Memory stays bounded by one buffer whatever the size of the parts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/byte_source.h"

namespace wharf::web {

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or
// not). Errors: 415 for another type, 400 for a missing or invalid boundary (RFC 2046: 1 to
// 70 characters).
Result<std::string> multipart_boundary(std::string_view content_type);

// The headers of one part that a form sends.
struct MultipartPart {
  std::string name;                     // Content-Disposition's name
  std::optional<std::string> filename;  // set for file inputs (possibly "": no file chosen)
  std::string content_type;             // "" when absent
};

// Reads the parts of a body in order: next_part() gives each part's headers, then read()
// its content until it returns 0. Not safe from several threads.
class MultipartReader {
 public:
  // `max_bytes` bounds the whole body: reading beyond it fails with 413.
  MultipartReader(ByteSource& body, std::string boundary, uint64_t max_bytes);

  // The next part's headers (the rest of the current part is skipped), or nullopt after the
  // closing delimiter. Errors: 400 for a malformed or truncated body, 413 over max_bytes,
  // and the body's own read errors.
  Result<std::optional<MultipartPart>> next_part();

  // Up to `n` bytes of the current part's content; 0 at its end (and before the first part).
  // Errors: as next_part.
  Result<std::size_t> read(char* buf, std::size_t n);

  // The current part's content as a string. Errors: 413 when it exceeds `limit` bytes.
  Result<std::string> read_all(std::size_t limit);

 private:
  Result<bool> fill();
  Result<MultipartPart> read_headers();

  ByteSource& body_;
  std::string delimiter_;  // "\r\n--" + boundary
  uint64_t max_bytes_;
  uint64_t consumed_ = 0;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool in_part_ = true;  // the preamble counts as a part that is skipped
  bool done_ = false;
};

}  // namespace wharf::web
