// Password hashing: argon2id with OWASP's parameters, salted, verified only by the right password.
#include "hub/passwords.h"

#include <gtest/gtest.h>

namespace wharf::hub {
namespace {

TEST(Passwords, HashIsArgon2idWithOwaspParameters) {
  auto hash = hash_password("correct horse");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
}

TEST(Passwords, VerifyAcceptsOnlyTheRightPassword) {
  auto hash = *hash_password("correct horse");
  EXPECT_TRUE(verify_password(hash, "correct horse"));
  EXPECT_FALSE(verify_password(hash, "correct horsE"));
  EXPECT_FALSE(verify_password(hash, "correct horse "));
  EXPECT_FALSE(verify_password(hash, ""));
}

TEST(Passwords, EachHashHasItsOwnSalt) {
  auto a = *hash_password("same password"), b = *hash_password("same password");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password(a, "same password"));
  EXPECT_TRUE(verify_password(b, "same password"));
}

TEST(Passwords, EmptyOrMalformedHashesVerifyNothing) {
  EXPECT_FALSE(verify_password("", "whatever1"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$garbage", "whatever1"));
  EXPECT_FALSE(verify_password("plain-text-password", "plain-text-password"));
}

TEST(Passwords, LengthIsEightTo256Bytes) {
  EXPECT_TRUE(invalid_password("1234567"));
  EXPECT_FALSE(invalid_password("12345678"));
  EXPECT_FALSE(invalid_password(std::string(256, 'x')));
  EXPECT_TRUE(invalid_password(std::string(257, 'x')));
  EXPECT_FALSE(verify_password(*hash_password(std::string(256, 'x')), std::string(257, 'x')));
}

}  // namespace
}  // namespace wharf::hub
