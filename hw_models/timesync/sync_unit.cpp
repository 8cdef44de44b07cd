#include "hw_models/timesync/sync_unit.h"

#include <cmath>

namespace strata {

SyncUnit::SyncUnit(sc_core::sc_module_name name, const SyncUnitParams& params, GnssReceiver& gnss,
                   VcdWriter* vcd)
    : sc_module(name),
      p_(params),
      gnss_(gnss),
      oscillator_(params.oscillator),
      clock_(oscillator_, params.servo),
      vcd_(vcd),
      latched_(stats_.counter("pps_latched", "edges", "PPS edges latched by the counter")),
      updates_(stats_.counter("servo_updates", "updates", "servo updates (PPS + NMEA pairs)")),
      holdovers_(stats_.counter("holdover_entries", "entries", "times PPS was lost when locked")),
      relocks_(stats_.counter("relocks", "relocks", "returns from holdover to locked")),
      backward_readings_(stats_.counter("backward_readings", "readings",
                                        "series readings below the previous one (must be 0)")) {
  if (vcd_) {
    vcd_counter_ = vcd_->declare("sync_counter_ns", 64);
    vcd_state_ = vcd_->declare("sync_state", 2);
  }
  SC_METHOD(on_pps);
  sensitive << gnss_.pps_event();
  dont_initialize();
  SC_METHOD(on_nmea);
  sensitive << gnss_.nmea_event();
  dont_initialize();
  SC_METHOD(watchdog);
  SC_METHOD(sample);
}

void SyncUnit::trace_counter(double t) {
  if (!vcd_ || !vcd_->in_window(t)) return;
  vcd_->change(t, vcd_counter_, static_cast<uint64_t>(std::max(0.0, clock_.read(t)) * 1e9));
}

void SyncUnit::on_pps() {
  const double t = sc_core::sc_time_stamp().to_seconds();
  clock_.latch_pps(t);
  latched_.add(1);
  trace_counter(t);
}

void SyncUnit::on_nmea() {
  const double t = sc_core::sc_time_stamp().to_seconds();
  const SyncState before = clock_.state();
  clock_.discipline(t, gnss_.nmea_second());
  updates_.add(1);
  last_update_s_ = t;
  count_state_changes(before);
  retimed_.notify();
}

void SyncUnit::count_state_changes(SyncState before) {
  const SyncState after = clock_.state();
  if (before == after) return;
  if (after == SyncState::kHoldover) holdovers_.add(1);
  if (before == SyncState::kHoldover && after == SyncState::kLocked) relocks_.add(1);
  if (vcd_) {
    vcd_->change(sc_core::sc_time_stamp().to_seconds(), vcd_state_, static_cast<uint64_t>(after));
  }
}

void SyncUnit::watchdog() {
  // Woken by every sentence or by the timeout after the last one.
  const double t = sc_core::sc_time_stamp().to_seconds();
  const double timeout = p_.servo.holdover_timeout_s;
  if (clock_.state() == SyncState::kLocked && t - last_update_s_ >= timeout - 1e-12) {
    const SyncState before = clock_.state();
    clock_.enter_holdover(t);
    holdover_log_.push_back({t, clock_.time_at(t) - t, clock_.residual_frequency(t)});
    count_state_changes(before);
    retimed_.notify();
  }
  next_trigger(sc_core::sc_time(timeout, sc_core::SC_SEC), gnss_.nmea_event());
}

void SyncUnit::sample() {
  const double t = sc_core::sc_time_stamp().to_seconds();
  TimeErrorSample s;
  s.t_s = t;
  s.state = clock_.state();
  s.gps = gnss_.model().available(t);
  s.time_error_s = clock_.time_at(t) - t;
  s.phase_error_s = clock_.last_phase_error();
  s.frequency_estimate = clock_.frequency_estimate();
  s.residual_frequency = clock_.residual_frequency(t);
  series_.push_back(s);
  const double reading = clock_.read(t);
  if (reading < last_reading_) backward_readings_.add(1);
  last_reading_ = reading;
  next_trigger(sc_core::sc_time(p_.sample_period_s, sc_core::SC_SEC));
}

}  // namespace strata
