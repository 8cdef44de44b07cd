#include "hw_models/timesync/disciplined_clock.h"

#include <algorithm>
#include <cmath>

namespace strata {

const char* sync_state_name(SyncState s) {
  switch (s) {
    case SyncState::kFreeRunning:
      return "free_running";
    case SyncState::kAcquiring:
      return "acquiring";
    case SyncState::kLocked:
      return "locked";
    case SyncState::kHoldover:
      return "holdover";
  }
  return "?";
}

DisciplinedClock::DisciplinedClock(Oscillator& oscillator, const ServoParams& params)
    : osc_(oscillator),
      p_(params),
      freq_hz_(oscillator.params().freq_mhz * 1e6),
      tick_(1.0 / freq_hz_) {
  seg_local_ = osc_.local_time(0);
  seg_sync_ = p_.initial_error_us * 1e-6;
}

void DisciplinedClock::start_segment(double local_tick, double counter, double multiplier) {
  seg_local_ = local_tick;
  seg_sync_ = counter;
  mult_ = multiplier;
}

double DisciplinedClock::read(double t) {
  const double local = std::max(seg_local_, tick_floor(osc_.local_time(t)));
  return counter_at_local(local);
}

double DisciplinedClock::time_at(double t) { return counter_at_local(osc_.local_time(t)); }

double DisciplinedClock::residual_frequency(double t) {
  return (1 + osc_.frequency_error(t)) * mult_ - 1;
}

double DisciplinedClock::true_time_of(double target, double t_hint) {
  const double local = seg_local_ + (target - seg_sync_) / mult_;
  // The first tick at or after that local time (a hair of slack for rounding).
  const double tick_local = std::ceil(local * freq_hz_ - 1e-6) / freq_hz_;
  return osc_.true_time_of_local(tick_local, t_hint);
}

void DisciplinedClock::latch_pps(double t) {
  // The edge is sampled on the next tick, which carries the oscillator's phase noise.
  const double local = osc_.local_time(t) + osc_.phase_jitter();
  latch_local_ = std::max(seg_local_, std::ceil(local * freq_hz_) / freq_hz_);
  latch_counter_ = counter_at_local(latch_local_);
  latched_ = true;
}

void DisciplinedClock::discipline(double t, int64_t second) {
  if (!latched_) return;
  latched_ = false;
  ++updates_;
  // The latch waits for the next tick: half a tick late on average.
  theta_ = latch_counter_ - static_cast<double>(second) - tick_ / 2;
  const double now_local = std::max(latch_local_, tick_floor(osc_.local_time(t)));
  const double now_counter = counter_at_local(now_local);
  if (state_ == SyncState::kFreeRunning) {
    if (std::fabs(theta_) > p_.step_threshold_us * 1e-6) {
      // Acquisition: the one step the counter ever takes, before any sample is trusted.
      const double stepped = now_counter - theta_;
      if (stepped < now_counter) ++backward_steps_;
      ++steps_;
      start_segment(now_local, stepped, mult_);
      theta_ = 0;
    }
    state_ = SyncState::kAcquiring;
    last_pps_local_ = latch_local_;
    last_second_ = second;
    return;
  }
  const double interval = static_cast<double>(second - last_second_);
  if (state_ == SyncState::kAcquiring && interval > 0) {
    // Frequency from the local time elapsed over whole GPS seconds.
    f_est_ = (latch_local_ - last_pps_local_) / interval - 1;
    state_ = SyncState::kLocked;
  } else if (interval > 0) {
    const double limit = p_.integrator_clamp_ns * 1e-9;
    f_est_ += p_.ki * std::clamp(theta_, -limit, limit) / interval;
    state_ = SyncState::kLocked;
  }
  last_pps_local_ = latch_local_;
  last_second_ = second;
  double slew = p_.kp * theta_;  // over the next second
  const double max_slew = p_.max_slew_ppm * 1e-6;
  if (std::fabs(slew) > max_slew) {
    slew = std::copysign(max_slew, slew);
    ++slew_limited_;
  }
  start_segment(now_local, now_counter, (1 - slew) / (1 + f_est_));
}

void DisciplinedClock::enter_holdover(double t) {
  if (state_ != SyncState::kLocked) return;
  const double now_local = std::max(seg_local_, tick_floor(osc_.local_time(t)));
  start_segment(now_local, counter_at_local(now_local), 1 / (1 + f_est_));
  state_ = SyncState::kHoldover;
}

}  // namespace strata
