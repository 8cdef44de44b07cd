#include "sim/run/simulation.h"

#include <algorithm>
#include <cmath>

#include "common/input_error.h"
#include "common/sanitizer_stack.h"
#include "hw_models/common/stats.h"
#include "hw_models/vector/vector_mapping.h"
#include "sim/config/component_params.h"
#include "sim/run/run_limits.h"
#include "sim/run/run_mode.h"
#include "workloads/mappings_file.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/optics/optical_layer.h"
#include "workloads/zoo/zoo.h"

#ifndef STRATA_WEIGHTS_DIR
#define STRATA_WEIGHTS_DIR ".cache/weights"
#endif

namespace strata {

double IntervalResult::energy_total_pj() const {
  double total = 0;
  for (const auto& [component, pj] : energy_pj) total += pj;
  return total;
}

std::string real_weights_dir() { return STRATA_WEIGHTS_DIR; }

PreparedRun prepare_run(const RunRequest& request) {
  ConfigTree tree = ConfigTree::load(request.config_path);
  for (const auto& o : request.overrides) tree.set_override(o);
  ResolvedConfig config = resolve_config(tree);
  if (!request.config_label.empty()) config.source = request.config_label;
  return prepare_run(std::move(config),
                     RunInputs{request.workload, request.workload_cache_dir, request.inputs_dir,
                               request.inputs_progress, request.mappings_path});
}

bool front_end_request(const RunParams& params, const std::string& workload, ModelQuantRequest* q) {
  const WorkloadPrep& prep = params.prep;
  // Zoo models and ONNX models carry weights for the front end; traces and topologies do not.
  if (!prep.enabled() || !(is_zoo_spec(workload) || is_onnx_spec(workload))) return false;
  q->model = workload;
  q->weights_dir = real_weights_dir();
  q->scheme = prep.scheme;
  q->bits = prep.bits;
  q->dbb = prep.weight_dbb;
  q->activation_dbb = prep.activation_dbb;
  q->activation_dbb_keep = prep.activation_dbb_keep;
  q->layer_activation_dbb = prep.layer_activation_dbb;
  q->seed = prep.seed;
  q->with_tensors = q->keep_float_weights = params.mode == RunMode::kBitTrue;
  return true;
}

namespace {

// Which config key changes what the PE cannot do.
std::string pe_config_hint(const PeParams& pe, PeSupport::Problem problem) {
  if (problem == PeSupport::Problem::kTooWide) {
    return pe.kind == PeKind::kInt ? " (array.int_bits)" : " (array.pe)";
  }
  return pe.kind == PeKind::kAnt
             ? " (array.pe = \"ant\" decodes int, flint and pot)"
             : " (it reads int; flint and pot need array.pe = \"ant\": run on an ANT config such "
               "as configs/ant_os_28nm.json or configs/ant_dbb_16nm.json, or add --set "
               "array.pe=ant)";
}

// The image sensor in front of the network, and its first layer moved into optics.
void prepare_sensor(PreparedRun& p) {
  if (p.workload.layers.empty() || !p.params.sensor) return;
  int64_t values = p.workload.layers.front().input_elements();  // the RGB frame
  if (const auto& optics = p.params.optics) {
    try {
      const OpticalFirstLayer o =
          move_first_layer_to_optics(p.workload, optics->kernel_max, optics->is_signed);
      p.optical_layer = o.layer;
      values = o.sensor_values;
      // Its figures were the optics' (the sensor's, in the functional result); the array's
      // layers start at the second.
      if (p.functional) p.functional->layers.erase(p.functional->layers.begin());
    } catch (const InputError& e) {
      throw InputError(p.config.source + ": " + e.what() + " (workload '" + p.workload.source +
                       "')");
    }
    if (p.workload.layers.empty()) {
      throw InputError(p.config.source + ": optics.enabled: '" + p.workload.source +
                       "' has no layer left after its first");
    }
  }
  p.sensor_readout = sensor_readout(p.params.sensor->readout, values);
}

}  // namespace

PreparedRun prepare_run(ResolvedConfig config, const RunInputs& inputs) {
  PreparedRun p;
  p.config = std::move(config);
  p.soc = make_soc_params(p.config);
  p.params = make_run_params(p.config);
  p.tech = load_tech_table(p.config.tech_table_path);
  EnergyModel check(p.soc, p.tech);  // rejects a DRAM type the table lacks, before running
  (void)check;
  run_mode_driver(p.params.mode).prepare(p, inputs);
  if (!inputs.mappings_path.empty()) apply_mappings_file(p.workload, inputs.mappings_path);
  prepare_sensor(p);
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
    const PeSupport support = pe_support(pe, bits.input, bits.weight, l.input_type, l.weight_type);
    std::string e = support.ok() ? layer_sparsity_error(p.soc.array.sparsity, l)
                                 : support.message + pe_config_hint(pe, support.problem);
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
  run_mode_driver(run_.params.mode).finish_layer(run_, index, bits.output, r);
  const double seconds = static_cast<double>(timing.cycles) / (run_.soc.freq_mhz * 1e6);
  r.energy_pj = energy_.evaluate(r.counters, bits, exec, seconds);
  r.dram_energy_pj = energy_.dram_energy(r.counters, seconds);
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
  run_mode_driver(run.params.mode).finish_totals(result, t);
  t.counters = SocCounters::from(t.counts);
  // Layers may differ in operand widths: the total energy is the sum of the layers'.
  for (const auto& c : EnergyModel::components()) t.energy_pj[c] = 0;
  for (const auto& l : result.layers) {
    for (const auto& [c, pj] : l.energy_pj) t.energy_pj[c] += pj;
    t.dram_energy_pj += l.dram_energy_pj;
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
