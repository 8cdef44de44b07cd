#pragma once
// One simulation: a validated config and a workload in, per-layer and total results out.
// SystemC allows one elaboration per process: call run_simulation once per process.
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/sensor/image_sensor.h"
#include "hw_models/soc/soc.h"
#include "sim/config/param_specs.h"
#include "sim/config/run_params.h"
#include "sim/config/workload_prep.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/soc_counters.h"
#include "sim/run/bittrue_run.h"
#include "sim/run/functional_run.h"
#include "workloads/front_end/model_quantizer.h"
#include "workloads/layer.h"

namespace strata {

struct RunRequest {
  std::string config_path;
  std::string config_label;            // how reports name the config; config_path if empty
  std::vector<std::string> overrides;  // "key.path=value"
  std::string workload;                // zoo spec, trace .json or topology .csv
  // Where prepared workloads (the front end's traces for workload.* configs) are cached; "" = no
  // cache (sim/run/workload_cache.h).
  std::string workload_cache_dir;
  // Functional mode: a directory of images or .npy tensors the network runs on (--inputs), and
  // an optional progress callback (inputs run, of two passes' worth).
  std::string inputs_dir;
  std::function<void(size_t, size_t)> inputs_progress;
  // --mappings: explicit mappings pinned on layers by name (workloads/mappings_file.h); "" none.
  std::string mappings_path;
};

// What a run is prepared from besides its config.
struct RunInputs {
  std::string workload;            // zoo spec, ONNX spec, trace .json or topology .csv
  std::string workload_cache_dir;  // "" = no cache (sim/run/workload_cache.h)
  std::string inputs_dir;          // functional mode's --inputs
  std::function<void(size_t, size_t)> inputs_progress;
  std::string mappings_path;  // --mappings, "" = none
};

// Everything loaded and validated before elaboration: bad input fails here, before any output.
// Each mode's data is present only in the runs it applies to.
struct PreparedRun {
  ResolvedConfig config;
  SocParams soc;     // the hardware
  RunParams params;  // the run: its mode, the front end's settings, sensor and optics
  TechTable tech;
  Workload workload;
  bool front_end_ran = false;  // the workload is the front end's trace of a zoo model
  ModelQuantSummary quant;     // its summary, when it ran
  // sim.mode = "bittrue": the trace, its codes and (when known) float weights.
  std::optional<BitTrueInputs> bittrue;
  // sim.mode = "functional": its figures.
  std::optional<FunctionalResult> functional;
  // sensor.enabled: the image sensor's readout of the network's input, per inference.
  std::optional<SensorReadout> sensor_readout;
  // optics.enabled: the first layer ran in optics and the sensor read its output.
  std::optional<Layer> optical_layer;
};
PreparedRun prepare_run(const RunRequest& request);
// The same from a config already resolved (it may carry keys of other components).
PreparedRun prepare_run(ResolvedConfig config, const RunInputs& inputs);

// The front-end request a run makes of a zoo or ONNX workload (its workload.* keys), or false
// when the workload runs as it is (no workload.* scheme, or not a model with weights).
bool front_end_request(const RunParams& params, const std::string& workload,
                       ModelQuantRequest* request);

struct IntervalResult {
  std::string name;
  LayerTiming timing;
  int64_t macs = 0;
  std::map<std::string, int64_t> counts;  // stat path -> value over the interval
  SocCounters counters;                   // the counters energy and the report read, by name
  EnergyBreakdown energy_pj;
  DramEnergyPj dram_energy_pj;  // a banked DRAM's by command (its total is energy_pj["dram"])
  std::optional<BitTrueLayerResult> bittrue;  // the outputs, when computed bit-true
  double vector_work_energy_pj =
      0;  // the vector unit's lanes and its share of buffer and DRAM traffic
  double energy_total_pj() const;
};

// One of the workload's vector layers as it ran.
struct VectorLayerResult {
  VectorLayerTiming timing;
  double energy_pj =
      0;  // lanes, output-buffer and DRAM traffic (EnergyModel::vector_work_energy_pj)
};

struct StatInfo {
  std::string path, unit, description;
};

struct RunResult {
  std::vector<IntervalResult> layers;
  // The workload's vector layers, in its order, when vector.enabled (else empty).
  std::vector<VectorLayerResult> vector_layers;
  IntervalResult totals;
  std::vector<StatInfo> stat_info;  // every counter in the module tree
  double freq_mhz = 0;
  int64_t array_pes = 0;
  AreaBreakdown area_mm2;
  double leakage_mw = 0;
};

// Per-layer results from the SoC's counters: call layer_started() and layer_ended() from the
// controller's layer hooks; counts are the counters' change over the layer, energy = counts x
// table.
class LayerAccounting {
 public:
  // `soc_root`: the SoC module's name ("soc"; an engine of a multi-engine SoC has its own).
  explicit LayerAccounting(const PreparedRun& run, std::string soc_root = "soc");
  void layer_started();
  IntervalResult layer_ended(size_t index, const LayerTiming& timing) const;
  VectorLayerResult vector_layer(const VectorLayerTiming& timing) const;
  const EnergyModel& energy() const { return energy_; }

 private:
  const PreparedRun& run_;
  EnergyModel energy_;
  std::string soc_root_;
  std::unique_ptr<StatIndex> stats_;  // found at the first layer, after elaboration
  std::vector<int64_t> at_layer_start_;
};

// Energy of one vector operation as it ran: its lanes and its buffer and DRAM traffic.
double vector_operation_energy_pj(const EnergyModel& energy, const VectorLayerTiming& timing);

// The SoC's counters now; throws std::logic_error if a counter SocCounters reads is missing
// (call it after elaboration: the check is then made before anything runs).
// `soc_root`: the SoC module's name (an engine of a multi-engine SoC has its own).
SocCounters read_soc_counters(const std::string& soc_root = "soc");

// `progress` (optional) is called after each layer with (layers done, layers in total).
RunResult run_simulation(const PreparedRun& run,
                         const std::function<void(size_t, size_t)>& progress = nullptr);

}  // namespace strata
