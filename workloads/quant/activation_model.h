#pragma once
// Data-free activation quantization from a declared distribution. Every layer's input gets a
// named distribution (the BN-normalized pre-activation after a ReLU for CNN layers, LayerNorm
// outputs for BERT projections, softmax probabilities for P*V, ...); a fixed-seed sample of it
// gives the range and the error. Rules:
// - "sigma" (rtn, squant): range [0, s*sigma] (symmetric for signed inputs), s = 12/14/25 for
//   <=4/5-6/>=7 bits (SQuant's random-input sigma rule), int grid;
// - "ant": one type (int/flint/pot) and one clip for the tensor, chosen like weights.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/quant/numeric_type.h"

namespace strata {

enum class ActivationDistribution { kImage, kReluNormal, kNormal, kGeluNormal, kSoftmax };
std::string to_string(ActivationDistribution d);
// The distribution a trace names (to_string's text); false if none matches.
bool parse_distribution(const std::string& text, ActivationDistribution* d);
bool is_signed(ActivationDistribution d);
double nonzero_probability(ActivationDistribution d);  // for the A-DBB density model

// A fixed-seed sample of the distribution (`length` = softmax row length).
std::vector<float> sample_activations(ActivationDistribution d, int64_t count, uint64_t seed,
                                      int64_t length = 128);

struct ActivationQuant {
  NumericType type;
  std::string type_name;  // "int", "flint", "pot", "float"
  double scale = 1;       // real value = grid value * scale
  double sigma = 0;       // of the sample
  double sqnr_db = 0;
  std::string distribution;
};

ActivationQuant quantize_activations(ActivationDistribution d, int bits, const std::string& rule,
                                     uint64_t seed, int64_t softmax_length = 128,
                                     bool allow_float = false);

// The same rules on measured values (functional mode's calibration): `sign` = the values go
// negative. Throws std::invalid_argument for an empty sample or an unknown rule.
ActivationQuant quantize_activation_sample(const std::vector<float>& x, bool sign, int bits,
                                           const std::string& rule, bool allow_float = false);

}  // namespace strata
