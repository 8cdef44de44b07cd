#pragma once
// Float weights of one layer, output-channel major: [out][in/groups][kh][kw] for convolutions
// (each kernel's kh*kw elements contiguous), [out][in] for fully connected layers.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

struct WeightTensor {
  int64_t out_channels = 0;
  int64_t in_channels = 1;  // per group
  int64_t kernel_h = 1, kernel_w = 1;
  std::vector<float> data;

  int64_t kernel_size() const { return kernel_h * kernel_w; }
  int64_t per_channel() const { return in_channels * kernel_size(); }
  int64_t size() const { return out_channels * per_channel(); }
  const float* channel(int64_t o) const { return data.data() + o * per_channel(); }
  std::string shape_string() const;
};

// Throws std::invalid_argument if data.size() does not match the shape.
void check_shape(const WeightTensor& w);

}  // namespace strata
