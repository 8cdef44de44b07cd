#include "sim/run/simulation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "common/input_error.h"
#include "common/sanitizer_stack.h"
#include "hw_models/common/stats.h"
#include "hw_models/vector/vector_mapping.h"
#include "sim/config/component_params.h"
#include "sim/run/run_limits.h"
#include "sim/run/workload_cache.h"
#include "workloads/json_file.h"
#include "workloads/models/real_model_graphs.h"
#include "workloads/models/real_weights.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/optics/optical_layer.h"
#include "workloads/trace/trace_io.h"
#include "workloads/workload_loader.h"
#include "workloads/zoo.h"

#ifndef STRATA_WEIGHTS_DIR
#define STRATA_WEIGHTS_DIR ".cache/weights"
#endif

namespace strata {

double IntervalResult::energy_total_pj() const {
  double total = 0;
  for (const auto& [component, pj] : energy_pj) total += pj;
  return total;
}

PreparedRun prepare_run(const RunRequest& request) {
  ConfigTree tree = ConfigTree::load(request.config_path);
  for (const auto& o : request.overrides) tree.set_override(o);
  ResolvedConfig config = resolve_config(tree);
  if (!request.config_label.empty()) config.source = request.config_label;
  return prepare_run(std::move(config), request.workload, request.workload_cache_dir,
                     request.inputs_dir, request.inputs_progress);
}

bool front_end_request(const ResolvedConfig& config, const std::string& workload,
                       ModelQuantRequest* q) {
  const WorkloadPrep prep = workload_prep(config);
  // Zoo models and ONNX models carry weights for the front end; traces and topologies do not.
  if (!prep.enabled() || !(is_zoo_spec(workload) || is_onnx_spec(workload))) return false;
  q->model = workload;
  q->weights_dir = STRATA_WEIGHTS_DIR;
  q->scheme = prep.scheme;
  q->bits = prep.bits;
  q->dbb = prep.weight_dbb;
  q->activation_dbb = prep.activation_dbb;
  q->activation_dbb_keep = prep.activation_dbb_keep;
  q->layer_activation_dbb = prep.layer_activation_dbb;
  q->seed = prep.seed;
  q->with_tensors = q->keep_float_weights = config.get_string("sim.mode") == "bittrue";
  return true;
}

namespace {

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
      throw InputError(key + ": expected three " + (positive ? "positive " : "") +
                       "numbers 'r,g,b', got '" + text + "'");
    }
    start = comma + 1;
  }
  return v;
}

// The functional.* keys over the model's own preprocessing.
void apply_preprocessing_keys(const ResolvedConfig& c, ImagePreprocessing* p) {
  const double scale = c.get_float("functional.image_scale");
  if (scale > 0) p->pixel_scale = scale;
  if (!c.get_string("functional.image_mean").empty()) {
    p->mean = three_numbers(c, "functional.image_mean", false);
  }
  if (!c.get_string("functional.image_std").empty()) {
    p->std = three_numbers(c, "functional.image_std", true);
  }
  const std::string order = c.get_string("functional.channel_order");
  if (order != "model") p->bgr = order == "bgr";
}

