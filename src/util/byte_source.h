// A pull-based stream of bytes: request bodies, files, subprocess output.
#pragma once

#include <cstddef>
#include <string_view>

#include "util/error.h"

namespace wharf {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into buf. Returns the number read, 0 at the end of the stream,
  // or an error (a client that disconnected, a body over its limit, an I/O error).
  virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;
};

// A ByteSource over bytes already in memory (tests, small bodies).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view s) : s_(s) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    std::size_t k = n < s_.size() - pos_ ? n : s_.size() - pos_;
    for (std::size_t i = 0; i < k; ++i) buf[i] = s_[pos_ + i];
    pos_ += k;
    return k;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace wharf
