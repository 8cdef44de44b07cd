#pragma once
// Kolmogorov-Smirnov distance between a sample and a closed-form CDF: the largest gap between the
// empirical and the model CDF, checked on both sides of every step.
#include <algorithm>
#include <cmath>
#include <vector>

namespace strata::test {

template <typename Cdf>
double ks_distance(std::vector<double> samples, const Cdf& cdf) {
  std::sort(samples.begin(), samples.end());
  const double n = static_cast<double>(samples.size());
  double d = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const double f = cdf(samples[i]);
    d = std::max({d, std::fabs(f - static_cast<double>(i) / n),
                  std::fabs(f - static_cast<double>(i + 1) / n)});
  }
  return d;
}

}  // namespace strata::test