// Functional mode: the model's whole graph (an ONNX file, or a zoo model built from its real
// weights), the front end's trace of it, both passes over the inputs, and the workload timing and
// energy run with (measured or declared statistics).
void prepare_functional(PreparedRun& p, const std::string& workload, const std::string& inputs_dir,
                        const std::function<void(size_t, size_t)>& progress) {
  if (inputs_dir.empty()) {
    throw InputError("sim.mode = \"functional\" needs --inputs DIR (images or .npy tensors)");
  }
  if (!p.prep.enabled()) {
    throw InputError("sim.mode = \"functional\" needs a quantization scheme (workload.scheme)");
  }
  const std::vector<std::string> files = list_input_files(inputs_dir);
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
    bytes = real_model_onnx(workload,
                            std::string(STRATA_WEIGHTS_DIR) + "/" + real_weights_file(workload),
                            &zoo_weight_files);
    preprocessing = real_model_preprocessing(workload);
  } else {
    throw InputError(
        "functional mode runs ONNX models and the zoo models with real weights (faceres, "
        "resnet34_face; strata list says which)");
  }
  apply_preprocessing_keys(p.config, &preprocessing);
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
  front_end_request(p.config, workload, &q);
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
  const std::string& scheme = p.prep.scheme;
  request.activation_rule =
      scheme == "ant" || scheme == "ant4-8" || scheme == "int4-8" ? "ant" : "sigma";
  request.input_files = files;
  request.progress = progress;
  request.mixed_int = scheme == "int4-8";
  request.activation_dbb_keep = p.prep.activation_dbb_keep;
  for (const auto& [layer, spec] : p.prep.layer_activation_dbb) {
    request.fixed_activation_dbb.insert(layer);
  }
  request.preprocessing = preprocessing;
  if (workload == "faceres") request.primary_output = "age_logits";
  if (workload == "resnet34_face") request.primary_output = "embedding";
  const std::string primary = p.config.get_string("functional.primary_output");
  if (!primary.empty()) {
    if (std::find(graph.outputs.begin(), graph.outputs.end(), primary) == graph.outputs.end()) {
      std::string known;
      for (const auto& o : graph.outputs) known += (known.empty() ? "" : ", ") + o;
      throw InputError("functional.primary_output: the model has no output '" + primary +
                       "' (outputs: " + known + ")");
    }
    request.primary_output = primary;
  }
  request.optics = p.config.get_bool("optics.enabled");
  request.optics_efficiency = p.config.get_float("optics.efficiency");
  request.optics_signed = p.config.get_bool("optics.signed");
  request.sensor_noise = p.config.get_bool("sensor.enabled") && p.config.get_bool("sensor.noise");
  request.sensor.white_electrons = p.config.get_float("sensor.white_electrons");
  request.sensor.full_well_electrons = p.config.get_float("sensor.full_well_electrons");
  request.sensor.read_noise_electrons = p.config.get_float("sensor.read_noise_electrons");
  request.sensor.adc_bits = static_cast<int>(p.config.get_int("sensor.adc_bits"));
  request.noise_seed = static_cast<uint64_t>(p.config.get_int("workload.seed"));
  p.functional_result = run_functional(request, data);
  const bool measured = p.config.get_string("workload.activations") == "measured";
  if (measured) {
    for (size_t i = 0; i < data.trace.layers.size(); ++i) {
      data.trace.layers[i].dbb.activation_density =
          p.functional_result.layers[i].measured_density();
    }
  }
  p.workload = trace_workload(measured ? data.trace : declared, workload);
  if (measured) {
    for (size_t i = 0; i < p.workload.layers.size(); ++i) {
      p.workload.layers[i].product_density = p.functional_result.layers[i].product_density();
    }
  }
  p.workload.names_vector_layers = true;
  p.workload.vector_layers = imported->workload.vector_layers;
  p.quant = quantized.summary;
  p.front_end_ran = true;
}

}  // namespace

