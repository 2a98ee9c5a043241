#include "util/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <new>
#include <stdexcept>

#include "util/encoding.h"

namespace wharf {
namespace {

EVP_MD_CTX* md_ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

// OpenSSL only fails here on allocation failure or a broken installation: neither is a
// condition a caller can handle, so it is not part of the contract.
void check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

void random_bytes(unsigned char* buf, std::size_t n) {
  constexpr std::size_t kChunk = 1 << 20;  // RAND_bytes takes an int length
  for (std::size_t done = 0; done < n; done += kChunk) {
    std::size_t k = n - done < kChunk ? n - done : kChunk;
    check(RAND_bytes(buf + done, static_cast<int>(k)), "RAND_bytes");
  }
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) throw std::bad_alloc();
  check(EVP_DigestInit_ex(md_ctx(ctx_), EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

Sha256::~Sha256() { EVP_MD_CTX_free(md_ctx(ctx_)); }

void Sha256::update(std::string_view bytes) {
  if (ctx_ == nullptr) throw std::logic_error("Sha256::update after hex_digest");
  check(EVP_DigestUpdate(md_ctx(ctx_), bytes.data(), bytes.size()), "EVP_DigestUpdate");
}

std::string Sha256::hex_digest() {
  if (ctx_ == nullptr) throw std::logic_error("Sha256::hex_digest called twice");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(md_ctx(ctx_), digest, &len), "EVP_DigestFinal_ex");
  // Freeing now turns a later update() into a clear error instead of silent garbage.
  EVP_MD_CTX_free(md_ctx(ctx_));
  ctx_ = nullptr;
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_digest();
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  // A null key pointer makes some OpenSSL 3.0 releases fail; an empty key is still valid HMAC.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  const unsigned char* msg_ptr =
      message.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(message.data());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()), msg_ptr, message.size(), mac,
           &len) == nullptr) {
    check(0, "HMAC");
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(mac), len));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_alnum(std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 62
  // Bytes >= 248 (= 4 * 62) are rejected, so that `byte % 62` is uniform.
  static constexpr unsigned kLimit = 256 - 256 % kSize;
  std::string out;
  out.reserve(n);
  unsigned char buf[64];
  while (out.size() < n) {
    random_bytes(buf, sizeof buf);
    for (unsigned char b : buf) {
      if (b >= kLimit) continue;
      out.push_back(kAlphabet[b % kSize]);
      if (out.size() == n) break;
    }
  }
  return out;
}

std::string random_hex(std::size_t n) {
  std::string bytes((n + 1) / 2, '\0');
  if (!bytes.empty()) random_bytes(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size());
  std::string hex = to_hex(bytes);
  hex.resize(n);
  return hex;
}

}  // namespace wharf
