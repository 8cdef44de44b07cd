#pragma once
// The optical first layer as the sensor reads it (docs/seeds.md): the metasurface applies the
// layer's kernel to the scene's light, a signed kernel as two non-negative ones (a positive and
// a negative channel of each pair); each sensor pixel collects the light its kernel delivers and
// reads it through PixelReader; the pairs are subtracted after readout.
//
// Light is conserved: every input pixel's light is shared among the output pixels and channels
// its kernel taps reach, so the kernel is scaled until no input pixel gives away more than all of
// its light, and `efficiency` of that arrives. Where that would fill a pixel's well beyond
// full_well_electrons, the exposure is shortened until the brightest pixel of a white scene
// just fills it. More output channels or larger kernels mean less
// light per sensor pixel, hence more shot noise relative to the signal.
#include <cstdint>
#include <vector>

#include "hw_models/sensor/sensor_noise.h"

namespace strata {

// The convolution on the scene's intensity, batch 1, NCHW: r in [0, 1] per input channel (1 is
// white), kernel O x C x KH x KW in the layer's output units per unit of intensity.
struct OpticalConv {
  int64_t in_c = 3, in_h = 1, in_w = 1, out_c = 1, out_h = 1, out_w = 1;
  int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  std::vector<float> kernel;
};

struct OpticalSensingParams {
  double efficiency = 0.5;  // of the light the kernel sends to the sensor, the share that arrives
  bool signed_pairs = true;
  SensorNoiseParams sensor;
};

struct OpticalSensing {
  // Per output value (O x out_h x out_w): what the sensor's reading gives minus the exact
  // convolution, in the layer's output units.
  std::vector<float> error;
  double electrons_per_unit = 0;  // sensor electrons per unit of (one part's) output
  double mean_electrons = 0;      // per sensor pixel read (pairs counted as two pixels)
};

// Throws std::invalid_argument when the kernel is signed and `signed_pairs` is false, or all zero.
OpticalSensing sense_optical_layer(const OpticalConv& conv, const std::vector<float>& intensity,
                                   const OpticalSensingParams& p, uint64_t seed);

// A direct camera: each value of `intensity` (r in [0, 1]) read as a pixel of
// exposed_white_electrons at r = 1; returns the intensities read.
std::vector<float> sense_intensity(const std::vector<float>& intensity, const SensorNoiseParams& p,
                                   uint64_t seed);

}  // namespace strata
