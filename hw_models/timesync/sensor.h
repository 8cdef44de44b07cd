#pragma once
// A sensor on the sync unit. Triggered: the unit fires its trigger when the counter reaches each
// multiple of the sample period (so triggers line up with the PPS second), the sensor samples
// (or starts exposing) a fixed delay later, and the unit latches the counter on that edge: the
// hardware timestamp. Free-running: the sensor samples on its own clock, off by its own ppm.
// Either way the host stamps the data when its driver sees it: after readout, transfer and an
// OS latency drawn from a heavy-tailed distribution (the software timestamp).
#include <functional>
#include <string>
#include <systemc>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/timesync/os_latency.h"
#include "hw_models/timesync/skew_stats.h"
#include "hw_models/timesync/sync_unit.h"
#include "hw_models/timesync/vcd_writer.h"

namespace strata {

struct SensorParams {
  std::string name;
  double rate_hz = 30;
  bool triggered = true;         // by the sync unit; false: free-running, software stamps only
  double trigger_delay_us = 5;   // trigger to sample (exposure start)
  double trigger_jitter_us = 0;  // 1 sigma of that delay: the unit latches the actual edge
  double phase_us = 0;           // trigger k fires at counter time k / rate_hz + phase
  double exposure_us = 0;        // cameras: the stamped event is mid-exposure
  double readout_us = 0;         // exposure end (or sample) to data out of the sensor
  double transfer_us = 0;        // to the host (or, in hardware, to the accelerator)
  double free_run_ppm = 0;       // a free-running sensor's clock error
  uint64_t seed = 1;
};

// What the pipeline learns of a sample when it reaches the compute side.
struct SensorFrame {
  int64_t index;
  double t_event;  // true time of the stamped event (s)
  double stamp;    // the timestamp the pipeline uses (hardware if triggered, else software)
  double arrival;  // when the data reaches the accelerator (s)
};

class Sensor : public sc_core::sc_module {
 public:
  Sensor(sc_core::sc_module_name name, const SensorParams& params, SyncUnit* sync,
         const OsLatency& os_latency, VcdWriter* vcd);

  const SensorParams& params() const { return p_; }
  const std::vector<SampleRecord>& samples() const { return samples_; }
  // Hands the samples over after the run (32 B each: an hour of a 440 Hz rig is ~51 MB).
  std::vector<SampleRecord> take_samples() { return std::move(samples_); }
  // Called for every sample at its trigger; `arrival` lies ahead.
  std::function<void(const SensorFrame&)> on_frame;

 private:
  SC_HAS_PROCESS(Sensor);
  void run();
  double next_sample_time();  // true time of sample next_index_'s trigger (or clock edge)
  void take_sample(double t_trigger);

  SensorParams p_;
  SyncUnit* sync_;
  const OsLatency& os_latency_;
  VcdWriter* vcd_;
  int vcd_trigger_ = -1, vcd_exposure_ = -1;
  int64_t next_index_ = 0;
  double free_run_phase_s_ = 0;
  std::vector<SampleRecord> samples_;
  StatGroup stats_;
  Counter& count_;
};

}  // namespace strata