PreparedRun prepare_run(ResolvedConfig config, const std::string& workload,
                        const std::string& workload_cache_dir, const std::string& inputs_dir,
                        const std::function<void(size_t, size_t)>& inputs_progress) {
  RunRequest request;
  request.workload = workload;
  PreparedRun p;
  p.config = std::move(config);
  p.soc = make_soc_params(p.config);
  p.tech = load_tech_table(p.config.tech_table_path);
  EnergyModel check(p.soc, p.tech);  // rejects a DRAM type the table lacks, before running
  (void)check;
  p.prep = workload_prep(p.config);
  p.bittrue = p.config.get_string("sim.mode") == "bittrue";
  p.functional = p.config.get_string("sim.mode") == "functional";
  ModelQuantRequest q;
  if (p.functional) {
    try {
      prepare_functional(p, request.workload, inputs_dir, inputs_progress);
    } catch (const InputError& e) {
      throw InputError(p.config.source + ": functional run (" + p.prep.describe() + ") of '" +
                       request.workload + "': " + e.what());
    }
  } else if (!inputs_dir.empty()) {
    throw InputError(
        "--inputs: only sim.mode = \"functional\" runs the network on inputs (add "
        "--set sim.mode=functional)");
  } else if (front_end_request(p.config, request.workload, &q)) {
    // The config names the quantization and sparsity its hardware expects: run the front end.
    try {
      ModelQuantResult r = quantize_model_cached(q, workload_cache_dir);
      p.workload = trace_workload(r.trace, request.workload);
      p.quant = r.summary;
      // The trace holds the array layers, in the model's order; the vector work between them
      // comes from the model itself.
      const Workload plain = load_workload(request.workload);
      if (plain.layers.size() != p.workload.layers.size()) {
        throw std::logic_error("the front end's trace of '" + request.workload + "' has " +
                               std::to_string(p.workload.layers.size()) + " layers, the model " +
                               std::to_string(plain.layers.size()));
      }
      p.workload.names_vector_layers = plain.names_vector_layers;
      p.workload.vector_layers = plain.vector_layers;
      if (p.bittrue) {
        p.bittrue_inputs.trace = std::move(r.trace);
        p.bittrue_inputs.tensors = std::move(r.tensors);
        p.bittrue_inputs.float_weights = std::move(r.float_weights);
      }
    } catch (const InputError& e) {
      throw InputError(p.config.source + ": workload preparation (" + p.prep.describe() + ") of '" +
                       request.workload + "': " + e.what());
    }
    p.front_end_ran = true;
  } else {
    p.workload = load_workload(request.workload);
    if (p.bittrue) {
      const std::string& w = request.workload;
      const bool json = w.size() > 5 && w.substr(w.size() - 5) == ".json";
      if (json && is_trace_document(load_json_file(w))) {
        p.bittrue_inputs.trace = load_trace(w, &p.bittrue_inputs.tensors);
      }
      if (p.bittrue_inputs.tensors.empty()) {
        throw InputError(w +
                         ": sim.mode = \"bittrue\" needs operand codes: a trace with tensors "
                         "(strata quantize --with-tensors) or a config whose workload.scheme "
                         "prepares a zoo model");
      }
    }
  }
  if (p.bittrue) {
    for (size_t i = 0; i < p.bittrue_inputs.trace.layers.size(); ++i) {
      try {
        check_bittrue_layer(p.bittrue_inputs, i);
      } catch (const InputError& e) {
        throw InputError(p.workload.source + ": " + e.what());
      }
    }
  }
  // The image sensor, and the first layer moved into optics in front of it.
  p.sensor = p.config.get_bool("sensor.enabled");
  p.optics = p.config.get_bool("optics.enabled");
  if (!p.workload.layers.empty() && (p.sensor || p.optics)) {
    if (p.optics && p.config.get_string("sim.mode") == "bittrue") {
      throw InputError(p.config.source +
                       ": optics.enabled runs in sim.mode = \"tile\" or \"functional\": the "
                       "bit-true path does not model the optical layer");
    }
    if (p.optics && !p.sensor) {
      throw InputError(p.config.source +
                       ": optics.enabled: the optical layer's cost is the sensor's readout; set "
                       "sensor.enabled too");
    }
    int64_t values = p.workload.layers.front().input_elements();  // the RGB frame
    if (p.optics) {
      try {
        const OpticalFirstLayer o = move_first_layer_to_optics(
            p.workload, p.config.get_int("optics.kernel_max"), p.config.get_bool("optics.signed"));
        p.optical_layer = o.layer;
        values = o.sensor_values;
        // Its figures were the optics' (the sensor's, in functional_result); the array's layers
        // start at the second.
        if (p.functional) {
          p.functional_result.layers.erase(p.functional_result.layers.begin());
        }
      } catch (const InputError& e) {
        throw InputError(p.config.source + ": " + e.what() + " (workload '" + p.workload.source +
                         "')");
      }
      if (p.workload.layers.empty()) {
        throw InputError(p.config.source + ": optics.enabled: '" + p.workload.source +
                         "' has no layer left after its first");
      }
    }
    ImageSensorParams sp;
    sp.readout_pj_per_value = p.config.get_float("sensor.readout_pj_per_value");
    sp.adc_bits = static_cast<int>(p.config.get_int("sensor.adc_bits"));
    sp.link_pj_per_bit = p.config.get_float("sensor.link_pj_per_bit");
    sp.values_per_us = p.config.get_float("sensor.values_per_us");
    p.sensor_readout = sensor_readout(sp, values);
  }
  // Vector work strata cannot cost, or out of order, is rejected before anything is simulated.
  check_vector_schedule(p.workload, p.workload.source);
  for (const VectorLayer& v : p.workload.vector_layers) {
    try {
      vector_cycles(vector_work_of(v), {1, 1, p.soc.controller.vector.element_bits});
    } catch (const std::invalid_argument& e) {
      throw InputError(p.workload.source + ": " + e.what());
    }
  }
  // Operands the configured PE cannot run are rejected before anything is simulated.
  const PeParams& pe = p.soc.array.pe;
  for (size_t i = 0; i < p.workload.layers.size(); ++i) {
    const Layer& l = p.workload.layers[i];
    const OperandBits bits = layer_operand_bits(p.soc.controller.tiling.bits, p.workload, i);
    std::string e = pe_support_error(pe, bits.input, bits.weight, l.input_type, l.weight_type);
    if (e.empty()) e = layer_sparsity_error(p.soc.array.sparsity, l);
    if (!e.empty()) {
      throw InputError(p.workload.source + ": layer '" + l.name + "': " + e);
    }
  }
  check_run_limits(p);
  return p;
}

