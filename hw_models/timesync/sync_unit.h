#pragma once
// The time-synchronization unit: a counter on the local oscillator disciplined by the GNSS
// receiver's PPS and NMEA (disciplined_clock.h), a holdover watchdog, and the time-error series
// (the counter against true time, once per sample period). Sensors read its counter and ask it
// when a trigger time comes; `retimed()` fires whenever the counter's rate changes.
#include <functional>
#include <systemc>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/timesync/disciplined_clock.h"
#include "hw_models/timesync/gnss_receiver.h"
#include "hw_models/timesync/vcd_writer.h"

namespace strata {

struct SyncUnitParams {
  OscillatorParams oscillator;
  ServoParams servo;
  double sample_period_s = 1.0;  // time-error series
};

struct TimeErrorSample {
  double t_s;
  SyncState state;
  bool gps;              // the receiver had a fix
  double time_error_s;   // counter - true time
  double phase_error_s;  // as the servo last measured it
  double frequency_estimate;
  double residual_frequency;
};

// The unit entering holdover: the closed-form prediction of the error starts here.
struct HoldoverEntry {
  double t_s;
  double time_error_s;
  double residual_frequency;  // the counter's rate error as it enters holdover
};

class SyncUnit : public sc_core::sc_module {
 public:
  SyncUnit(sc_core::sc_module_name name, const SyncUnitParams& params, GnssReceiver& gnss,
           VcdWriter* vcd);

  DisciplinedClock& clock() { return clock_; }
  Oscillator& oscillator() { return oscillator_; }
  const sc_core::sc_event& retimed() const { return retimed_; }
  const std::vector<TimeErrorSample>& series() const { return series_; }
  const std::vector<HoldoverEntry>& holdovers() const { return holdover_log_; }
  // Readings of the counter that came out below an earlier reading (must stay 0).
  int64_t backward_readings() const { return backward_readings_.value; }
  // Records the counter on the waveform at t (a sensor edge, a PPS).
  void trace_counter(double t);

 private:
  SC_HAS_PROCESS(SyncUnit);
  void on_pps();
  void on_nmea();
  void watchdog();
  void sample();
  void count_state_changes(SyncState before);

  SyncUnitParams p_;
  GnssReceiver& gnss_;
  Oscillator oscillator_;
  DisciplinedClock clock_;
  VcdWriter* vcd_;
  int vcd_counter_ = -1, vcd_state_ = -1;
  sc_core::sc_event retimed_;
  double last_update_s_ = 0;
  std::vector<TimeErrorSample> series_;
  std::vector<HoldoverEntry> holdover_log_;
  double last_reading_ = -1e300;
  StatGroup stats_;
  Counter& latched_;
  Counter& updates_;
  Counter& holdovers_;
  Counter& relocks_;
  Counter& backward_readings_;
};

}  // namespace strata
