#pragma once
// Functional mode (`sim.mode = "functional"`, docs/functional.md): the network runs on real
// inputs twice, in float (the reference) and on the quantized path (the array's layers bit-true
// from the trace's codes, their inputs quantized as the hardware would, the work between them in
// float on dequantized values). A first float pass calibrates each layer's activation type and
// scale on the inputs; the second measures what the timing and energy models otherwise assume:
// the zero fraction the array sees, the A-DBB retained density, the MACs a zero-gating array can
// gate, and the accuracy of the quantized path, per layer and end to end.
#include <array>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "hw_models/array/array_params.h"
#include "hw_models/sensor/sensor_noise.h"
#include "sim/run/bittrue_run.h"
#include "workloads/functional/image_input.h"
#include "workloads/onnx/onnx_graph.h"
#include "workloads/onnx/onnx_import.h"

namespace strata {

// One array layer over all inputs.
struct FunctionalLayer {
  std::string name;
  // The front end's declared input statistics and type, and the measured ones (types with their
  // width: "int4", "flint4", "int8").
  std::string declared_type, measured_type;
  double declared_scale = 0, measured_scale = 0;
  double declared_density = 1;  // non-zero fraction after the top-k unit, as modelled
  // Non-zero products as modelled: weight density x input density (independent operands).
  double declared_product_density = 1;
  // The A-DBB bound (non-zeros kept per block of `bz`): the front end's from the declared
  // distribution, and the one the inputs calibrate when the schedule is "auto" (else the same).
  int bz = 8, declared_nnz = 8, measured_nnz = 8;
  int64_t input_values = 0;   // over all inputs
  int64_t float_zeros = 0;    // exact zeros of the float path's inputs
  int64_t code_zeros = 0;     // zero codes after quantization (before any top-k)
  int64_t kept_nonzeros = 0;  // non-zero codes the array sees (after its top-k unit)
  // Non-zero codes a top-k of half of every block would keep, blocks of 4, 8 and 16 values.
  std::array<int64_t, 3> half_block_kept{};
  double input_min = 0, input_max = 0;  // float path
  int64_t macs = 0, nonzero_products = 0;
  double signal = 0, noise = 0;  // the layer's output, quantized path against float

  double zero_fraction() const;     // float zeros / values
  double measured_density() const;  // kept non-zeros / values
  double product_density() const;   // non-zero products / MACs
  double output_sqnr_db() const;    // inf when exact
};

// One output of the network over all inputs.
struct FunctionalOutput {
  std::string name;
  int64_t elements = 0;  // per input
  double signal = 0, noise = 0;
  int64_t top1_agreements = 0;  // argmax equal (outputs of more than one element)
  double cosine_sum = 0;
  int64_t inputs = 0;
  double sqnr_db() const;
  double top1_agreement() const;  // NaN for single-element outputs
  double mean_cosine() const;
};

struct FunctionalResult {
  std::string graph;  // what ran: the ONNX file, or the zoo model built from its weights
  std::vector<std::string> input_files;
  std::string preprocessing;  // ImagePreprocessing::describe(), "" if only tensors
  std::string activation_rule;
  std::vector<FunctionalLayer> layers;  // the import's array layers, in order
  std::vector<FunctionalOutput> outputs;
  size_t primary = 0;  // the output the report's totals and strata compare quote
  // With the sensor's noise (FunctionalRequest::sensor_noise): what the sensor delivered
  // against the exact values (the network's input, or the optical first layer's output), and
  // the photo-electrons per pixel read, over all inputs.
  bool sensed = false;
  double sensor_signal = 0, sensor_noise = 0, sensor_electrons = 0;
  int64_t sensor_pixels = 0;
  double sensor_sqnr_db() const;         // inf when exact
  double sensor_mean_electrons() const;  // per pixel read
};

struct FunctionalRequest {
  const OnnxGraph* graph = nullptr;
  const OnnxImport* import = nullptr;  // of `graph`, with its weights
  const ArrayParams* array = nullptr;
  std::string activation_rule = "ant";  // "ant" or "sigma", as the front end's scheme uses
  bool allow_float = false;
  // BitFusion's int4-8: an input stays below 8 bits only where int is its best type on the
  // measured values (ANT's search), else it goes to 8-bit int, as the front end decides.
  bool mixed_int = false;
  std::vector<std::string> input_files;
  ImagePreprocessing preprocessing;
  // The output accuracy is quoted on (the logits or the embedding); "" = the graph's first.
  std::string primary_output;
  // A-DBB "auto" (workload.activation_dbb_keep > 0): every layer but the first gets the smallest
  // NNZ_a whose top-k keeps this fraction of its measured activations' energy, in blocks of
  // channels as the top-k unit cuts them; layers named in `fixed_activation_dbb` keep theirs.
  double activation_dbb_keep = 0;
  std::set<std::string> fixed_activation_dbb;
  // The optical first layer (optics.enabled, docs/seeds.md): the first array layer is computed
  // by the optics in front of the sensor, exactly unless `sensor_noise`; it must read the
  // model's input.
  bool optics = false;
  double optics_efficiency = 0.5;
  bool optics_signed = true;
  // sensor.enabled with sensor.noise: the quantized path sees the scene through the sensor's
  // shot and read noise and ADC (the float reference does not): the network's input as a camera
  // reads it, or with `optics` the first layer's output as the sensor reads the optics' light.
  // Needs image inputs (the preprocessing maps the scene's intensity to the network's input).
  bool sensor_noise = false;
  SensorNoiseParams sensor;
  uint64_t noise_seed = 1;  // each input draws from its own stream of it
  // Called after each input of each pass with (done, total) for progress lines.
  std::function<void(size_t, size_t)> progress;
};

// Runs both passes. `data` holds the front end's trace and codes for the import's layers; its
// activation types and scales are replaced by the calibrated ones. Throws InputError naming the
// file or node on bad inputs or a graph the quantized path cannot run.
FunctionalResult run_functional(const FunctionalRequest& request, BitTrueInputs& data);

}  // namespace strata
