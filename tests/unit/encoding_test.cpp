#include "util/encoding.h"

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(Hex, ToHexIsLowercaseTwoDigitsPerByte) {
  EXPECT_EQ(to_hex(std::string("\x00\x0f\xab\xff", 4)), "000fabff");
  EXPECT_EQ(to_hex(""), "");
}

TEST(Hex, IsLowerHexChecksLengthAndCase) {
  EXPECT_TRUE(is_lower_hex("0123456789abcdef"));
  EXPECT_TRUE(is_lower_hex("abc", 3));
  EXPECT_FALSE(is_lower_hex("abc", 4));
  EXPECT_FALSE(is_lower_hex("ABC"));
  EXPECT_FALSE(is_lower_hex("abg"));
  EXPECT_FALSE(is_lower_hex(""));
  EXPECT_FALSE(is_lower_hex("", 0));
}

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
}

TEST(Base64, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("+/+/"), std::string("\xfb\xff\xbf", 3));
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    std::string part = all.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part);
  }
}

TEST(Base64, DecodeRejectsMalformedInput) {
  EXPECT_FALSE(base64_decode("Zg"));        // missing padding
  EXPECT_FALSE(base64_decode("Zg="));       // bad length
  EXPECT_FALSE(base64_decode("Z==="));      // too much padding
  EXPECT_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
  EXPECT_FALSE(base64_decode("Z=g="));
  EXPECT_FALSE(base64_decode("Zm9v\n"));  // whitespace
  EXPECT_FALSE(base64_decode("Zm 9"));
  EXPECT_FALSE(base64_decode("Zm9-"));  // base64url alphabet
  EXPECT_FALSE(base64_decode("===="));
}

TEST(Base64, DecodeRejectsNonCanonicalPaddingBits) {
  EXPECT_FALSE(base64_decode("Zh=="));  // "f" with a stray low bit
  EXPECT_FALSE(base64_decode("Zm9="));
}

TEST(Percent, DecodesEscapesAndKeepsPlus) {
  EXPECT_EQ(percent_decode("refs%2Fpr%2F1"), "refs/pr/1");
  EXPECT_EQ(percent_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(percent_decode("%e2%9c%93"), "\xe2\x9c\x93");
  EXPECT_EQ(percent_decode("refs%252Fpr%252F2"), "refs%2Fpr%2F2");  // one level only
}

TEST(Percent, DecodeRejectsTruncatedOrNonHexEscapes) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("abc%2"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("%2G"));
}

TEST(Percent, FormDecodeTurnsPlusIntoSpace) { EXPECT_EQ(form_decode("a+b%2Bc"), "a b+c"); }

TEST(Percent, EncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(percent_encode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(percent_encode("a b/c?&=%"), "a%20b%2Fc%3F%26%3D%25");
  EXPECT_EQ(percent_encode("dir/file name.txt", true), "dir/file%20name.txt");
  EXPECT_EQ(percent_encode("\xc3\xa9"), "%C3%A9");
}

TEST(QueryParams, ParsesRepeatedKeysInOrder) {
  auto q = QueryParams::parse("filter=a&expand=author&filter=b");
  EXPECT_EQ(q.get("filter"), "a");
  EXPECT_EQ(q.all("filter"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(q.has("expand"));
  EXPECT_FALSE(q.has("search"));
  EXPECT_EQ(q.get("search"), std::nullopt);
}

TEST(QueryParams, BracketKeysJoinThePlainKey) {
  auto q = QueryParams::parse("expand%5B%5D=likes&expand[]=sha&expand=author");
  EXPECT_EQ(q.all("expand"), (std::vector<std::string>{"likes", "sha", "author"}));
}

TEST(QueryParams, DecodesValuesAndToleratesEmptyPairs) {
  auto q = QueryParams::parse("&search=a+b%2Fc&&flag&empty=");
  EXPECT_EQ(q.get("search"), "a b/c");
  EXPECT_EQ(q.get("flag"), "");
  EXPECT_EQ(q.get("empty"), "");
  EXPECT_EQ(q.items().size(), 3u);
}

TEST(QueryParams, DropsUndecodablePairs) {
  auto q = QueryParams::parse("a=%zz&b=1&c%=2");
  EXPECT_FALSE(q.has("a"));
  EXPECT_EQ(q.get("b"), "1");
  EXPECT_EQ(q.items().size(), 1u);
}

TEST(QueryParams, FlagAcceptsEveryClientSpelling) {
  auto q = QueryParams::parse("a=true&b=True&c=1&d=false&e=False&f=0&g=&h=maybe");
  EXPECT_TRUE(q.flag("a"));
  EXPECT_TRUE(q.flag("b"));
  EXPECT_TRUE(q.flag("c"));
  EXPECT_FALSE(q.flag("d", true));
  EXPECT_FALSE(q.flag("e", true));
  EXPECT_FALSE(q.flag("f", true));
  EXPECT_FALSE(q.flag("g", true));
  EXPECT_TRUE(q.flag("h", true));
  EXPECT_FALSE(q.flag("h", false));
  EXPECT_TRUE(q.flag("absent", true));
  EXPECT_FALSE(q.flag("absent"));
}

TEST(QueryParams, WithReplacesTheKeyInPlaceAndEncodes) {
  auto q = QueryParams::parse("search=a b&cursor=old&limit=10&cursor=older");
  EXPECT_EQ(q.with("cursor", "x/y=z"), "search=a%20b&cursor=x%2Fy%3Dz&limit=10");
  EXPECT_EQ(q.with("p", "1"), "search=a%20b&cursor=old&limit=10&cursor=older&p=1");
  EXPECT_EQ(QueryParams::parse("").with("cursor", "c"), "cursor=c");
}

TEST(UrlParts, OriginAndPathOfAPublicUrl) {
  EXPECT_EQ(url_origin("https://hub.example.org:8443/hf/x"), "https://hub.example.org:8443");
  EXPECT_EQ(url_path("https://hub.example.org:8443/hf/x"), "/hf/x");
  EXPECT_EQ(url_path("http://localhost:8080"), "");
  EXPECT_EQ(url_origin("localhost:8080/x"), "");
  EXPECT_EQ(url_path("localhost:8080/x"), "");
}

}  // namespace
}  // namespace wharf
