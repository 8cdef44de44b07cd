#pragma once
// One time-synchronization run: GNSS receiver, sync unit, sensors and (optionally) the camera
// pipeline on an accelerator SoC, in one SystemC elaboration (once per process).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/timesync/frame_pipeline.h"
#include "hw_models/timesync/gnss_receiver.h"
#include "hw_models/timesync/sensor.h"
#include "hw_models/timesync/sync_unit.h"
#include "sim/config/sync_params.h"
#include "sim/run/simulation.h"

namespace strata {

struct SyncRequest {
  std::string config_path;
  std::vector<std::string> overrides;  // "key.path=value"
  double duration_s = 0;               // > 0: overrides timesync.duration_s
};

// Everything validated before elaboration: bad input fails here, before any output.
struct PreparedSync {
  ResolvedConfig config;
  SyncParams params;
  std::unique_ptr<PreparedRun> accelerator;  // when the pipeline is enabled
};
PreparedSync prepare_sync(const SyncRequest& request);
PreparedSync prepare_sync(const ConfigTree& tree, double duration_s = 0);

struct SensorResult {
  SensorParams params;
  std::vector<SampleRecord> samples;
};

struct SyncResult {
  std::vector<TimeErrorSample> series;
  std::vector<HoldoverEntry> holdovers;
  std::vector<SensorResult> sensors;
  std::vector<FrameRecord> frames;
  std::vector<double> inference_energy_pj;  // per finished inference (pipeline)
  double leakage_mw = 0;                    // the accelerator's, idle or not
  std::vector<StatValue> stats;
  double tick_s = 0;
  int64_t steps = 0, backward_steps = 0, backward_readings = 0, slew_limited = 0;
  std::string final_state;
  std::string vcd;
};

// The sync model's hardware, elaborated: GNSS receiver and sync unit (hardware mode) and the
// sensors. strata sync and strata pipeline both build it (once per process, as SystemC allows).
struct SyncRig {
  explicit SyncRig(const SyncParams& params);
  // Moves what the run recorded into `r`: the unit's series and holdovers, the sensors' samples.
  void collect(SyncResult& r);

  const SyncParams& params;
  VcdWriter vcd;
  std::unique_ptr<GnssReceiver> gnss;
  std::unique_ptr<SyncUnit> unit;
  OsLatency os_latency;
  std::vector<std::unique_ptr<Sensor>> sensors;
};

// Runs the kernel to `duration_s` in tenths, calling `progress` (optional) with (simulated s,
// total s) after each.
void run_in_tenths(double duration_s, const std::function<void(double, double)>& progress);

// `progress` (optional) gets (simulated s, total s) about every tenth of the run.
SyncResult run_sync(const PreparedSync& prepared,
                    const std::function<void(double, double)>& progress = nullptr);

}  // namespace strata
