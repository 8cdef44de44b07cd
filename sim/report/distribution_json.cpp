#include "sim/report/distribution_json.h"

#include <cmath>

namespace strata {

double round_to(double v, double quantum) {
  const double inverse = std::round(1.0 / quantum);
  const double r = std::round(v * inverse) / inverse;
  return r == 0 ? 0.0 : r;  // no "-0.0" in reports
}

nlohmann::json distribution_json(const Distribution& d, double scale) {
  const double q = scale >= 1e9 ? 1e-3 : scale >= 1e6 ? 1e-3 : 1e-6;
  return nlohmann::json{{"count", d.count},
                        {"mean", round_to(d.mean * scale, q)},
                        {"p50", round_to(d.p50 * scale, q)},
                        {"p99", round_to(d.p99 * scale, q)},
                        {"max", round_to(d.max * scale, q)},
                        {"signed_mean", round_to(d.signed_mean * scale, q)}};
}

}  // namespace strata
