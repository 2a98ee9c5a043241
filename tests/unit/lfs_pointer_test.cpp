#include "hub/lfs_pointer.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

const std::string kOid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
const std::string kCanonical =
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n";

TEST(LfsPointer, TextIsTheCanonicalThreeLines) {
  EXPECT_EQ((LfsPointer{kOid, 12345}).text(), kCanonical);
}

TEST(LfsPointer, ParsesTheCanonicalText) {
  auto p = LfsPointer::parse(kCanonical);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->oid, kOid);
  EXPECT_EQ(p->size, 12345u);
}

TEST(LfsPointer, RoundTripsExtremeSizes) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, UINT64_MAX}) {
    LfsPointer p{kOid, size};
    auto q = LfsPointer::parse(p.text());
    ASSERT_TRUE(q.has_value()) << size;
    EXPECT_EQ(q->size, size);
  }
}

TEST(LfsPointer, RefusesNonCanonicalVariants) {
  auto with = [](std::string from, std::string to) {
    std::string s = kCanonical;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size 012345\n")));  // leading zero
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size +12345\n")));
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size -1\n")));
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size 12345")));  // no final newline
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size 99999999999999999999\n")));  // > 2^64
  EXPECT_FALSE(LfsPointer::parse(with("size 12345\n", "size \n")));
  EXPECT_FALSE(LfsPointer::parse(with("\n", "\r\n")));                  // CRLF
  EXPECT_FALSE(LfsPointer::parse(with("sha256:4d7a", "sha256:4D7A")));  // uppercase hex
  EXPECT_FALSE(LfsPointer::parse(with("sha256:", "sha512:")));
  EXPECT_FALSE(LfsPointer::parse(with("2393\n", "239\n")));  // 63 hex
  EXPECT_FALSE(LfsPointer::parse(with("spec/v1", "spec/v2")));
  EXPECT_FALSE(LfsPointer::parse(kCanonical + "\n"));  // trailing bytes
}

TEST(LfsPointer, RefusesExtensionLines) {
  std::string with_ext =
      "version https://git-lfs.github.com/spec/v1\n"
      "ext-0-foo sha256:" +
      kOid +
      "\n"
      "oid sha256:" +
      kOid +
      "\n"
      "size 12345\n";
  EXPECT_FALSE(LfsPointer::parse(with_ext));
}

TEST(LfsPointer, RefusesBlobsLargerThan1024Bytes) {
  EXPECT_FALSE(LfsPointer::parse(kCanonical + std::string(1024, 'x')));
  EXPECT_FALSE(LfsPointer::parse(""));
  EXPECT_FALSE(LfsPointer::parse("hello world\n"));
}

}  // namespace
}  // namespace wharf::hub
