#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as lowercase hex: names the exact file a model's weights
// came from in traces.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/unchecked_kernel.h"

namespace strata {

namespace sha256_detail {

constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Folds `blocks` 64-byte blocks from `data` into the state h. An unchecked kernel: the caller
// passes whole blocks of its own string or buffer, and the arithmetic is unsigned (wraps by
// definition). Rotations are written out: a helper would be a call here.
STRATA_UNCHECKED_KERNEL inline void compress(uint32_t h[8], const unsigned char* data,
                                             size_t blocks) {
#define STRATA_SHA256_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
  for (size_t block = 0; block < blocks; ++block) {
    const unsigned char* p = data + 64 * block;
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = static_cast<uint32_t>(p[4 * i]) << 24 | static_cast<uint32_t>(p[4 * i + 1]) << 16 |
             static_cast<uint32_t>(p[4 * i + 2]) << 8 | static_cast<uint32_t>(p[4 * i + 3]);
    }
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 =
          STRATA_SHA256_ROTR(w[i - 15], 7) ^ STRATA_SHA256_ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 =
          STRATA_SHA256_ROTR(w[i - 2], 17) ^ STRATA_SHA256_ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t s1 =
          STRATA_SHA256_ROTR(e, 6) ^ STRATA_SHA256_ROTR(e, 11) ^ STRATA_SHA256_ROTR(e, 25);
      const uint32_t ch = (e & f) ^ (~e & g);
      const uint32_t t1 = hh + s1 + ch + kRound[i] + w[i];
      const uint32_t s0 =
          STRATA_SHA256_ROTR(a, 2) ^ STRATA_SHA256_ROTR(a, 13) ^ STRATA_SHA256_ROTR(a, 22);
      const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
#undef STRATA_SHA256_ROTR
}

}  // namespace sha256_detail

inline std::string sha256_hex(const std::string& bytes) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  // The whole blocks straight from the string; the tail, 0x80, zeros and the 64-bit bit length
  // make one or two more.
  const size_t whole = bytes.size() / 64;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  sha256_detail::compress(h, data, whole);
  unsigned char tail[128] = {};
  const size_t rest = bytes.size() - 64 * whole;
  for (size_t i = 0; i < rest; ++i) tail[i] = data[64 * whole + i];
  tail[rest] = 0x80;
  const size_t tail_blocks = rest + 1 + 8 <= 64 ? 1 : 2;
  const uint64_t bit_length = static_cast<uint64_t>(bytes.size()) * 8;
  for (int i = 0; i < 8; ++i) {
    tail[64 * tail_blocks - 1 - i] = static_cast<unsigned char>((bit_length >> (8 * i)) & 0xff);
  }
  sha256_detail::compress(h, tail, tail_blocks);
  std::string hex;
  char part[9];
  for (uint32_t v : h) {
    std::snprintf(part, sizeof part, "%08x", v);
    hex += part;
  }
  return hex;
}

}  // namespace strata
