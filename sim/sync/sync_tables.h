#pragma once
// The CSV tables strata sync writes beside sync_report.json (time_error.csv, frames.csv,
// skew_histogram.csv), their columns declared once through the report column schema, and the
// sensor pairs' stamp skews the tables and the report share.
#include <string>
#include <vector>

#include "sim/sync/sync_run.h"

namespace strata {

// One sensor pair's stamp skews by one stamping method, the slower sensor first.
struct PairSkews {
  std::string a, b;
  StampMethod method;
  std::vector<double> skews;
};

// Every sensor pair, by each stamping method the unit has (hardware only when it stamps).
std::vector<PairSkews> all_pair_skews(const PreparedSync& prepared, const SyncResult& r);
const char* method_name(StampMethod m);

// time_error.csv: one row per sample of the unit's time-error series.
std::string time_error_csv(const SyncResult& r);
// frames.csv (with the pipeline): one row per camera frame; imu_skews per frame index.
std::string frames_csv(const PreparedSync& prepared, const SyncResult& r,
                       const std::vector<double>& imu_skews);
// skew_histogram.csv: one row per non-empty bin of a sensor pair's stamp skews.
std::string skew_histogram_csv(const std::vector<PairSkews>& pairs);

}  // namespace strata
