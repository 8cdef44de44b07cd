#include "workloads/quant/synthetic_weights.h"

#include <cmath>
#include <random>
#include <stdexcept>

#include "common/fnv1a.h"
#include "common/seeded_random.h"

namespace strata {
uint64_t layer_seed(uint64_t model_seed, const std::string& layer_name) {
  return fnv1a64(layer_name, 1469598103934665603ULL ^ model_seed);  // FNV-1a over the name
}

void generate_weights(WeightTensor& w, const SyntheticSpec& spec) {
  if (spec.distribution != "gaussian" && spec.distribution != "laplace") {
    throw std::invalid_argument("synthetic distribution must be gaussian or laplace, got '" +
                                spec.distribution + "'");
  }
  if (!(spec.gain > 0) || spec.outlier_fraction < 0 || spec.outlier_fraction > 1) {
    throw std::invalid_argument("synthetic weights need gain > 0 and outlier_fraction in [0, 1]");
  }
  const double fan_in = static_cast<double>(w.in_channels * w.kernel_size());
  const double std_dev = spec.gain / std::sqrt(fan_in);
  std::mt19937_64 g(spec.seed);
  w.data.resize(static_cast<size_t>(w.size()));
  double spare = 0;
  bool have_spare = false;
  const bool gaussian = spec.distribution == "gaussian";  // once, not a string compare per value
  for (auto& v : w.data) {
    double x;
    if (gaussian) {
      // Box-Muller: each pair of uniforms gives two independent normals.
      if (have_spare) {
        x = spare;
      } else {
        normal_pair(g, &x, &spare);
        x *= std_dev;
        spare *= std_dev;
      }
      have_spare = !have_spare;
    } else {
      // Laplace with the same standard deviation: b = std / sqrt(2).
      const double u = uniform_open(g) - 0.5;
      x = -(std_dev / std::sqrt(2.0)) * (u < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::fabs(u));
    }
    if (spec.outlier_fraction > 0 && uniform_open(g) < spec.outlier_fraction)
      x *= spec.outlier_scale;
    v = static_cast<float>(x);
  }
}

}  // namespace strata
