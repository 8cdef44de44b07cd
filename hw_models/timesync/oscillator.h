#pragma once
// A local oscillator as a fractional frequency error y(t) and the phase (time) error it
// accumulates, x(t) = integral of y: x(t) = y0*t + D*t^2/2 + temperature wander + random-walk FM,
// plus white phase noise on each reading. The deterministic terms are integrated in closed form;
// the random walk is piecewise constant over 1 s steps, drawn in order from a seed.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace strata {

struct OscillatorParams {
  std::string preset = "tcxo";
  double freq_mhz = 100.0;           // nominal; the counter ticks at it
  double offset_ppm = 1.0;           // y0: frequency error at t = 0
  double aging_ppm_per_day = 0.003;  // D: linear frequency drift
  double tempco_ppm_per_k = 0.05;    // frequency sensitivity to temperature
  double temp_swing_k = 2.0;         // temperature wander: amplitude of a sinusoid ...
  double temp_period_s = 600.0;      // ... of this period (0 amplitude: constant temperature)
  double frequency_noise_ppb = 0.1;  // random-walk FM: std dev of the frequency step per 1 s
  double phase_noise_ps = 2.0;       // white phase noise on each edge (rms)
  uint64_t seed = 1;
};

// XO, TCXO, OCXO, RC: docs/references.md §5's tolerances, the other figures typical of the
// class (docs/timesync.md). Returns false for an unknown name.
bool oscillator_preset(const std::string& name, OscillatorParams* p);
const std::vector<std::string>& oscillator_preset_names();

class Oscillator {
 public:
  explicit Oscillator(const OscillatorParams& p);

  const OscillatorParams& params() const { return p_; }
  // Fractional frequency error at true time t (s), dimensionless (1e-6 = 1 ppm).
  double frequency_error(double t);
  // Accumulated time error x(t) (s) without the white phase noise: the local clock reads t + x(t).
  double time_error(double t);
  // Local time t + x(t) (s), monotonic in t.
  double local_time(double t) { return t + time_error(t); }
  // One white-phase-noise draw (s), for an edge latched from this oscillator.
  double phase_jitter();
  // True time (s) at which the local time reaches `local`, searched from the guess `t_hint`.
  double true_time_of_local(double local, double t_hint);

  // The deterministic part only (no random walk): for closed-form checks.
  double deterministic_frequency_error(double t) const;
  double deterministic_time_error(double t) const;

 private:
  void extend_to(size_t steps);

  OscillatorParams p_;
  std::mt19937_64 walk_rng_, phase_rng_;
  // walk_[k]: random-walk frequency over [k, k+1) s; walk_phase_[k]: its integral up to k s.
  std::vector<double> walk_, walk_phase_;
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace strata
