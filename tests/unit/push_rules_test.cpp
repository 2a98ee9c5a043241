// The ref update lines a receive hook reads.
#include "hub/push_rules.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

const std::string kZero(40, '0');
const std::string kA(40, 'a');

TEST(ParseRefUpdates, ReadsEveryLine) {
  auto u = parse_ref_updates(kZero + " " + kA + " refs/heads/main\n" + kA + " " + kZero + " refs/tags/v1\n");
  ASSERT_TRUE(u.has_value());
  ASSERT_EQ(u->size(), 2u);
  EXPECT_EQ((*u)[0].old_sha, kZero);
  EXPECT_EQ((*u)[0].new_sha, kA);
  EXPECT_EQ((*u)[0].ref, "refs/heads/main");
  EXPECT_EQ((*u)[1].ref, "refs/tags/v1");
}

TEST(ParseRefUpdates, RefusesMalformedLines) {
  EXPECT_FALSE(parse_ref_updates("abc def refs/heads/main\n").has_value());
  EXPECT_FALSE(parse_ref_updates(kA + kA + " refs/heads/x\n").has_value());
  EXPECT_TRUE(parse_ref_updates("").has_value());
}

}  // namespace
}  // namespace wharf::hub
