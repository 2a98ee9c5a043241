#include "util/crypto.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace wharf {
namespace {

TEST(Sha256, MatchesNistVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalUpdatesEqualOneShot) {
  Sha256 h;
  h.update("abcdbcdecdefdefg");
  h.update(std::string_view(""));
  const char* rest = "efghfghighijhijkijkljklmklmnlmnomnopnopq";
  h.update(rest, std::char_traits<char>::length(rest));
  EXPECT_EQ(h.hex_digest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionAsInChunks) {
  Sha256 h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);
  EXPECT_EQ(h.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, HashesEmbeddedNulBytes) {
  EXPECT_EQ(sha256_hex(std::string(1, '\0')),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(HmacSha256, MatchesRfc4231Vectors) {
  // Test case 1
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, AcceptsEmptyKeyAndMessage) {
  EXPECT_EQ(hmac_sha256_hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("hf_secret", "hf_secret"));
  EXPECT_FALSE(constant_time_equal("hf_secret", "hf_secreT"));
  EXPECT_FALSE(constant_time_equal("hf_secret", "hf_secret2"));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(RandomAlnum, HasRequestedLengthAndAlphabet) {
  for (std::size_t n : {0, 1, 37, 300}) {
    std::string s = random_alnum(n);
    ASSERT_EQ(s.size(), n);
    for (char c : s) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
  }
  EXPECT_NE(random_alnum(32), random_alnum(32));
}

TEST(RandomAlnum, UsesAllSixtyTwoCharactersRoughlyEvenly) {
  std::map<char, int> counts;
  for (char c : random_alnum(62 * 1000)) ++counts[c];
  EXPECT_EQ(counts.size(), 62u);
  // Expected 1000 each; modulo bias without rejection would give some ~1030 and some ~970,
  // random noise stays within a few hundred with overwhelming probability.
  for (auto [c, n] : counts) {
    EXPECT_GT(n, 750) << c;
    EXPECT_LT(n, 1250) << c;
  }
}

TEST(RandomHex, HasRequestedLengthIncludingOdd) {
  for (std::size_t n : {0, 1, 24, 41}) {
    std::string s = random_hex(n);
    ASSERT_EQ(s.size(), n);
    for (char c : s) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
  }
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(random_hex(24));
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace wharf
