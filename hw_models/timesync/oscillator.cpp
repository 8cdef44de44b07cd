#include "hw_models/timesync/oscillator.h"

#include <cmath>

#include "common/seeded_random.h"

namespace strata {
namespace {

constexpr double kPpm = 1e-6, kSecondsPerDay = 86400.0;

struct Preset {
  const char* name;
  double offset_ppm, aging_ppm_per_day, tempco_ppm_per_k, frequency_noise_ppb, phase_noise_ps;
};

// offset_ppm: half the class tolerance (XO +-20, TCXO +-2, OCXO +-0.005, RC +-20,000 ppm).
// Aging, temperature sensitivity and noise: typical datasheet figures for the class.
const Preset kPresets[] = {
    {"xo", 10.0, 0.01, 0.4, 1.0, 5.0},
    {"tcxo", 1.0, 0.003, 0.05, 0.1, 2.0},
    {"ocxo", 0.0025, 0.0005, 0.0002, 0.005, 0.5},
    {"rc", 10000.0, 0.0, 50.0, 100.0, 100.0},
};

}  // namespace

const std::vector<std::string>& oscillator_preset_names() {
  static const std::vector<std::string> names = {"xo", "tcxo", "ocxo", "rc"};
  return names;
}

bool oscillator_preset(const std::string& name, OscillatorParams* p) {
  for (const auto& preset : kPresets) {
    if (name != preset.name) continue;
    p->preset = name;
    p->offset_ppm = preset.offset_ppm;
    p->aging_ppm_per_day = preset.aging_ppm_per_day;
    p->tempco_ppm_per_k = preset.tempco_ppm_per_k;
    p->frequency_noise_ppb = preset.frequency_noise_ppb;
    p->phase_noise_ps = preset.phase_noise_ps;
    return true;
  }
  return false;
}

Oscillator::Oscillator(const OscillatorParams& p)
    : p_(p), walk_rng_(p.seed * 2 + 1), phase_rng_(p.seed * 2 + 2) {
  walk_.push_back(0.0);
  walk_phase_.push_back(0.0);
}

double Oscillator::deterministic_frequency_error(double t) const {
  const double aging = p_.aging_ppm_per_day * kPpm / kSecondsPerDay;
  double y = p_.offset_ppm * kPpm + aging * t;
  if (p_.temp_swing_k != 0 && p_.temp_period_s > 0) {
    y += p_.tempco_ppm_per_k * kPpm * p_.temp_swing_k * std::sin(2 * M_PI * t / p_.temp_period_s);
  }
  return y;
}

double Oscillator::deterministic_time_error(double t) const {
  const double aging = p_.aging_ppm_per_day * kPpm / kSecondsPerDay;
  double x = p_.offset_ppm * kPpm * t + aging * t * t / 2;
  if (p_.temp_swing_k != 0 && p_.temp_period_s > 0) {
    const double w = 2 * M_PI / p_.temp_period_s;
    x += p_.tempco_ppm_per_k * kPpm * p_.temp_swing_k * (1 - std::cos(w * t)) / w;
  }
  return x;
}

void Oscillator::extend_to(size_t steps) {
  const double sigma = p_.frequency_noise_ppb * 1e-9;
  while (walk_.size() <= steps) {
    double a, b;
    normal_pair(walk_rng_, &a, &b);
    walk_phase_.push_back(walk_phase_.back() + walk_.back());
    walk_.push_back(walk_.back() + sigma * a);
  }
}

double Oscillator::frequency_error(double t) {
  const size_t k = t <= 0 ? 0 : static_cast<size_t>(t);
  if (p_.frequency_noise_ppb > 0) extend_to(k);
  const double walk = p_.frequency_noise_ppb > 0 ? walk_[k] : 0.0;
  return deterministic_frequency_error(t) + walk;
}

double Oscillator::time_error(double t) {
  double x = deterministic_time_error(t);
  if (p_.frequency_noise_ppb > 0 && t > 0) {
    const size_t k = static_cast<size_t>(t);
    extend_to(k);
    x += walk_phase_[k] + walk_[k] * (t - static_cast<double>(k));
  }
  return x;
}

double Oscillator::phase_jitter() {
  if (p_.phase_noise_ps <= 0) return 0;
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_ * p_.phase_noise_ps * 1e-12;
  }
  double a;
  normal_pair(phase_rng_, &a, &spare_normal_);
  has_spare_ = true;
  return a * p_.phase_noise_ps * 1e-12;
}

double Oscillator::true_time_of_local(double local, double t_hint) {
  // local_time is smooth and its slope is 1 + y with |y| << 1: Newton converges in a few steps.
  double t = t_hint;
  for (int i = 0; i < 8; ++i) {
    const double err = local_time(t) - local;
    const double step = err / (1 + frequency_error(t));
    t -= step;
    if (std::fabs(step) < 1e-13) break;
  }
  return t;
}

}  // namespace strata
