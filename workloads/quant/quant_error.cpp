#include <cmath>
#include <limits>
#include <stdexcept>

#include "workloads/quant/quantizer.h"

namespace strata {

QuantError quant_error(const std::vector<float>& reference, const std::vector<float>& quantized) {
  if (reference.size() != quantized.size())
    throw std::invalid_argument("quant_error: size mismatch");
  double signal = 0, noise = 0;
  int64_t nonzero = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const double r = reference[i], d = r - quantized[i];
    signal += r * r;
    noise += d * d;
    nonzero += quantized[i] != 0.0f;
  }
  QuantError e;
  const double n = reference.empty() ? 1.0 : static_cast<double>(reference.size());
  e.mse = noise / n;
  e.sqnr_db =
      noise == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(signal / noise);
  e.density = static_cast<double>(nonzero) / n;
  e.signal = signal;
  e.noise = noise;
  return e;
}

}  // namespace strata
