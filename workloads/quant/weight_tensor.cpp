#include "workloads/quant/weight_tensor.h"

#include <stdexcept>

namespace strata {

std::string WeightTensor::shape_string() const {
  return std::to_string(out_channels) + "x" + std::to_string(in_channels) + "x" +
         std::to_string(kernel_h) + "x" + std::to_string(kernel_w);
}

void check_shape(const WeightTensor& w) {
  if (w.out_channels < 1 || w.in_channels < 1 || w.kernel_h < 1 || w.kernel_w < 1) {
    throw std::invalid_argument("weight shape " + w.shape_string() +
                                " has a non-positive dimension");
  }
  if (static_cast<int64_t>(w.data.size()) != w.size()) {
    throw std::invalid_argument("weight shape " + w.shape_string() + " needs " +
                                std::to_string(w.size()) + " values, got " +
                                std::to_string(w.data.size()));
  }
}

}  // namespace strata
