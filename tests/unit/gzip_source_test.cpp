// Inflating gzip request bodies.
#include "util/gzip_source.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace wharf {
namespace {

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Result<std::string> inflate_all(const std::string& compressed, uint64_t limit, std::size_t chunk = 7) {
  StringSource src(compressed);
  auto g = gunzip(src, limit);
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    auto n = g->read(buf.data(), buf.size());
    if (!n) return fail(n.error());
    if (*n == 0) return out;
    out.append(buf.data(), *n);
  }
}

TEST(Gunzip, InflatesInSmallReads) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "0032want " + std::to_string(i) + "\n";
  auto out = inflate_all(gzip(text), 1 << 20);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, text);
}

TEST(Gunzip, CorruptDataIsBadRequest) {
  std::string bad = gzip("hello world hello world");
  bad[bad.size() / 2] ^= 0x55;
  bad[12] ^= 0x55;
  auto out = inflate_all(bad, 1 << 20);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().status, 400);
}

TEST(Gunzip, TruncatedDataIsBadRequest) {
  std::string g = gzip(std::string(10000, 'x'));
  auto out = inflate_all(g.substr(0, g.size() / 2), 1 << 20);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().status, 400);
}

TEST(Gunzip, InflationBombStopsAtTheLimit) {
  auto out = inflate_all(gzip(std::string(4 << 20, '\0')), 1 << 20, 64 * 1024);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().status, 413);
}

TEST(Gunzip, BytesAfterTheStreamAreBadRequest) {
  auto out = inflate_all(gzip("0009done\n") + "trailing", 1 << 20);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().status, 400);
}

// A body whose gzip stream is whole but whose connection then fails (the client went away
// before the declared length): the failure must reach the reader, not a clean end.
class FailsAtTheEnd : public ByteSource {
 public:
  explicit FailsAtTheEnd(std::string s) : s_(std::move(s)), inner_(s_) {}
  Result<std::size_t> read(char* buf, std::size_t n) override {
    auto got = WHARF_TRY(inner_.read(buf, n));
    if (got == 0) return fail(errors::bad_request("Request body incomplete"));
    return got;
  }

 private:
  std::string s_;
  StringSource inner_;
};

TEST(Gunzip, BodyFailingAfterTheStreamIsAnError) {
  std::string whole = gzip(std::string(5000, 'w'));
  FailsAtTheEnd src(whole);
  auto g = gunzip(src, 1 << 20);
  std::string buf(1 << 16, '\0');
  bool failed = false;
  for (int i = 0; i < 10 && !failed; ++i) {
    auto n = g->read(buf.data(), buf.size());
    if (!n)
      failed = true;
    else
      ASSERT_GT(*n, 0u) << "a clean end hides the failed body";
  }
  EXPECT_TRUE(failed);
}

}  // namespace
}  // namespace wharf
