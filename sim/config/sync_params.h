#pragma once
// The keys of a time-synchronization config (strata sync) and the components' Params built from
// them. A sync config may also hold (or include) an accelerator config: the camera pipeline
// runs its inferences on that SoC.
#include <string>
#include <vector>

#include "hw_models/timesync/gnss.h"
#include "hw_models/timesync/os_latency.h"
#include "hw_models/timesync/sensor.h"
#include "hw_models/timesync/sync_unit.h"
#include "sim/config/param_specs.h"

namespace strata {

// The sync keys alone (documented in docs/timesync.md), and with the accelerator's.
const std::vector<ParamSpec>& sync_param_specs();
const std::vector<ParamSpec>& sync_config_specs();

struct PipelineParams {
  bool enabled = false;
  std::string workload = "resnet18";
  double deadline_s = 0;  // 0: one camera frame period
  int64_t queue_depth = 1;
};

struct SyncParams {
  double duration_s = 120;
  bool hardware = true;  // sync unit triggers and stamps; false: free-running, software only
  double vcd_window_s = 2;
  double converged_ns = 200;
  double converged_hold_s = 5;
  GnssParams gnss;
  SyncUnitParams unit;
  std::vector<SensorParams> sensors;  // the enabled ones: camera, imu, lidar
  OsLatencyParams os_latency;
  PipelineParams pipeline;
  double vehicle_speed_mps = 30;
  // As the report echoes them.
  uint64_t seed = 1;           // timesync.seed
  std::string outages_text;    // gnss.outages_s as given
};

// --duration-s over timesync.duration_s (0: leave it), in the key's range; throws InputError.
void override_sync_duration(ResolvedConfig& config, double duration_s);

// Throws InputError naming the file and key for what the key table cannot check alone.
SyncParams make_sync_params(const ResolvedConfig& config);

// What one sync run may keep in memory: samples (32 B each, ~1.3 GB at the limit), time-error
// samples, and waveform changes (~60 B each with their text).
constexpr double kMaxSyncSamples = 40e6;
constexpr double kMaxVcdChanges = 4e6;
// Throws InputError naming the key whose value would exceed one of those limits.
void check_sync_budget(const SyncParams& params, const std::string& source);

}  // namespace strata
