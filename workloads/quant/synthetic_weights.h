#pragma once
// Seeded synthetic weights for shapes without real weights: Gaussian or Laplace with a fan-in
// scale (std = gain / sqrt(fan_in), He-style gain sqrt(2)), and optionally a fraction of outliers
// scaled up (BERT-like tensors). Bit-identical for a seed on every platform: the generator is
// mt19937_64 with our own transforms, no std:: distributions.
#include <cstdint>
#include <string>

#include "workloads/quant/weight_tensor.h"

namespace strata {

struct SyntheticSpec {
  std::string distribution = "gaussian";  // "gaussian" | "laplace"
  double gain = 1.4142135623730951;       // std = gain / sqrt(fan_in)
  double outlier_fraction = 0.0;          // share of elements multiplied by outlier_scale
  double outlier_scale = 10.0;
  uint64_t seed = 1;
};

// Fills w.data for w's shape (fan_in = in_channels * kh * kw). Throws std::invalid_argument on a
// bad distribution name or parameters.
void generate_weights(WeightTensor& w, const SyntheticSpec& spec);

// A 64-bit seed for a layer: mixes a model seed with the layer name, so every layer differs and
// the same name always gets the same weights.
uint64_t layer_seed(uint64_t model_seed, const std::string& layer_name);

}  // namespace strata
