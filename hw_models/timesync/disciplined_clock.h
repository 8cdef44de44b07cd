#pragma once
// The sync unit's time-of-day counter: every tick of the local oscillator adds a period scaled by
// the servo's rate multiplier, so the counter reads S = S_k + (L - L_k) * m_k over the segment
// that started at local tick L_k. A PPS edge latches the counter; when the NMEA sentence names
// that second, a PI servo turns the phase error into a new multiplier: the integral path tracks
// the oscillator's frequency, the proportional path slews the phase away over the next second.
// The counter is only ever stepped once, when it first acquires GPS time; after that every
// correction is a slew, bounded so the counter never runs backwards.
#include <cstdint>

#include "hw_models/timesync/oscillator.h"

namespace strata {

struct ServoParams {
  double kp = 0.3;                    // proportional gain, per second of phase error
  double ki = 0.05;                   // integral gain
  double max_slew_ppm = 200.0;        // bound on the proportional rate correction
  double integrator_clamp_ns = 1000;  // phase error the integral path sees at most (anti-windup)
  double holdover_timeout_s = 1.5;    // PPS silence before holdover
  double step_threshold_us = 1000;    // on acquisition, step (not slew) when off by more
  double initial_error_us = 0;        // counter minus true time at power-up
};

enum class SyncState { kFreeRunning, kAcquiring, kLocked, kHoldover };
const char* sync_state_name(SyncState s);

class DisciplinedClock {
 public:
  DisciplinedClock(Oscillator& oscillator, const ServoParams& params);

  // The counter as of the last oscillator tick at true time t (s): what a timestamp latches.
  double read(double t);
  // The counter's exact (unquantized) value at t: the sync unit's time.
  double time_at(double t);
  // True time of the first tick at which the counter reaches `target` (>= its current value).
  double true_time_of(double target, double t_hint);

  // A PPS edge at true time t: latch the counter on the next tick.
  void latch_pps(double t);
  // The NMEA sentence naming the last latched edge's second arrives at true time t: run the servo.
  void discipline(double t, int64_t second);
  // No PPS for the timeout: keep the last frequency estimate, drop the slew.
  void enter_holdover(double t);

  SyncState state() const { return state_; }
  double tick_s() const { return tick_; }
  double last_phase_error() const { return theta_; }    // s, as measured at the last PPS
  double frequency_estimate() const { return f_est_; }  // the oscillator's, fractional
  double rate_multiplier() const { return mult_; }
  // The counter's fractional rate error at t with the current multiplier: (1 + y)(m) - 1.
  double residual_frequency(double t);
  int64_t steps() const { return steps_; }
  int64_t backward_steps() const { return backward_steps_; }
  int64_t updates() const { return updates_; }
  int64_t slew_limited() const { return slew_limited_; }

 private:
  void start_segment(double local_tick, double counter, double multiplier);
  double counter_at_local(double local) const { return seg_sync_ + (local - seg_local_) * mult_; }
  double tick_floor(double local) const { return std::floor(local * freq_hz_) / freq_hz_; }

  Oscillator& osc_;
  ServoParams p_;
  double freq_hz_, tick_;
  SyncState state_ = SyncState::kFreeRunning;
  double seg_local_ = 0, seg_sync_ = 0, mult_ = 1;
  bool latched_ = false;
  double latch_local_ = 0, latch_counter_ = 0;
  double last_pps_local_ = 0;
  int64_t last_second_ = 0;
  double theta_ = 0, f_est_ = 0;
  int64_t steps_ = 0, backward_steps_ = 0, updates_ = 0, slew_limited_ = 0;
};

}  // namespace strata
