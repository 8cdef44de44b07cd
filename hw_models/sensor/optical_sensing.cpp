#include "hw_models/sensor/optical_sensing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace strata {

namespace {

// The most light any input pixel gives away per unit of kernel: the sum of |kernel| over the
// output channels and taps one input pixel reaches. With a stride, the taps a pixel reaches are
// those of one phase (tap offset modulo the stride); the worst phase bounds them all.
double largest_light_share(const OpticalConv& c) {
  double worst = 0;
  for (int64_t ci = 0; ci < c.in_c; ++ci) {
    for (int64_t py = 0; py < c.stride_h; ++py) {
      for (int64_t px = 0; px < c.stride_w; ++px) {
        double sum = 0;
        for (int64_t o = 0; o < c.out_c; ++o) {
          for (int64_t ky = 0; ky < c.kernel_h; ++ky) {
            if ((ky * c.dilation_h) % c.stride_h != py) continue;
            for (int64_t kx = 0; kx < c.kernel_w; ++kx) {
              if ((kx * c.dilation_w) % c.stride_w != px) continue;
              sum += std::fabs(c.kernel[static_cast<size_t>(
                  ((o * c.in_c + ci) * c.kernel_h + ky) * c.kernel_w + kx)]);
            }
          }
        }
        worst = std::max(worst, sum);
      }
    }
  }
  return worst;
}

}  // namespace

OpticalSensing sense_optical_layer(const OpticalConv& c, const std::vector<float>& intensity,
                                   const OpticalSensingParams& p, uint64_t seed) {
  const int64_t taps = c.in_c * c.kernel_h * c.kernel_w;
  if (static_cast<int64_t>(c.kernel.size()) != c.out_c * taps ||
      static_cast<int64_t>(intensity.size()) != c.in_c * c.in_h * c.in_w) {
    throw std::logic_error("sense_optical_layer: sizes differ from the convolution's");
  }
  if (!p.signed_pairs &&
      std::any_of(c.kernel.begin(), c.kernel.end(), [](float w) { return w < 0; })) {
    throw std::invalid_argument(
        "the kernel has negative weights: set optics.signed = true (channel pairs)");
  }
  const double share = largest_light_share(c);
  if (share <= 0)
    throw std::invalid_argument("the kernel is all zero: no light reaches the sensor");
  OpticalSensing out;
  // The exposure is set so the brightest sensor pixel of a white scene fills its well at most.
  double g = p.sensor.white_electrons * p.efficiency / share;
  double brightest = 0;
  for (int64_t o = 0; o < c.out_c; ++o) {
    double white[2] = {0, 0};
    for (int64_t t = 0; t < taps; ++t) {
      const float w = c.kernel[static_cast<size_t>(o * taps + t)];
      white[w < 0] += std::fabs(w);
    }
    brightest = std::max({brightest, white[0] * g, white[1] * g});
  }
  if (brightest > p.sensor.full_well_electrons) g *= p.sensor.full_well_electrons / brightest;
  out.electrons_per_unit = g;
  out.error.assign(static_cast<size_t>(c.out_c * c.out_h * c.out_w), 0.0f);
  PixelReader reader(p.sensor, seed);
  double electrons = 0;
  int64_t pixels = 0;
  const int parts = p.signed_pairs ? 2 : 1;
  for (int64_t o = 0; o < c.out_c; ++o) {
    const float* k = &c.kernel[static_cast<size_t>(o * taps)];
    double white[2] = {0, 0};  // each part's electrons from a white scene (interior pixel)
    for (int64_t t = 0; t < taps; ++t) white[k[t] < 0] += std::fabs(k[t]) * g;
    const double full_scale[2] = {adc_full_scale(p.sensor, white[0]),
                                  adc_full_scale(p.sensor, white[1])};
    for (int64_t y = 0; y < c.out_h; ++y) {
      for (int64_t x = 0; x < c.out_w; ++x) {
        double light[2] = {0, 0};
        for (int64_t ci = 0; ci < c.in_c; ++ci) {
          for (int64_t ky = 0; ky < c.kernel_h; ++ky) {
            const int64_t iy = y * c.stride_h + ky * c.dilation_h - c.pad_top;
            if (iy < 0 || iy >= c.in_h) continue;
            for (int64_t kx = 0; kx < c.kernel_w; ++kx) {
              const int64_t ix = x * c.stride_w + kx * c.dilation_w - c.pad_left;
              if (ix < 0 || ix >= c.in_w) continue;
              const float w = k[(ci * c.kernel_h + ky) * c.kernel_w + kx];
              const double r = std::clamp<double>(
                  intensity[static_cast<size_t>((ci * c.in_h + iy) * c.in_w + ix)], 0.0, 1.0);
              light[w < 0] += std::fabs(w) * r;
            }
          }
        }
        double err = 0;
        for (int part = 0; part < parts; ++part) {
          const double mean = light[part] * g;
          const double e = reader.read(mean, full_scale[part]) - mean;
          err += part == 0 ? e : -e;
          electrons += mean;
          ++pixels;
        }
        out.error[static_cast<size_t>((o * c.out_h + y) * c.out_w + x)] =
            static_cast<float>(err / g);
      }
    }
  }
  out.mean_electrons = pixels > 0 ? electrons / static_cast<double>(pixels) : 0;
  return out;
}

std::vector<float> sense_intensity(const std::vector<float>& intensity, const SensorNoiseParams& p,
                                   uint64_t seed) {
  PixelReader reader(p, seed);
  const double white = exposed_white_electrons(p);
  const double full_scale = adc_full_scale(p, white);
  std::vector<float> out(intensity.size());
  for (size_t i = 0; i < intensity.size(); ++i) {
    const double mean = std::clamp<double>(intensity[i], 0.0, 1.0) * white;
    out[i] = static_cast<float>(reader.read(mean, full_scale) / white);
  }
  return out;
}

}  // namespace strata
