#pragma once
// Platform-independent seeded draws (mt19937_64 is specified bit for bit; std:: distributions are
// not), shared by the synthetic weights and the activation samples.
#include <cmath>
#include <random>

namespace strata {

// Uniform in (0, 1) from the top 53 bits.
inline double uniform_open(std::mt19937_64& g) {
  return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53;
}

// Box-Muller: one pair of uniforms gives two independent standard normals.
inline void normal_pair(std::mt19937_64& g, double* a, double* b) {
  const double r = std::sqrt(-2.0 * std::log(uniform_open(g))), phi = 2.0 * M_PI * uniform_open(g);
  *a = r * std::cos(phi);
  *b = r * std::sin(phi);
}

}  // namespace strata
