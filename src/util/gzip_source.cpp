#include "util/gzip_source.h"

#include <zlib.h>

#include <vector>

namespace wharf {
namespace {

class GunzipSource : public ByteSource {
 public:
  GunzipSource(ByteSource& inner, uint64_t max_output) : inner_(inner), max_output_(max_output), in_(64 * 1024) {
    ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;  // +32: gzip or zlib header, detected
  }
  ~GunzipSource() override { inflateEnd(&z_); }

  Result<std::size_t> read(char* buf, std::size_t n) override {
    if (!ok_) return fail(errors::internal("Cannot initialize zlib"));
    if (n == 0 || finished_) return std::size_t{0};
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out == n) {
      if (z_.avail_in == 0) {
        auto got = WHARF_TRY(inner_.read(in_.data(), in_.size()));
        if (got == 0) return fail(errors::bad_request("Truncated gzip request body"));
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(got);
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        WHARF_TRY_VOID(expect_end_of_body());
        finished_ = true;
        break;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) return fail(errors::bad_request("Corrupt gzip request body"));
    }
    std::size_t produced = n - z_.avail_out;
    total_ += produced;
    if (total_ > max_output_) return fail(errors::payload_too_large("The request body inflates past the limit"));
    return produced;
  }

 private:
  // The body must end where the gzip stream does. A body cut short after it (the client
  // went away) or followed by more bytes is not a whole request, and must not be acted on.
  Result<void> expect_end_of_body() {
    bool trailing = z_.avail_in > 0;
    while (!trailing) {
      auto got = WHARF_TRY(inner_.read(in_.data(), in_.size()));
      if (got == 0) break;
      trailing = true;
    }
    if (trailing) return fail(errors::bad_request("Data after the end of the gzip request body"));
    return {};
  }

  ByteSource& inner_;
  uint64_t max_output_;
  std::vector<char> in_;
  z_stream z_{};
  bool ok_ = false;
  bool finished_ = false;
  uint64_t total_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> gunzip(ByteSource& inner, uint64_t max_output) {
  return std::make_unique<GunzipSource>(inner, max_output);
}

}  // namespace wharf
