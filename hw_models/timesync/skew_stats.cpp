#include "hw_models/timesync/skew_stats.h"

#include <algorithm>
#include <cmath>

namespace strata {
namespace {

double stamp_of(const SampleRecord& r, StampMethod m) {
  return m == StampMethod::kHardware ? r.hw_stamp : r.sw_stamp;
}

double nearest_rank(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace

std::vector<double> pair_skews(const std::vector<SampleRecord>& a,
                               const std::vector<SampleRecord>& b, StampMethod method) {
  std::vector<double> skews;
  if (a.empty() || b.empty()) return skews;
  // Software stamps may come out of order (a long OS delay): search b sorted by its stamps.
  std::vector<std::pair<double, size_t>> by_stamp(b.size());
  for (size_t i = 0; i < b.size(); ++i) by_stamp[i] = {stamp_of(b[i], method), i};
  std::sort(by_stamp.begin(), by_stamp.end());
  skews.reserve(a.size());
  for (const auto& s : a) {
    const double ta = stamp_of(s, method);
    auto it = std::lower_bound(by_stamp.begin(), by_stamp.end(), std::make_pair(ta, size_t{0}));
    if (it == by_stamp.end() ||
        (it != by_stamp.begin() && ta - std::prev(it)->first < it->first - ta))
      --it;
    const SampleRecord& r = b[it->second];
    skews.push_back((ta - it->first) - (s.t_event - r.t_event));
  }
  return skews;
}

std::vector<double> software_stamp_errors(const std::vector<SampleRecord>& samples) {
  std::vector<double> v(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) v[i] = samples[i].sw_stamp - samples[i].t_event;
  return v;
}

std::vector<double> os_latencies(const std::vector<SampleRecord>& samples) {
  std::vector<double> v(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) v[i] = samples[i].sw_stamp - samples[i].t_ready;
  return v;
}

Distribution summarize(std::vector<double> values) {
  Distribution d;
  d.count = static_cast<int64_t>(values.size());
  if (values.empty()) return d;
  double sum = 0;
  for (double v : values) sum += v;
  std::sort(values.begin(), values.end());
  d.mean = d.signed_mean = sum / static_cast<double>(values.size());
  d.p50 = nearest_rank(values, 0.5);
  d.p99 = nearest_rank(values, 0.99);
  d.max = values.back();
  return d;
}

Distribution summarize_abs(const std::vector<double>& values) {
  std::vector<double> abs_values(values.size());
  double signed_sum = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    abs_values[i] = std::fabs(values[i]);
    signed_sum += values[i];
  }
  Distribution d = summarize(std::move(abs_values));
  if (!values.empty()) d.signed_mean = signed_sum / static_cast<double>(values.size());
  return d;
}

}  // namespace strata
