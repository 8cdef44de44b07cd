#pragma once
// Weight quantizers behind one interface, chosen by name: "rtn", "ant", "squant", "olive".
#include <memory>
#include <string>
#include <vector>

#include "workloads/quant/numeric_type.h"
#include "workloads/quant/weight_tensor.h"

namespace strata {

struct QuantSpec {
  int bits = 4;
  bool per_channel = true;   // rtn: per output channel scales (else one per tensor)
  bool symmetric = true;     // rtn: symmetric signed grid (else asymmetric with a zero point)
  bool allow_float = false;  // ant: also try the float type
  // ant: types to try, in tie-break order; empty = int, flint, pot (+ float if allow_float).
  std::vector<TypeKind> candidates;
};

// Quantized weights: every element is a code of `type`; its real value is
// (grid value(code) - zero_point[channel]) * scale[channel]. OliVe codes pair up (olive.h).
struct QuantizedWeights {
  std::string scheme;     // "rtn", "ant", "squant", "olive"
  std::string type_name;  // "int", "pot", "flint", "float", "olive"
  NumericType type;       // the code type (for olive: its normal values' type)
  std::vector<uint8_t> codes;
  std::vector<double> scales;       // per output channel
  std::vector<double> zero_points;  // per output channel, grid units (0 when symmetric)
  std::vector<float> values;        // dequantized weights, same layout as the input
};

class WeightQuantizer {
 public:
  virtual ~WeightQuantizer() = default;
  virtual std::string name() const = 0;
  virtual QuantizedWeights quantize(const WeightTensor& w, const QuantSpec& spec) const = 0;
};

// Throws std::invalid_argument for an unknown name.
std::unique_ptr<WeightQuantizer> make_weight_quantizer(const std::string& name);
const std::vector<std::string>& weight_quantizer_names();

// Error of a quantization against the float weights.
struct QuantError {
  double mse = 0;
  double sqnr_db = 0;  // 10 log10(signal power / noise power); +inf when exact
  double density = 0;  // fraction of non-zero quantized weights
  double signal = 0;   // sum of squared references
  double noise = 0;    // sum of squared errors
};
QuantError quant_error(const std::vector<float>& reference, const std::vector<float>& quantized);

}  // namespace strata
