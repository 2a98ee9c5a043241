// Range parsing of the resolve route (spec §7.2).
#include "api/file_response.h"

#include <gtest/gtest.h>

namespace wharf::api {
namespace {

ByteRange range_of(const char* header, uint64_t size) {
  auto r = parse_range(std::string(header), size);
  EXPECT_TRUE(r.has_value());
  EXPECT_TRUE(r->has_value()) << header;
  return r->value_or(ByteRange{});
}

TEST(ParseRange, ClosedOpenAndSuffixRanges) {
  auto a = range_of("bytes=0-0", 10);
  EXPECT_EQ(a.first, 0u);
  EXPECT_EQ(a.length, 1u);
  auto b = range_of("bytes=5-", 10);
  EXPECT_EQ(b.first, 5u);
  EXPECT_EQ(b.length, 5u);
  auto c = range_of("bytes=-3", 10);
  EXPECT_EQ(c.first, 7u);
  EXPECT_EQ(c.length, 3u);
}

TEST(ParseRange, EndPastEofIsClamped) {
  auto r = range_of("bytes=8-100", 10);
  EXPECT_EQ(r.first, 8u);
  EXPECT_EQ(r.length, 2u);
  EXPECT_EQ(range_of("bytes=-50", 10).length, 10u);
}

TEST(ParseRange, UnsatisfiableIs416) {
  auto r = parse_range(std::string("bytes=10-"), 10);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().status, 416);
  EXPECT_FALSE(parse_range(std::string("bytes=0-0"), 0).has_value());
}

TEST(ParseRange, MalformedOrMultipleRangesAreIgnored) {
  for (const char* h : {"bytes=a-b", "items=0-1", "bytes=3-1", "bytes=0-1,3-4", "bytes=", "bytes=99999999999999999999-"}) {
    auto r = parse_range(std::string(h), 10);
    ASSERT_TRUE(r.has_value()) << h;
    EXPECT_FALSE(r->has_value()) << h;
  }
  EXPECT_FALSE(parse_range(std::nullopt, 10)->has_value());
}

}  // namespace
}  // namespace wharf::api
