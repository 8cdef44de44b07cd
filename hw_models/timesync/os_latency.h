#pragma once
// The host's software timestamping delay beyond the transfer: interrupt, driver and scheduler
// latency. A lognormal body with, at a small probability, a Pareto tail (preemption, page faults,
// a busy core), capped at a maximum. Closed-form CDF and quantiles for checks.
#include <cstdint>

namespace strata {

struct OsLatencyParams {
  double median_us = 80.0;         // of the lognormal body
  double sigma = 0.5;              // of ln(latency) in the body
  double tail_probability = 0.01;  // share of samples from the Pareto tail
  double tail_min_us = 300.0;      // the tail's scale (its smallest value)
  double tail_alpha = 1.5;         // the tail's shape: smaller is heavier
  double max_us = 100000.0;        // cap on any sample
};

class OsLatency {
 public:
  explicit OsLatency(const OsLatencyParams& p) : p_(p) {}
  const OsLatencyParams& params() const { return p_; }
  // One draw (s) from two independent uniforms in (0, 1) and a third for the mixture choice.
  double sample(double u_mix, double u1, double u2) const;
  double cdf(double seconds) const;
  double quantile(double p) const;  // s, by bisection on the CDF

 private:
  OsLatencyParams p_;
};

}  // namespace strata
