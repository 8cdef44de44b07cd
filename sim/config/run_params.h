#pragma once
// The run plan a config makes beside its hardware (SocParams): the mode (sim.mode) and the keys
// that matter only in some runs, validated once here. The run driver branches on these types,
// never on config strings.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "hw_models/sensor/image_sensor.h"
#include "hw_models/sensor/sensor_noise.h"
#include "sim/config/param_specs.h"
#include "sim/config/workload_prep.h"

namespace strata {

// sim.mode: what a run computes beside the timing model (docs/bittrue.md, docs/functional.md).
enum class RunMode {
  kTile,        // timing and energy only
  kBitTrue,     // every layer's outputs from the trace's codes, against float
  kFunctional,  // the whole network on real inputs, quantized against float
};
const char* to_string(RunMode mode);

// Functional mode's input handling (functional.*, workload.activations).
struct FunctionalParams {
  double image_scale = 0;  // > 0: replaces the model's pixel scale
  std::optional<std::array<double, 3>> image_mean, image_std;  // replace the model's
  std::string channel_order = "model";                         // model | rgb | bgr
  std::string primary_output;        // the output accuracy is quoted on; "" = the model's
  bool measured_activations = true;  // time the measured (not declared) activation statistics
};

// sensor.enabled: the image sensor in front of the network.
struct SensorRunParams {
  ImageSensorParams readout;
  bool noise = true;  // functional mode reads the scene through the noise model
  SensorNoiseParams noise_model;
};

// optics.enabled: the first layer computed in optics in front of the sensor.
struct OpticsParams {
  int64_t kernel_max = 7;
  bool is_signed = true;
  double efficiency = 0.5;
};

struct RunParams {
  std::string name;  // the config's `name`
  RunMode mode = RunMode::kTile;
  WorkloadPrep prep;                           // workload.*: the front end's settings
  std::optional<FunctionalParams> functional;  // mode == kFunctional
  std::optional<SensorRunParams> sensor;          // sensor.enabled
  std::optional<OpticsParams> optics;          // optics.enabled
};

// Throws InputError naming the config file and key for a value or a combination the run cannot
// honour (optics without the sensor, optics in bit-true mode, a malformed 'r,g,b').
RunParams make_run_params(const ResolvedConfig& config);

}  // namespace strata
