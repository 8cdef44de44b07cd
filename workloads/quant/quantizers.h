#pragma once
// The weight quantizers (one file each); make_weight_quantizer() picks them by name.
#include "workloads/quant/quantizer.h"

namespace strata {

class RtnQuantizer : public WeightQuantizer {
 public:
  std::string name() const override { return "rtn"; }
  QuantizedWeights quantize(const WeightTensor& w, const QuantSpec& spec) const override;
};

class AntQuantizer : public WeightQuantizer {
 public:
  std::string name() const override { return "ant"; }
  QuantizedWeights quantize(const WeightTensor& w, const QuantSpec& spec) const override;
};
std::vector<TypeKind> ant_candidates(const QuantSpec& spec);

class SquantQuantizer : public WeightQuantizer {
 public:
  std::string name() const override { return "squant"; }
  QuantizedWeights quantize(const WeightTensor& w, const QuantSpec& spec) const override;
};

class OliveQuantizer : public WeightQuantizer {
 public:
  std::string name() const override { return "olive"; }
  QuantizedWeights quantize(const WeightTensor& w, const QuantSpec& spec) const override;
};

}  // namespace strata
