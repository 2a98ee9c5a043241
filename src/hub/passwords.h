// Password hashing: argon2id (Debian's libargon2) with OWASP's parameters, t=2, m=19 MiB,
// p=1, and a 16-byte random salt. The encoded form ("$argon2id$v=19$m=19456,t=2,p=1$…")
// carries its parameters, so stronger ones can come later without breaking old hashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace wharf::hub {

inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxPasswordBytes = 256;

// Nullopt when `password` is acceptable (8 to 256 bytes), else why not.
std::optional<std::string> invalid_password(std::string_view password);

// The encoded argon2id hash of `password`. REQUIRES: invalid_password(password) is nullopt.
// Takes tens of milliseconds and 19 MiB by design. Safe from many threads.
Result<std::string> hash_password(std::string_view password);

// Whether `password` matches `encoded`. False (never an error) for an empty or malformed
// hash and for a password longer than 256 bytes. Safe from many threads.
bool verify_password(const std::string& encoded, std::string_view password);

}  // namespace wharf::hub
