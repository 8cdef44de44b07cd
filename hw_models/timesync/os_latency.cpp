#include "hw_models/timesync/os_latency.h"

#include <algorithm>
#include <cmath>

namespace strata {

double OsLatency::sample(double u_mix, double u1, double u2) const {
  double us;
  if (u_mix < p_.tail_probability) {
    us = p_.tail_min_us * std::pow(u1, -1.0 / p_.tail_alpha);
  } else {
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    us = p_.median_us * std::exp(p_.sigma * z);
  }
  return std::min(us, p_.max_us) * 1e-6;
}

double OsLatency::cdf(double seconds) const {
  const double us = seconds * 1e6;
  if (us <= 0) return 0;
  if (us >= p_.max_us) return 1;
  const double body =
      p_.sigma > 0 ? 0.5 * std::erfc(-std::log(us / p_.median_us) / (p_.sigma * std::sqrt(2.0)))
                   : (us >= p_.median_us ? 1.0 : 0.0);
  const double tail = us < p_.tail_min_us ? 0.0 : 1 - std::pow(p_.tail_min_us / us, p_.tail_alpha);
  return (1 - p_.tail_probability) * body + p_.tail_probability * tail;
}

double OsLatency::quantile(double p) const {
  double lo = 0, hi = p_.max_us * 1e-6;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = (lo + hi) / 2;
    (cdf(mid) < p ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace strata
