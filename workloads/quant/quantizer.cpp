#include "workloads/quant/quantizer.h"

#include <stdexcept>

#include "workloads/quant/quantizers.h"

namespace strata {

const std::vector<std::string>& weight_quantizer_names() {
  static const std::vector<std::string> names = {"rtn", "ant", "squant", "olive"};
  return names;
}

std::unique_ptr<WeightQuantizer> make_weight_quantizer(const std::string& name) {
  if (name == "rtn") return std::make_unique<RtnQuantizer>();
  if (name == "ant") return std::make_unique<AntQuantizer>();
  if (name == "squant") return std::make_unique<SquantQuantizer>();
  if (name == "olive") return std::make_unique<OliveQuantizer>();
  throw std::invalid_argument("unknown quantizer '" + name +
                              "'; expected rtn, ant, squant or olive");
}

}  // namespace strata
