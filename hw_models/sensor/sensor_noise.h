#pragma once
// What an image sensor's pixel reads (docs/seeds.md): the photo-electrons it collected carry
// photon shot noise (Poisson), the readout adds Gaussian read noise, and the ADC rounds to
// `adc_bits` over its full scale, clipping at the top (a black-level pedestal keeps the read
// noise of dark pixels unclipped). Draws are seeded and platform-independent
// (seeded_random.h), so the same inputs give the same reads.
#include <cstdint>
#include <random>

namespace strata {

struct SensorNoiseParams {
  // The illumination: photo-electrons a pixel collects from a white scene in one exposure.
  double white_electrons = 1000;
  double full_well_electrons = 6000;
  double read_noise_electrons = 2;
  int adc_bits = 10;
};

// The electrons a direct camera's pixel collects from a white scene: the illumination's, with
// the exposure shortened where that would overflow the well.
double exposed_white_electrons(const SensorNoiseParams& p);

// The ADC's full scale for a pixel that collects `white` electrons from a white scene: its gain
// is set so white fills the range, up to the full well (at least one electron).
double adc_full_scale(const SensorNoiseParams& p, double white);

// A Poisson draw of mean `mean` (>= 0): exact by multiplication below 30, the rounded normal
// approximation above (relative error of its variance below 2 %).
int64_t poisson_draw(double mean, std::mt19937_64& g);

class PixelReader {
 public:
  PixelReader(const SensorNoiseParams& p, uint64_t seed);
  // The electrons the ADC reports for a pixel expecting `mean` (shot and read noise, rounding to
  // full_scale / (2^adc_bits - 1), clipped at full_scale).
  double read(double mean, double full_scale);

 private:
  double normal();
  SensorNoiseParams p_;
  std::mt19937_64 g_;
  bool have_spare_ = false;
  double spare_ = 0;
};

// A 64-bit mix of a seed and a stream index (SplitMix64's finalizer): independent streams per
// input and per tensor from one configured seed.
uint64_t mix_seed(uint64_t seed, uint64_t stream);

}  // namespace strata
