// sim.mode = "functional" (docs/functional.md): the model's whole graph (an ONNX file, or a zoo
// model built from its real weights) run on real inputs, float and quantized, and the timing and
// energy run with the activation statistics it measured (or the declared ones).
#include <algorithm>
#include <memory>

#include "common/input_error.h"
#include "sim/run/run_mode.h"
#include "workloads/models/real_model_graphs.h"
#include "workloads/models/real_weights.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

// The functional.* keys over the model's own preprocessing.
void apply_preprocessing(const FunctionalParams& f, ImagePreprocessing* p) {
  if (f.image_scale > 0) p->pixel_scale = f.image_scale;
  if (f.image_mean) p->mean = *f.image_mean;
  if (f.image_std) p->std = *f.image_std;
  if (f.channel_order != "model") p->bgr = f.channel_order == "bgr";
}

void prepare_functional(PreparedRun& p, const RunInputs& in) {
  const std::string& workload = in.workload;
  const FunctionalParams& fp = *p.params.functional;
  if (in.inputs_dir.empty()) {
    throw InputError("sim.mode = \"functional\" needs --inputs DIR (images or .npy tensors)");
  }
  if (!p.params.prep.enabled()) {
    throw InputError("sim.mode = \"functional\" needs a quantization scheme (workload.scheme)");
  }
  const std::vector<std::string> files = list_input_files(in.inputs_dir);
  std::string bytes, name;
  std::map<std::string, std::vector<int64_t>> shapes;
  ImagePreprocessing preprocessing;
  std::vector<WeightFile> zoo_weight_files;
  if (is_onnx_spec(workload)) {
    name = parse_onnx_spec(workload, &shapes);
    bytes = read_onnx_file(name);
    preprocessing.pixel_scale = 1.0 / 255;  // images in [0, 1]: docs/functional.md
  } else if (has_real_model_graph(workload)) {
    name = workload;
    bytes = real_model_onnx(workload, real_weights_dir() + "/" + real_weights_file(workload),
                            &zoo_weight_files);
    preprocessing = real_model_preprocessing(workload);
  } else {
    throw InputError(
        "functional mode runs ONNX models and the zoo models with real weights (faceres, "
        "resnet34_face; strata list says which)");
  }
  apply_preprocessing(fp, &preprocessing);
  const OnnxGraph graph = parse_onnx_graph(bytes, name, shapes);
  OnnxImportOptions options;
  options.input_shapes = shapes;
  options.read_weights = true;
  // A file's weights are named by its SHA-256; a zoo model's by its TF.js weights.
  const auto imported = std::make_shared<OnnxImport>(
      import_onnx_graph(graph, is_onnx_spec(workload) ? bytes : std::string(), options));
  if (!is_onnx_spec(workload)) {
    imported->weight_files = zoo_weight_files;
    for (auto& [layer, w] : imported->weights) {
      w.source = "real: " + real_weights_file(workload) + " " + w.source.substr(6);
    }
  }
  ModelQuantRequest q;
  front_end_request(p.params, workload, &q);
  q.onnx_import = imported;
  q.with_tensors = q.keep_float_weights = true;
  ModelQuantResult quantized = quantize_model(q);
  const Trace declared = quantized.trace;
  BitTrueInputs data{std::move(quantized.trace), std::move(quantized.tensors),
                     std::move(quantized.float_weights)};
  FunctionalRequest request;
  request.graph = &graph;
  request.import = imported.get();
  request.array = &p.soc.array;
  const std::string& scheme = p.params.prep.scheme;
  request.activation_rule =
      scheme == "ant" || scheme == "ant4-8" || scheme == "int4-8" ? "ant" : "sigma";
  request.input_files = files;
  request.progress = in.inputs_progress;
  request.mixed_int = scheme == "int4-8";
  request.activation_dbb_keep = p.params.prep.activation_dbb_keep;
  for (const auto& [layer, spec] : p.params.prep.layer_activation_dbb) {
    request.fixed_activation_dbb.insert(layer);
  }
  request.preprocessing = preprocessing;
  if (workload == "faceres") request.primary_output = "age_logits";
  if (workload == "resnet34_face") request.primary_output = "embedding";
  if (!fp.primary_output.empty()) {
    if (std::find(graph.outputs.begin(), graph.outputs.end(), fp.primary_output) ==
        graph.outputs.end()) {
      std::string known;
      for (const auto& o : graph.outputs) known += (known.empty() ? "" : ", ") + o;
      throw InputError("functional.primary_output: the model has no output '" + fp.primary_output +
                       "' (outputs: " + known + ")");
    }
    request.primary_output = fp.primary_output;
  }
  if (p.params.optics) {
    request.optics = true;
    request.optics_efficiency = p.params.optics->efficiency;
    request.optics_signed = p.params.optics->is_signed;
  }
  if (p.params.sensor) {
    request.sensor_noise = p.params.sensor->noise;
    request.sensor = p.params.sensor->noise_model;
  }
  request.noise_seed = p.params.prep.seed;
  FunctionalResult& result = p.functional.emplace(run_functional(request, data));
  if (fp.measured_activations) {
    for (size_t i = 0; i < data.trace.layers.size(); ++i) {
      data.trace.layers[i].dbb.activation_density = result.layers[i].measured_density();
    }
  }
  p.workload = trace_workload(fp.measured_activations ? data.trace : declared, workload);
  if (fp.measured_activations) {
    for (size_t i = 0; i < p.workload.layers.size(); ++i) {
      p.workload.layers[i].product_density = result.layers[i].product_density();
    }
  }
  p.workload.names_vector_layers = true;
  p.workload.vector_layers = imported->workload.vector_layers;
  p.quant = quantized.summary;
  p.front_end_ran = true;
}

class FunctionalMode : public RunModeDriver {
 public:
  void prepare(PreparedRun& p, const RunInputs& in) const override {
    try {
      prepare_functional(p, in);
    } catch (const InputError& e) {
      throw InputError(p.config.source + ": functional run (" + p.params.prep.describe() +
                       ") of '" + in.workload + "': " + e.what());
    }
  }
};

}  // namespace

const RunModeDriver& functional_mode() {
  static const FunctionalMode mode;
  return mode;
}

}  // namespace strata
