// Hashing and randomness (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace wharf {

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  void update(const char* data, std::size_t n) { update(std::string_view(data, n)); }
  std::string hex_digest();  // finishes; the object must not be updated afterwards

 private:
  void* ctx_;
};

std::string sha256_hex(std::string_view bytes);
// HMAC-SHA256 of `message` under `key`, lowercase hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
// Constant-time comparison of two strings (length may leak, content does not).
bool constant_time_equal(std::string_view a, std::string_view b);
// `n` random characters from [A-Za-z0-9], from a cryptographic source.
std::string random_alnum(std::size_t n);
// `n` random lowercase hex characters, from a cryptographic source.
std::string random_hex(std::size_t n);

}  // namespace wharf