SocCounters read_soc_counters(const std::string& soc_root) {
  const StatIndex index(soc_root, "soc");
  std::map<std::string, int64_t> m;
  const std::vector<int64_t> values = index.values();
  for (size_t i = 0; i < values.size(); ++i) m[index.paths()[i]] = values[i];
  return SocCounters::from(m);
}

LayerAccounting::LayerAccounting(const PreparedRun& run, std::string soc_root)
    : run_(run), energy_(run.soc, run.tech), soc_root_(std::move(soc_root)) {}

void LayerAccounting::layer_started() {
  // Named as a lone SoC's counters ("soc.array.mac_ops"), whatever this SoC's module is called.
  if (!stats_) stats_ = std::make_unique<StatIndex>(soc_root_, "soc");
  at_layer_start_ = stats_->values();
}

IntervalResult LayerAccounting::layer_ended(size_t index, const LayerTiming& timing) const {
  IntervalResult r;
  r.name = run_.workload.layers[index].name;
  r.timing = timing;
  r.macs = run_.workload.layers[index].macs();
  const std::vector<int64_t> now = stats_->values();
  for (size_t i = 0; i < now.size(); ++i) {
    r.counts.emplace_hint(r.counts.end(), stats_->paths()[i], now[i] - at_layer_start_[i]);
  }
  r.counters = SocCounters::from(r.counts);
  const OperandBits bits =
      layer_operand_bits(run_.soc.controller.tiling.bits, run_.workload, index);
  const LayerExecution exec = layer_execution(run_.soc.array.pe, run_.soc.array.sparsity,
                                              run_.workload.layers[index], bits.input, bits.weight);
  if (run_.bittrue) {
    r.bittrue = true;
    r.bittrue_result = run_bittrue_layer(run_.bittrue_inputs, index, run_.soc.array, bits.output);
    if (run_.soc.array.sparsity.gates_zeros()) {
      // The codes say exactly which issued operations have a zero operand.
      r.counters.gated_mac_ops =
          std::max<int64_t>(0, r.counters.mac_ops - r.bittrue_result.nonzero_products);
      r.counts.at("soc.array.gated_mac_ops") = r.counters.gated_mac_ops;
    }
  }
  r.energy_pj = energy_.evaluate(r.counters, bits, exec,
                                 static_cast<double>(timing.cycles) / (run_.soc.freq_mhz * 1e6));
  r.vector_work_energy_pj = energy_.vector_work_energy_pj(r.counters);
  return r;
}

