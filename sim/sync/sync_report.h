#pragma once
// What strata sync writes: sync_report.json (docs/timesync.md lists its fields), the time-error
// series, per-frame pipeline rows, skew histograms and the waveform.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/report/output_dir.h"
#include "sim/sync/sync_run.h"

namespace strata {

nlohmann::json sync_report(const PreparedSync& prepared, const SyncResult& result);
// Every output file (report, CSVs, VCD, resolved config), ready for write_outputs_atomically.
std::vector<OutputFile> sync_outputs(const PreparedSync& prepared, const SyncResult& result);
// A few lines for the terminal.
std::string sync_summary(const nlohmann::json& report);

}  // namespace strata
