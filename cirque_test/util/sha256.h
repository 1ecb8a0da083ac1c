// SHA-256 (FIPS 180-4), for content-addressed image tags.
//
// Thread safety: Sha256 is not thread-safe; Sha256Hex is a pure function.
#ifndef CIRQUE_TEST_UTIL_SHA256_H_
#define CIRQUE_TEST_UTIL_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cirque {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Returns the digest as 64 lower-case hex digits. Call once.
  std::string HexDigest();

 private:
  void Compress(const unsigned char* block);

  std::array<uint32_t, 8> state_;
  unsigned char buffer_[64];
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes
};

std::string Sha256Hex(std::string_view data);

}  // namespace cirque

#endif  // CIRQUE_TEST_UTIL_SHA256_H_
