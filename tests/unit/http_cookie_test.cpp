#include <gtest/gtest.h>

#include "http/message.h"

namespace wharf::http {
namespace {

Request with_cookies(const std::string& header) {
  Request r;
  r.headers.add("Cookie", header);
  return r;
}

TEST(RequestCookie, FindsANameAmongSeveral) {
  auto r = with_cookies("a=1; wharf_session=s3cret;b=2");
  EXPECT_EQ(r.cookie("wharf_session"), "s3cret");
  EXPECT_EQ(r.cookie("a"), "1");
  EXPECT_EQ(r.cookie("b"), "2");
}

TEST(RequestCookie, MatchesWholeNamesOnly) {
  auto r = with_cookies("xwharf_session=evil; wharf_session_old=old");
  EXPECT_EQ(r.cookie("wharf_session"), std::nullopt);
}

TEST(RequestCookie, AbsentHeaderEmptyValueAndJunk) {
  EXPECT_EQ(Request().cookie("a"), std::nullopt);
  EXPECT_EQ(with_cookies("a=").cookie("a"), "");
  EXPECT_EQ(with_cookies(";;; =x; novalue; a=b=c").cookie("a"), "b=c");
  EXPECT_EQ(with_cookies(";;; =x; novalue").cookie("novalue"), std::nullopt);
}

}  // namespace
}  // namespace wharf::http
