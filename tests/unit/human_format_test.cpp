// web/human_format: sizes, counts and times as the pages show them.
#include "web/human_format.h"

#include <gtest/gtest.h>

namespace wharf::web {
namespace {

TEST(HumanFormat, SizesAreDecimalWithThreeFigures) {
  EXPECT_EQ(human_size(0), "0 Bytes");
  EXPECT_EQ(human_size(999), "999 Bytes");
  EXPECT_EQ(human_size(1520), "1.52 kB");
  EXPECT_EQ(human_size(45'600'000), "45.6 MB");
  EXPECT_EQ(human_size(5ULL << 30), "5.37 GB");
  EXPECT_EQ(human_size(UINT64_MAX), "18447 PB");
}

TEST(HumanFormat, CountsShorten) {
  EXPECT_EQ(human_count(0), "0");
  EXPECT_EQ(human_count(999), "999");
  EXPECT_EQ(human_count(1234), "1.2k");
  EXPECT_EQ(human_count(56'000), "56k");
  EXPECT_EQ(human_count(3'400'000), "3.4M");
  EXPECT_EQ(human_count(120'000'000), "120M");
}

TEST(HumanFormat, DatesAndAges) {
  EXPECT_EQ(human_date(0), "1970-01-01");
  EXPECT_EQ(human_date(1'795'651'200'000), "2026-11-26");
  const int64_t now = 1'795'651'200'000;
  EXPECT_EQ(human_ago(now - 5'000, now), "just now");
  EXPECT_EQ(human_ago(now + 60'000, now), "just now");  // a clock ahead is never "in the future"
  EXPECT_EQ(human_ago(now - 60'000, now), "1 minute ago");
  EXPECT_EQ(human_ago(now - 7'200'000, now), "2 hours ago");
  EXPECT_EQ(human_ago(now - 3 * 86'400'000LL, now), "3 days ago");
  EXPECT_EQ(human_ago(now - 400 * 86'400'000LL, now), "1 year ago");
}

}  // namespace
}  // namespace wharf::web
