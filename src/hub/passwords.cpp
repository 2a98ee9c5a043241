#include "hub/passwords.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <cstdint>
#include <vector>

namespace wharf::hub {
namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kParallelism = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

std::optional<std::string> invalid_password(std::string_view password) {
  if (password.size() < kMinPasswordBytes) return "The password must have at least 8 characters";
  if (password.size() > kMaxPasswordBytes) return "The password must have at most 256 bytes";
  return std::nullopt;
}

Result<std::string> hash_password(std::string_view password) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) return fail(errors::internal("No randomness for a password salt"));
  std::vector<char> encoded(argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes,
                                              Argon2_id));
  int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(), salt,
                                 sizeof salt, kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return fail(errors::internal(std::string("argon2id: ") + argon2_error_message(rc)));
  return std::string(encoded.data());
}

bool verify_password(const std::string& encoded, std::string_view password) {
  if (encoded.empty() || password.size() > kMaxPasswordBytes) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace wharf::hub
