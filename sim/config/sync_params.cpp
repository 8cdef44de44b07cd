#include "sim/config/sync_params.h"

#include <algorithm>
#include <cstdio>

#include "common/input_error.h"

namespace strata {
namespace {

using J = nlohmann::json;

ParamSpec preset_float(std::string path, std::string unit, double min, double max,
                       std::string description) {
  ParamSpec s = float_param(std::move(path), std::move(unit), 0, min, max, false,
                            std::move(description) + " (default: the preset's)");
  s.default_value = J();
  return s;
}

void add_sensor(std::vector<ParamSpec>& s, const std::string& name, double rate, double max_rate,
                double delay_us, double jitter_us, double exposure_us, double readout_us,
                double transfer_us, double free_run_ppm, const std::string& what) {
  const std::string p = "sensors." + name + ".";
  s.push_back(bool_param(p + "enabled", true, "simulate the " + what));
  s.push_back(
      float_param(p + "rate_hz", "Hz", rate, 0.001, max_rate, false, what + " sample rate"));
  s.push_back(float_param(p + "trigger_delay_us", "us", delay_us, 0, 1e5, false,
                          "trigger edge to the " + what + "'s sample (exposure start)"));
  s.push_back(float_param(p + "trigger_jitter_us", "us", jitter_us, 0, 1e5, false,
                          "jitter (1 sigma) of that delay; the unit latches the actual edge"));
  s.push_back(float_param(p + "phase_us", "us", 0, 0, 1e6, false,
                          "trigger offset after each period boundary (the PPS second is one); "
                          "staggers sensors"));
  if (exposure_us > 0) {
    s.push_back(float_param(p + "exposure_us", "us", exposure_us, 0, 1e6, false,
                            "exposure time; the stamped event is mid-exposure"));
  }
  s.push_back(float_param(p + "readout_us", "us", readout_us, 0, 1e6, false,
                          "sample (exposure end) to data out of the sensor"));
  s.push_back(float_param(p + "transfer_us", "us", transfer_us, 0, 1e6, false,
                          "data out of the sensor to the host (or the accelerator)"));
  s.push_back(float_param(p + "free_run_ppm", "ppm", free_run_ppm, -1e5, 1e5, false,
                          "the " + what + "'s own clock error when free-running"));
}

std::vector<ParamSpec> build_sync_specs() {
  std::vector<ParamSpec> s = {
      float_param("timesync.duration_s", "s", 120, 0, 1e6, true,
                  "simulated time (strata sync --duration-s overrides)"),
      int_param("timesync.seed", "-", 1, 0, 2147483647,
                "seed of every random draw (PPS jitter, noise, OS latency)"),
      choice_param("timesync.mode", "hardware", {"hardware", "software_only"},
                   "hardware: the sync unit triggers the sensors and stamps each sample (software "
                   "stamps are simulated beside them); software_only: free-running sensors, host "
                   "stamps only (the baseline)"),
      float_param("timesync.sample_period_s", "s", 1.0, 0.001, 3600, false,
                  "period of the time-error series"),
      float_param("timesync.vcd_window_s", "s", 2.0, 0, 3600, false,
                  "the waveform covers [0, this] of simulated time"),
      float_param("timesync.converged_ns", "ns", 200, 0, 1e9, true,
                  "re-converged: |time error| under this ..."),
      float_param("timesync.converged_hold_s", "s", 5, 0, 3600, false,
                  "... for this long without a break"),
      bool_param("gnss.present", true, "a GNSS receiver is fitted (false: free-running counter)"),
      float_param("gnss.pps_jitter_ns", "ns", 25, 0, 1e6, false,
                  "PPS edge jitter, 1 sigma (~25 ns timing receiver, ~1 us navigation receiver)"),
      float_param("gnss.nmea_delay_ms", "ms", 150, 0, 900, false,
                  "PPS edge to the NMEA sentence naming its second"),
      string_param("gnss.outages_s", "",
                   "GPS outages as \"START-END,START-END\" in seconds (no PPS, no NMEA)"),
      choice_param("oscillator.preset", "tcxo", {"xo", "tcxo", "ocxo", "rc"},
                   "local oscillator class: the defaults of the keys below (docs/timesync.md)"),
      float_param("oscillator.freq_mhz", "MHz", 100, 0, 10000, true,
                  "nominal frequency; the counter resolution is one period"),
      preset_float("oscillator.offset_ppm", "ppm", -1e5, 1e5, "frequency error at t = 0"),
      preset_float("oscillator.aging_ppm_per_day", "ppm/day", -100, 100, "linear frequency drift"),
      preset_float("oscillator.tempco_ppm_per_k", "ppm/K", -1000, 1000,
                   "frequency sensitivity to temperature"),
      float_param("oscillator.temp_swing_k", "K", 2, 0, 100, false,
                  "temperature wander: amplitude of a sinusoid ..."),
      float_param("oscillator.temp_period_s", "s", 600, 0, 1e9, true, "... of this period"),
      preset_float("oscillator.frequency_noise_ppb", "ppb", 0, 1e6,
                   "random-walk frequency noise: std dev of the step per second"),
      preset_float("oscillator.phase_noise_ps", "ps", 0, 1e6, "white phase noise per edge, rms"),
      float_param("servo.kp", "1/s", 0.3, 0, 1.5, false,
                  "proportional gain: share of the phase error slewed away over the next second"),
      float_param("servo.ki", "1/s", 0.05, 0, 1, false,
                  "integral gain: share of the phase error added to the frequency estimate"),
      float_param("servo.max_slew_ppm", "ppm", 200, 0, 1e5, true,
                  "bound on the slew rate (the counter never runs backwards)"),
      float_param("servo.integrator_clamp_ns", "ns", 1000, 0, 1e9, true,
                  "phase error the integral path sees at most (anti-windup after holdover)"),
      float_param("servo.holdover_timeout_s", "s", 1.5, 1.05, 60, false,
                  "PPS silence after which the unit enters holdover"),
      float_param("servo.step_threshold_us", "us", 1000, 0, 1e9, false,
                  "on first acquisition only, step the counter when off by more than this"),
      float_param("servo.initial_error_us", "us", 0, -1e9, 1e9, false,
                  "counter minus true time at power-up"),
  };
  add_sensor(s, "camera", 30, 1000, 5, 1, 2000, 8000, 5000, 15, "camera");
  add_sensor(s, "imu", 400, 100000, 1, 0.1, 0, 0, 250, -8, "IMU");
  add_sensor(s, "lidar", 10, 1000, 20, 1, 0, 0, 2000, 5, "LiDAR");
  const std::vector<ParamSpec> rest = {
      float_param("host.os_latency_median_us", "us", 80, 0, 1e6, true,
                  "OS stamping latency: median of the lognormal body"),
      float_param("host.os_latency_sigma", "-", 0.5, 0, 5, false,
                  "OS stamping latency: sigma of ln(latency) in the body"),
      float_param("host.os_tail_probability", "fraction", 0.01, 0, 1, false,
                  "share of samples delayed by the heavy (Pareto) tail"),
      float_param("host.os_tail_min_us", "us", 300, 0, 1e7, true, "the tail's smallest delay"),
      float_param("host.os_tail_alpha", "-", 1.5, 0, 100, true,
                  "the tail's Pareto shape (smaller: heavier)"),
      float_param("host.os_latency_max_us", "us", 100000, 0, 1e7, true, "cap on any OS delay"),
      bool_param("pipeline.enabled", false,
                 "camera frames become inference requests on the accelerator config's SoC"),
      string_param("pipeline.workload", "resnet18",
                   "what each frame runs: zoo spec, trace or topology (prepared as strata run "
                   "would, from the accelerator keys)"),
      float_param("pipeline.deadline_ms", "ms", 0, 0, 1e6, false,
                  "exposure to result deadline (0: one camera frame period)"),
      int_param("pipeline.queue_depth", "frames", 1, 0, 1000,
                "frames waiting for the accelerator; a full queue drops its oldest"),
      float_param("vehicle.speed_mps", "m/s", 30, 0, 1000, false,
                  "vehicle speed: a timing skew moves a fused point by speed x skew"),
  };
  s.insert(s.end(), rest.begin(), rest.end());
  return s;
}

SensorParams sensor_params(const ResolvedConfig& c, const std::string& name, uint64_t seed,
                           bool hardware) {
  const std::string p = "sensors." + name + ".";
  SensorParams s;
  s.name = name;
  s.rate_hz = c.get_float(p + "rate_hz");
  s.triggered = hardware;
  s.trigger_delay_us = c.get_float(p + "trigger_delay_us");
  s.trigger_jitter_us = c.get_float(p + "trigger_jitter_us");
  s.phase_us = c.get_float(p + "phase_us");
  if (name == "camera") s.exposure_us = c.get_float(p + "exposure_us");
  s.readout_us = c.get_float(p + "readout_us");
  s.transfer_us = c.get_float(p + "transfer_us");
  s.free_run_ppm = c.get_float(p + "free_run_ppm");
  s.seed = seed * 16 + (name == "camera" ? 1 : name == "imu" ? 2 : 3);
  return s;
}

}  // namespace

const std::vector<ParamSpec>& sync_param_specs() {
  static const std::vector<ParamSpec> specs = build_sync_specs();
  return specs;
}

const std::vector<ParamSpec>& sync_config_specs() {
  static const std::vector<ParamSpec> specs = [] {
    std::vector<ParamSpec> all = param_specs();
    for (const auto& s : sync_param_specs()) all.push_back(s);
    return all;
  }();
  return specs;
}

void override_sync_duration(ResolvedConfig& config, double duration_s) {
  if (duration_s == 0) return;
  const ParamSpec* spec = find_param_spec("timesync.duration_s", sync_param_specs());
  if (!(duration_s > spec->min && duration_s <= spec->max)) {
    char b[160];
    std::snprintf(b, sizeof b, "--duration-s: must be in (0, %g] s, got %g", spec->max, duration_s);
    throw InputError(b);
  }
  config.values["timesync"]["duration_s"] = duration_s;
}

SyncParams make_sync_params(const ResolvedConfig& c) {
  SyncParams p;
  const uint64_t seed = static_cast<uint64_t>(c.get_int("timesync.seed"));
  p.duration_s = c.get_float("timesync.duration_s");
  p.hardware = c.get_string("timesync.mode") == "hardware";
  p.vcd_window_s = c.get_float("timesync.vcd_window_s");
  p.converged_ns = c.get_float("timesync.converged_ns");
  p.converged_hold_s = c.get_float("timesync.converged_hold_s");

  p.gnss.present = c.get_bool("gnss.present");
  p.gnss.pps_jitter_ns = c.get_float("gnss.pps_jitter_ns");
  p.gnss.nmea_delay_ms = c.get_float("gnss.nmea_delay_ms");
  p.seed = seed;
  p.outages_text = c.get_string("gnss.outages_s");
  p.gnss.outages = parse_time_windows(p.outages_text, c.source + ": gnss.outages_s");
  p.gnss.seed = seed * 16 + 4;

  OscillatorParams& o = p.unit.oscillator;
  oscillator_preset(c.get_string("oscillator.preset"), &o);
  o.freq_mhz = c.get_float("oscillator.freq_mhz");
  const auto preset_or = [&](const char* key, double* field) {
    if (!c.at(key).is_null()) *field = c.get_float(key);
  };
  preset_or("oscillator.offset_ppm", &o.offset_ppm);
  preset_or("oscillator.aging_ppm_per_day", &o.aging_ppm_per_day);
  preset_or("oscillator.tempco_ppm_per_k", &o.tempco_ppm_per_k);
  preset_or("oscillator.frequency_noise_ppb", &o.frequency_noise_ppb);
  preset_or("oscillator.phase_noise_ps", &o.phase_noise_ps);
  o.temp_swing_k = c.get_float("oscillator.temp_swing_k");
  o.temp_period_s = c.get_float("oscillator.temp_period_s");
  o.seed = seed * 16 + 5;

  ServoParams& v = p.unit.servo;
  v.kp = c.get_float("servo.kp");
  v.ki = c.get_float("servo.ki");
  v.max_slew_ppm = c.get_float("servo.max_slew_ppm");
  v.integrator_clamp_ns = c.get_float("servo.integrator_clamp_ns");
  v.holdover_timeout_s = c.get_float("servo.holdover_timeout_s");
  v.step_threshold_us = c.get_float("servo.step_threshold_us");
  v.initial_error_us = c.get_float("servo.initial_error_us");
  p.unit.sample_period_s = c.get_float("timesync.sample_period_s");

  for (const char* name : {"camera", "imu", "lidar"}) {
    if (c.get_bool(std::string("sensors.") + name + ".enabled")) {
      p.sensors.push_back(sensor_params(c, name, seed, p.hardware));
    }
  }
  if (p.sensors.empty()) {
    throw InputError(c.source + ": sensors: every sensor is disabled; enable at least one");
  }

  p.os_latency.median_us = c.get_float("host.os_latency_median_us");
  p.os_latency.sigma = c.get_float("host.os_latency_sigma");
  p.os_latency.tail_probability = c.get_float("host.os_tail_probability");
  p.os_latency.tail_min_us = c.get_float("host.os_tail_min_us");
  p.os_latency.tail_alpha = c.get_float("host.os_tail_alpha");
  p.os_latency.max_us = c.get_float("host.os_latency_max_us");

  p.pipeline.enabled = c.get_bool("pipeline.enabled");
  p.pipeline.workload = c.get_string("pipeline.workload");
  p.pipeline.queue_depth = c.get_int("pipeline.queue_depth");
  if (p.pipeline.enabled && !c.get_bool("sensors.camera.enabled")) {
    throw InputError(c.source + ": pipeline.enabled: the pipeline needs sensors.camera.enabled");
  }
  const double deadline_ms = c.get_float("pipeline.deadline_ms");
  p.pipeline.deadline_s =
      deadline_ms > 0 ? deadline_ms * 1e-3 : 1.0 / c.get_float("sensors.camera.rate_hz");
  p.vehicle_speed_mps = c.get_float("vehicle.speed_mps");
  check_sync_budget(p, c.source);
  return p;
}

void check_sync_budget(const SyncParams& p, const std::string& source) {
  auto number = [](double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", x);
    return std::string(b);
  };
  double rate = 0;
  for (const auto& s : p.sensors) rate += s.rate_hz;
  // Every sample is kept (32 B) for the skew percentiles.
  const double samples = rate * p.duration_s;
  if (samples > kMaxSyncSamples) {
    throw InputError(source + ": timesync.duration_s: " + number(p.duration_s) + " s at " +
                     number(rate) + " samples/s (sensors.*.rate_hz) is " + number(samples) +
                     " samples, beyond the limit of " + number(kMaxSyncSamples) +
                     " per run; shorten the run or lower the rates");
  }
  const double series = p.duration_s / p.unit.sample_period_s;
  if (series > kMaxSyncSamples) {
    throw InputError(source + ": timesync.sample_period_s: " + number(series) +
                     " time-error samples over " + number(p.duration_s) +
                     " s, beyond the limit of " + number(kMaxSyncSamples));
  }
  // About six value changes per sample (trigger, stamp and counter pulses) and a few per second.
  const double vcd_changes = std::min(p.vcd_window_s, p.duration_s) * (6 * rate + 8);
  if (vcd_changes > kMaxVcdChanges) {
    throw InputError(source + ": timesync.vcd_window_s: " + number(p.vcd_window_s) + " s at " +
                     number(rate) + " samples/s is ~" + number(vcd_changes) +
                     " waveform changes, beyond the limit of " + number(kMaxVcdChanges) +
                     "; shorten the window");
  }
}

}  // namespace strata