double vector_operation_energy_pj(const EnergyModel& energy, const VectorLayerTiming& timing) {
  SocCounters c;
  c.vector_op_elements[static_cast<size_t>(timing.work.op)] = timing.work.work_elements;
  for (const auto& stage : timing.work.fused) {
    c.vector_op_elements[static_cast<size_t>(stage.op)] += stage.work_elements;
  }
  c.vector_buffer_read_bytes = timing.figures.bytes_read;
  c.vector_buffer_write_bytes = timing.figures.bytes_written;
  c.vector_dram_read_bytes = timing.dram_read_bytes;
  c.vector_dram_write_bytes = timing.dram_write_bytes;
  return energy.vector_work_energy_pj(c);
}

VectorLayerResult LayerAccounting::vector_layer(const VectorLayerTiming& timing) const {
  VectorLayerResult r;
  r.timing = timing;
  r.energy_pj = vector_operation_energy_pj(energy_, timing);
  return r;
}

RunResult run_simulation(const PreparedRun& run,
                         const std::function<void(size_t, size_t)>& progress) {
  RunResult result;
  result.freq_mhz = run.soc.freq_mhz;
  result.array_pes = run.soc.array.geometry.rows * run.soc.array.geometry.cols;
  LayerAccounting accounting(run);
  result.area_mm2 = accounting.energy().area();
  result.leakage_mw = accounting.energy().leakage_mw();

  auto on_start = [&](size_t, const LayerTiming&) { accounting.layer_started(); };
  auto on_end = [&](size_t index, const LayerTiming& timing) {
    result.layers.push_back(accounting.layer_ended(index, timing));
    if (progress) progress(result.layers.size(), run.workload.layers.size());
  };
  auto on_vector = [&](size_t, const VectorLayerTiming& timing) {
    result.vector_layers.push_back(accounting.vector_layer(timing));
  };
  Soc soc("soc", run.soc, run.workload, on_start, on_end, nullptr, on_vector);
  read_soc_counters();  // every counter the results read exists, before anything runs
  sc_core::sc_start();
  restore_main_stack_for_sanitizers();  // errors thrown from here on unwind the main stack
  if (result.layers.size() != run.workload.layers.size()) {
    throw std::runtime_error("simulation ended after " + std::to_string(result.layers.size()) +
                             " of " + std::to_string(run.workload.layers.size()) + " layers");
  }

  IntervalResult& t = result.totals;
  t.name = "total";
  for (const auto& s : collect_stats()) {
    t.counts[s.path] = s.value;
    result.stat_info.push_back({s.path, s.unit, s.description});
  }
  if (run.bittrue) {
    // Gated operations counted from the codes replace the density estimate in the totals too.
    int64_t gated = 0;
    for (const auto& l : result.layers) gated += l.counters.gated_mac_ops;
    t.counts.at("soc.array.gated_mac_ops") = gated;
  }
  t.counters = SocCounters::from(t.counts);
  // Layers may differ in operand widths: the total energy is the sum of the layers'.
  for (const auto& c : EnergyModel::components()) t.energy_pj[c] = 0;
  for (const auto& l : result.layers) {
    for (const auto& [c, pj] : l.energy_pj) t.energy_pj[c] += pj;
    t.timing.cycles += l.timing.cycles;
    t.timing.array_cycles += l.timing.array_cycles;
    t.timing.compute_cycles += l.timing.compute_cycles;
    t.timing.stall_cycles += l.timing.stall_cycles;
    t.timing.vector_cycles += l.timing.vector_cycles;
    t.timing.vector_stall_cycles += l.timing.vector_stall_cycles;
    t.vector_work_energy_pj += l.vector_work_energy_pj;
    t.timing.folds += l.timing.folds;
    t.macs += l.macs;
  }
  return result;
}

}  // namespace strata
