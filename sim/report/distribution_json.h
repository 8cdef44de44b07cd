#pragma once
// Rounded figures for JSON reports whose values are measured in simulation (time errors,
// latencies): short decimals that still compare byte for byte between runs.
#include <nlohmann/json.hpp>

#include "hw_models/timesync/skew_stats.h"

namespace strata {

// Rounded to a decimal quantum (1e-3 ...) as k / 10^n, which prints as its short decimal.
double round_to(double v, double quantum);
// A distribution in a unit (scale 1e9: ns, 1e6: us, 1e3: ms), rounded to 1 ps (ns) or 1 ns (us,
// ms): count, mean, p50, p99, max, signed_mean.
nlohmann::json distribution_json(const Distribution& d, double scale);

}  // namespace strata
