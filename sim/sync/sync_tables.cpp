#include "sim/sync/sync_tables.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/report/column_schema.h"
#include "sim/report/distribution_json.h"

namespace strata {
namespace {

using J = nlohmann::json;

std::string num(double v) {
  std::ostringstream s;
  s.precision(12);
  s << v;
  return s.str();
}

// A number as these CSV files write it: 12 significant digits.
J csv_number(double v) { return J(num(v)); }

// time_error.csv: one row per sample of the unit's time-error series.
const std::vector<ColumnOf<TimeErrorSample>>& time_error_columns() {
  using S = TimeErrorSample;
  static const std::vector<ColumnOf<S>> c = {
      {"t_s", "s", "true time of the sample", [](const S& s) { return csv_number(s.t_s); }},
      {"state", "-", "the unit's state: free_running, acquiring, locked or holdover",
       [](const S& s) { return J(sync_state_name(s.state)); }},
      {"gps", "-", "1 if the receiver had a fix", [](const S& s) { return J(s.gps ? 1 : 0); }},
      {"time_error_ns", "ns", "counter - true time",
       [](const S& s) { return csv_number(round_to(s.time_error_s * 1e9, 1e-3)); }},
      {"phase_error_ns", "ns", "the servo's last measurement",
       [](const S& s) { return csv_number(round_to(s.phase_error_s * 1e9, 1e-3)); }},
      {"frequency_estimate_ppb", "ppb", "the servo's frequency estimate",
       [](const S& s) { return csv_number(round_to(s.frequency_estimate * 1e9, 1e-4)); }},
      {"residual_frequency_ppb", "ppb", "the oscillator's frequency error left after it",
       [](const S& s) { return csv_number(round_to(s.residual_frequency * 1e9, 1e-4)); }},
  };
  return c;
}

// frames.csv (with the pipeline): one row per camera frame.
struct FrameRow {
  const FrameRecord& f;
  double deadline_s;       // the pipeline's
  double speed_mps;        // the vehicle's
  const double* imu_skew;  // the frame's camera-IMU skew, or null
  bool done() const { return !f.dropped && f.end >= 0; }
  double latency() const { return done() ? f.end - f.frame.t_event : -1; }
};

const std::vector<ColumnOf<FrameRow>>& frame_columns() {
  using F = FrameRow;
  static const std::vector<ColumnOf<F>> c = {
      {"frame", "-", "the camera's frame number", [](const F& x) { return J(x.f.frame.index); }},
      {"exposure_s", "s", "true time of mid-exposure",
       [](const F& x) { return csv_number(x.f.frame.t_event); }},
      {"stamp_s", "s", "its timestamp", [](const F& x) { return csv_number(x.f.frame.stamp); }},
      {"arrival_s", "s", "when its data reached the SoC",
       [](const F& x) { return csv_number(x.f.frame.arrival); }},
      {"start_s", "s", "when its inference started; empty if it never did",
       [](const F& x) { return x.f.start >= 0 ? csv_number(x.f.start) : J(nullptr); }, true},
      {"end_s", "s", "when its inference ended; empty if it did not",
       [](const F& x) { return x.done() ? csv_number(x.f.end) : J(nullptr); }, true},
      {"latency_ms", "ms", "exposure to result",
       [](const F& x) {
         return x.done() ? csv_number(round_to(x.latency() * 1e3, 1e-6)) : J(nullptr);
       },
       true},
      {"deadline_miss", "-", "1 if it was dropped or ended after the deadline",
       [](const F& x) {
         return J((x.f.dropped || (x.done() && x.latency() > x.deadline_s)) ? 1 : 0);
       }},
      {"dropped", "-", "1 if the queue dropped it",
       [](const F& x) { return J(x.f.dropped ? 1 : 0); }},
      {"camera_imu_skew_ns", "ns",
       "the skew of the stamps the pipeline uses, against the IMU sample nearest by stamp",
       [](const F& x) {
         return x.imu_skew ? csv_number(round_to(*x.imu_skew * 1e9, 1e-3)) : J(nullptr);
       },
       true},
      {"spatial_error_m", "m", "that skew at the vehicle's speed",
       [](const F& x) {
         return x.imu_skew ? csv_number(round_to(std::fabs(*x.imu_skew) * x.speed_mps, 1e-9))
                           : J(nullptr);
       },
       true},
  };
  return c;
}

// skew_histogram.csv: one row per non-empty bin of a sensor pair's stamp skews.
struct SkewBin {
  const PairSkews& pair;
  double low_ns, high_ns;
  int64_t count;
};

const std::vector<ColumnOf<SkewBin>>& skew_bin_columns() {
  using B = SkewBin;
  static const std::vector<ColumnOf<B>> c = {
      {"pair", "-", "the two sensors, slower first",
       [](const B& x) { return J(x.pair.a + "-" + x.pair.b); }},
      {"method", "-", "hardware or software stamps",
       [](const B& x) { return J(method_name(x.pair.method)); }},
      {"bin_low_ns", "ns", "the bin's lower edge", [](const B& x) { return csv_number(x.low_ns); }},
      {"bin_high_ns", "ns", "its upper edge", [](const B& x) { return csv_number(x.high_ns); }},
      {"count", "-", "sample pairs in it", [](const B& x) { return J(x.count); }},
  };
  return c;
}

}  // namespace

std::vector<PairSkews> all_pair_skews(const PreparedSync& prepared, const SyncResult& r) {
  std::vector<PairSkews> pairs;
  for (size_t i = 0; i < r.sensors.size(); ++i) {
    for (size_t j = i + 1; j < r.sensors.size(); ++j) {
      // The slower sensor's samples are matched to the faster one's.
      const SensorResult* a = &r.sensors[i];
      const SensorResult* b = &r.sensors[j];
      if (a->params.rate_hz > b->params.rate_hz) std::swap(a, b);
      for (StampMethod m : {StampMethod::kHardware, StampMethod::kSoftware}) {
        if (m == StampMethod::kHardware && !prepared.params.hardware) continue;
        pairs.push_back({a->params.name, b->params.name, m, pair_skews(a->samples, b->samples, m)});
      }
    }
  }
  return pairs;
}

const char* method_name(StampMethod m) {
  return m == StampMethod::kHardware ? "hardware" : "software";
}

std::string time_error_csv(const SyncResult& r) {
  return csv_table(time_error_columns(), r.series);
}

std::string frames_csv(const PreparedSync& prepared, const SyncResult& r,
                       const std::vector<double>& imu_skews) {
  std::vector<FrameRow> rows;
  for (const auto& f : r.frames) {
    const size_t k = static_cast<size_t>(f.frame.index);
    rows.push_back({f, prepared.params.pipeline.deadline_s, prepared.params.vehicle_speed_mps,
                    k < imu_skews.size() ? &imu_skews[k] : nullptr});
  }
  return csv_table(frame_columns(), rows);
}

// Log-spaced bins, ten per decade from 0.1 ns to 1 s; [0, 0.1 ns) is the first.
std::string skew_histogram_csv(const std::vector<PairSkews>& pairs) {
  const int first = -10, last = 90;
  std::vector<SkewBin> bins;
  for (const auto& p : pairs) {
    std::vector<int64_t> counts(last - first + 1, 0);
    for (double s : p.skews) {
      const double ns = std::fabs(s) * 1e9;
      int bin = ns < 0.1 ? 0 : static_cast<int>(std::floor(10 * std::log10(ns))) - first + 1;
      bin = std::clamp(bin, 0, static_cast<int>(counts.size()) - 1);
      ++counts[static_cast<size_t>(bin)];
    }
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      const double low = i == 0 ? 0.0 : std::pow(10.0, (first + static_cast<int>(i) - 1) / 10.0);
      const double high = std::pow(10.0, (first + static_cast<int>(i)) / 10.0);
      bins.push_back({p, low, high, counts[i]});
    }
  }
  return csv_table(skew_bin_columns(), bins);
}

}  // namespace strata
