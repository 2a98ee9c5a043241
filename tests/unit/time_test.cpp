#include "util/time.h"

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(Time, FormatsEpochWithZeroMilliseconds) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000Z");
}

TEST(Time, FormatsTheSpecExample) {
  // 2024-02-19T10:57:45.000Z (spec §1.9)
  EXPECT_EQ(format_iso8601(1708340265000), "2024-02-19T10:57:45.000Z");
}

TEST(Time, PadsMillisecondsToThreeDigits) {
  EXPECT_EQ(format_iso8601(1708340265007), "2024-02-19T10:57:45.007Z");
  EXPECT_EQ(format_iso8601(1708340265070), "2024-02-19T10:57:45.070Z");
  EXPECT_EQ(format_iso8601(1708340265999), "2024-02-19T10:57:45.999Z");
}

TEST(Time, HandlesLeapDayAndYearEnd) {
  EXPECT_EQ(format_iso8601(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(1704067199999), "2023-12-31T23:59:59.999Z");
}

TEST(Time, TimesBeforeEpochFloorTheMilliseconds) {
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, NowIsARecentUnixTimeInMilliseconds) {
  int64_t now = now_ms();
  EXPECT_GT(now, 1704067200000);  // after 2024-01-01
  EXPECT_LT(now, 4102444800000);  // before 2100-01-01
  EXPECT_LE(now, now_ms());
}

}  // namespace
}  // namespace wharf
