#include "hw_models/sensor/sensor_noise.h"

#include <algorithm>
#include <cmath>

#include "common/seeded_random.h"

namespace strata {

double exposed_white_electrons(const SensorNoiseParams& p) {
  return std::min(p.white_electrons, p.full_well_electrons);
}

double adc_full_scale(const SensorNoiseParams& p, double white) {
  return std::max(1.0, std::min(p.full_well_electrons, white));
}

int64_t poisson_draw(double mean, std::mt19937_64& g) {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const double limit = std::exp(-mean);
    double product = uniform_open(g);
    int64_t k = 0;
    while (product > limit) {
      product *= uniform_open(g);
      ++k;
    }
    return k;
  }
  double a = 0, b = 0;
  normal_pair(g, &a, &b);
  return std::max<int64_t>(0, std::llround(mean + std::sqrt(mean) * a));
}

PixelReader::PixelReader(const SensorNoiseParams& p, uint64_t seed) : p_(p), g_(seed) {}

double PixelReader::normal() {
  if (have_spare_) {
    have_spare_ = false;
    return spare_;
  }
  double a = 0;
  normal_pair(g_, &a, &spare_);
  have_spare_ = true;
  return a;
}

double PixelReader::read(double mean, double full_scale) {
  double e = static_cast<double>(poisson_draw(mean, g_));
  if (p_.read_noise_electrons > 0) e += p_.read_noise_electrons * normal();
  const double levels = std::ldexp(1.0, std::min(p_.adc_bits, 52)) - 1;
  const double step = full_scale / levels;
  // A black-level pedestal keeps read noise below zero (dark pixels average to zero); the top
  // clips at the full scale.
  return std::min(std::round(e / step), levels) * step;
}

uint64_t mix_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace strata
