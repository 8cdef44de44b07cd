#pragma once
// Timestamp errors and the skew between two sensors' timestamps. A sample's error is its stamp
// minus the true (GPS) time of the event it stamps; the skew of a pair is how wrong the stamps
// make their relative timing: (T_a - T_b) - (t_a - t_b) = err_a - err_b, for each sample of the
// slower sensor and the other sensor's sample nearest to it by timestamp.
#include <cstdint>
#include <vector>

namespace strata {

struct SampleRecord {
  double t_event = 0;   // true time of the stamped event (s)
  double hw_stamp = 0;  // sync-unit counter latched at the sensor interface (s)
  double sw_stamp = 0;  // host clock when the driver saw the data (s)
  double t_ready = 0;   // true time the data reached the host (s): sw_stamp - t_ready is the OS
};

// Per sample: the software stamp's error (sw_stamp - t_event) and its OS part (sw - ready).
std::vector<double> software_stamp_errors(const std::vector<SampleRecord>& samples);
std::vector<double> os_latencies(const std::vector<SampleRecord>& samples);

enum class StampMethod { kHardware, kSoftware };

// Signed skews (s), one per sample of `a` (the pair's slower sensor).
std::vector<double> pair_skews(const std::vector<SampleRecord>& a,
                               const std::vector<SampleRecord>& b, StampMethod method);

// Statistics of |values| (mean, nearest-rank p50/p99, max) and the signed mean.
struct Distribution {
  int64_t count = 0;
  double mean = 0, p50 = 0, p99 = 0, max = 0, signed_mean = 0;
};
Distribution summarize_abs(const std::vector<double>& values);
// The same of the values themselves (all expected >= 0: latencies).
Distribution summarize(std::vector<double> values);

}  // namespace strata
