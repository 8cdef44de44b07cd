#include "sim/run/functional_sensor.h"

#include <algorithm>

#include "hw_models/sensor/optical_sensing.h"

namespace strata {

// The scene's intensity (r in [0, 1]) behind a network input of batch 1, NCHW.
std::vector<float> scene_intensity(const FloatTensor& x, const ImagePreprocessing& p) {
  const int64_t channels = x.shape.at(1), plane = x.elements() / channels;
  std::vector<float> r(x.data.size());
  for (int64_t c = 0; c < channels; ++c) {
    const double gain = p.intensity_gain(c), offset = p.intensity_offset(c);
    for (int64_t i = c * plane; i < (c + 1) * plane; ++i) {
      r[static_cast<size_t>(i)] =
          static_cast<float>((x.data[static_cast<size_t>(i)] - offset) / gain);
    }
  }
  return r;
}

// The network's input as the camera reads the scene.
FloatTensor camera_read(const FloatTensor& x, const ImagePreprocessing& p,
                        const SensorNoiseParams& sensor, uint64_t seed, SensorPart* part) {
  const std::vector<float> r = scene_intensity(x, p);
  const std::vector<float> read = sense_intensity(r, sensor, seed);
  FloatTensor y = x;
  const int64_t channels = x.shape.at(1), plane = x.elements() / channels;
  for (int64_t c = 0; c < channels; ++c) {
    const double gain = p.intensity_gain(c), offset = p.intensity_offset(c);
    for (int64_t i = c * plane; i < (c + 1) * plane; ++i) {
      const auto k = static_cast<size_t>(i);
      y.data[k] = static_cast<float>(gain * read[k] + offset);
      part->electrons += std::clamp<double>(r[k], 0.0, 1.0) * exposed_white_electrons(sensor);
    }
  }
  part->pixels += x.elements();
  return y;
}

// The first layer's output as the sensor reads the optics' light: its exact output plus the
// sensor's error, the kernel taken on the scene's intensity (the preprocessing's scale folded in;
// its offset is a constant the vector unit adds with the bias).
FloatTensor optical_read(const Layer& l, const std::vector<int64_t>& pads, const FloatTensor& x,
                         const FloatTensor& kernel, const FloatTensor& exact,
                         const FunctionalRequest& r, uint64_t seed, SensorPart* part) {
  OpticalConv c;
  c.in_c = x.shape.at(1);
  c.in_h = x.shape.at(2);
  c.in_w = x.shape.at(3);
  c.out_c = exact.shape.at(1);
  c.out_h = exact.shape.at(2);
  c.out_w = exact.shape.at(3);
  c.kernel_h = l.kernel_h;
  c.kernel_w = l.kernel_w;
  c.stride_h = l.stride_h;
  c.stride_w = l.stride_w;
  c.dilation_h = l.dilation_h;
  c.dilation_w = l.dilation_w;
  c.pad_top = pads.size() == 4 ? pads[0] : l.pad_h;
  c.pad_left = pads.size() == 4 ? pads[1] : l.pad_w;
  c.kernel = kernel.data;
  const int64_t taps = c.kernel_h * c.kernel_w;
  for (size_t i = 0; i < c.kernel.size(); ++i) {
    const int64_t ci = (static_cast<int64_t>(i) / taps) % c.in_c;
    c.kernel[i] = static_cast<float>(c.kernel[i] * r.preprocessing.intensity_gain(ci));
  }
  OpticalSensingParams p;
  p.efficiency = r.optics_efficiency;
  p.signed_pairs = r.optics_signed;
  p.sensor = r.sensor;
  const OpticalSensing s = sense_optical_layer(c, scene_intensity(x, r.preprocessing), p, seed);
  FloatTensor y = exact;
  for (size_t i = 0; i < y.data.size(); ++i) y.data[i] += s.error[i];
  const int64_t pixels = exact.elements() * (r.optics_signed ? 2 : 1);
  part->electrons += s.mean_electrons * static_cast<double>(pixels);
  part->pixels += pixels;
  return y;
}

}  // namespace strata
