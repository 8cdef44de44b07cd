#include "hw_models/timesync/sensor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "hw_models/timesync/gnss.h"

namespace strata {
namespace {

double uniform_from(uint64_t seed, uint64_t index) {
  return (static_cast<double>(mix64(seed ^ mix64(index)) >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace

Sensor::Sensor(sc_core::sc_module_name name, const SensorParams& params, SyncUnit* sync,
               const OsLatency& os_latency, VcdWriter* vcd)
    : sc_module(name),
      p_(params),
      sync_(sync),
      os_latency_(os_latency),
      vcd_(vcd),
      count_(stats_.counter("samples", "samples", "samples taken")) {
  // A free-running sensor starts at a seeded phase within its first period.
  free_run_phase_s_ = uniform_from(mix64(p_.seed) ^ 0x5eed, 0) / p_.rate_hz;
  if (vcd_) {
    vcd_trigger_ = vcd_->declare(p_.name + "_trigger", 1);
    if (p_.exposure_us > 0) vcd_exposure_ = vcd_->declare(p_.name + "_exposure", 1);
  }
  if (p_.triggered && !sync_)
    throw std::logic_error(p_.name + ": a triggered sensor needs a sync unit");
  SC_METHOD(run);
}

double Sensor::next_sample_time() {
  const double k = static_cast<double>(next_index_);
  if (!p_.triggered) {
    return free_run_phase_s_ + k / (p_.rate_hz * (1 + p_.free_run_ppm * 1e-6));
  }
  // The trigger compares the counter against k periods of sync time.
  const double now = sc_core::sc_time_stamp().to_seconds();
  return sync_->clock().true_time_of(k / p_.rate_hz + p_.phase_us * 1e-6, now);
}

void Sensor::take_sample(double t_trigger) {
  const uint64_t key = static_cast<uint64_t>(next_index_) * 4;
  const uint64_t seed = mix64(p_.seed);
  double t_start = t_trigger;
  if (p_.triggered) {
    const double delay = p_.trigger_delay_us + p_.trigger_jitter_us * hashed_normal(seed, key + 3);
    t_start += std::max(0.0, delay) * 1e-6;
  }
  const double half_exposure = p_.exposure_us * 1e-6 / 2;
  SampleRecord r;
  r.t_event = t_start + half_exposure;
  // The unit latches the counter on the exposure-start (or data-ready) edge; the camera's
  // exposure time is known, so the stamp names mid-exposure.
  r.hw_stamp = sync_ ? sync_->clock().read(t_start) + half_exposure
                     : std::numeric_limits<double>::quiet_NaN();
  const double ready = t_start + 2 * half_exposure + (p_.readout_us + p_.transfer_us) * 1e-6;
  const double os = os_latency_.sample(uniform_from(seed, key), uniform_from(seed, key + 1),
                                       uniform_from(seed, key + 2));
  r.t_ready = ready;
  r.sw_stamp = ready + os;  // the host clock is taken as true time: the error is the delay
  samples_.push_back(r);
  count_.add(1);
  if (vcd_ && vcd_->in_window(t_trigger)) {
    vcd_->pulse(t_trigger, vcd_trigger_, 10e-6);
    if (vcd_exposure_ >= 0) vcd_->pulse(t_start, vcd_exposure_, 2 * half_exposure);
    if (sync_) sync_->trace_counter(t_start);
  }
  if (on_frame) {
    SensorFrame f;
    f.index = next_index_;
    f.t_event = r.t_event;
    f.stamp = p_.triggered ? r.hw_stamp : r.sw_stamp;
    // Triggered sensors feed the accelerator directly; otherwise the host forwards the data.
    f.arrival = p_.triggered ? ready : r.sw_stamp;
    on_frame(f);
  }
}

void Sensor::run() {
  // Woken by the timed trigger, or by the sync unit changing its rate (then re-aim).
  const double now = sc_core::sc_time_stamp().to_seconds();
  double t = next_sample_time();
  // Everything due by now (within the kernel's 1 ps resolution) is taken.
  while (t <= now + 1e-12) {
    // A target the counter already passed (it was stepped or slewed across it) fires now.
    take_sample(std::max(t, now));
    ++next_index_;
    t = next_sample_time();
  }
  const sc_core::sc_time wait_for(t - now, sc_core::SC_SEC);
  if (p_.triggered && sync_) {
    next_trigger(wait_for, sync_->retimed());
  } else {
    next_trigger(wait_for);
  }
}

}  // namespace strata
