#pragma once
// OliVe's outlier-victim pair type (docs/references.md §1.5), 4 bits per element. Elements pair up
// along the reduction dimension (0-1, 2-3, ...). Normal elements use the symmetric int grid -7..7
// of the scale; in a pair holding an outlier (beyond 1.25 x the normal maximum), the larger element
// is encoded as an outlier on sign + 3-bit magnitude {1.5, 2, 3, 4, 6, 8, 12} x the normal
// maximum (the reference's 48..384 with normal max 32), and its partner, the victim, becomes 0
// with the identifier code 0b1000.
#include <cstdint>
#include <vector>

namespace strata {

constexpr uint8_t kOliveVictimCode = 0x8;

// Real value of the pair's element `self` given its partner's code (scale = normal max / 7).
double olive_decode(uint8_t self, uint8_t partner, double scale);

// Quantizes `n` values with one scale; writes codes and dequantized values; returns the SSE.
double olive_quantize_span(const float* in, int64_t n, double scale, uint8_t* codes, float* out);

}  // namespace strata
