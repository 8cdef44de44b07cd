#include "sim/config/run_params.h"

#include <cmath>
#include <cstdlib>

#include "common/input_error.h"

namespace strata {
namespace {

RunMode run_mode(const std::string& name) {
  if (name == "bittrue") return RunMode::kBitTrue;
  if (name == "functional") return RunMode::kFunctional;
  return RunMode::kTile;  // the spec admits only these three names
}

// "a,b,c" -> three finite numbers (positive if `positive`); InputError naming the key otherwise.
std::array<double, 3> three_numbers(const ResolvedConfig& c, const std::string& key,
                                    bool positive) {
  const std::string text = c.get_string(key);
  std::array<double, 3> v{};
  size_t start = 0;
  for (size_t i = 0; i < 3; ++i) {
    const size_t comma = i < 2 ? text.find(',', start) : text.size();
    const std::string item = comma == std::string::npos ? "" : text.substr(start, comma - start);
    char* end = nullptr;
    v[i] = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(v[i]) || (positive && !(v[i] > 0))) {
      throw InputError(c.source + ": " + key + ": expected three " + (positive ? "positive " : "") +
                       "numbers 'r,g,b', got '" + text + "'");
    }
    start = comma + 1;
  }
  return v;
}

FunctionalParams functional_params(const ResolvedConfig& c) {
  FunctionalParams f;
  f.image_scale = c.get_float("functional.image_scale");
  if (!c.get_string("functional.image_mean").empty()) {
    f.image_mean = three_numbers(c, "functional.image_mean", false);
  }
  if (!c.get_string("functional.image_std").empty()) {
    f.image_std = three_numbers(c, "functional.image_std", true);
  }
  f.channel_order = c.get_string("functional.channel_order");
  f.primary_output = c.get_string("functional.primary_output");
  f.measured_activations = c.get_string("workload.activations") == "measured";
  return f;
}

SensorRunParams sensor_params(const ResolvedConfig& c) {
  SensorRunParams s;
  s.readout.readout_pj_per_value = c.get_float("sensor.readout_pj_per_value");
  s.readout.adc_bits = static_cast<int>(c.get_int("sensor.adc_bits"));
  s.readout.link_pj_per_bit = c.get_float("sensor.link_pj_per_bit");
  s.readout.values_per_us = c.get_float("sensor.values_per_us");
  s.noise = c.get_bool("sensor.noise");
  s.noise_model.white_electrons = c.get_float("sensor.white_electrons");
  s.noise_model.full_well_electrons = c.get_float("sensor.full_well_electrons");
  s.noise_model.read_noise_electrons = c.get_float("sensor.read_noise_electrons");
  s.noise_model.adc_bits = s.readout.adc_bits;
  return s;
}

}  // namespace

const char* to_string(RunMode mode) {
  switch (mode) {
    case RunMode::kTile:
      return "tile";
    case RunMode::kBitTrue:
      return "bittrue";
    case RunMode::kFunctional:
      return "functional";
  }
  return "?";
}

RunParams make_run_params(const ResolvedConfig& c) {
  RunParams p;
  p.name = c.get_string("name");
  p.mode = run_mode(c.get_string("sim.mode"));
  p.prep = workload_prep(c);
  if (p.mode == RunMode::kFunctional) p.functional = functional_params(c);
  if (c.get_bool("sensor.enabled")) p.sensor = sensor_params(c);
  if (c.get_bool("optics.enabled")) {
    if (p.mode == RunMode::kBitTrue) {
      throw InputError(c.source +
                       ": optics.enabled runs in sim.mode = \"tile\" or \"functional\": the "
                       "bit-true path does not model the optical layer");
    }
    if (!p.sensor) {
      throw InputError(c.source +
                       ": optics.enabled: the optical layer's cost is the sensor's readout; set "
                       "sensor.enabled too");
    }
    p.optics = OpticsParams{c.get_int("optics.kernel_max"), c.get_bool("optics.signed"),
                            c.get_float("optics.efficiency")};
  }
  return p;
}

}  // namespace strata
