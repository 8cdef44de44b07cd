// sim.mode = "tile": the timing and energy model alone, on the workload as given or as the
// config's front end prepares it.
#include "common/input_error.h"
#include "sim/run/run_mode.h"
#include "sim/run/workload_cache.h"
#include "workloads/trace/trace_io.h"
#include "workloads/front_end/workload_loader.h"

namespace strata {

void prepare_workload(PreparedRun& p, const RunInputs& in, BitTrueInputs* codes) {
  if (!in.inputs_dir.empty()) {
    throw InputError(
        "--inputs: only sim.mode = \"functional\" runs the network on inputs (add "
        "--set sim.mode=functional)");
  }
  ModelQuantRequest q;
  if (!front_end_request(p.params, in.workload, &q)) {
    p.workload = load_workload(in.workload);
    return;
  }
  // The config names the quantization and sparsity its hardware expects: run the front end.
  try {
    ModelQuantResult r = quantize_model_cached(q, in.workload_cache_dir);
    p.workload = trace_workload(r.trace, in.workload);
    p.quant = r.summary;
    // The trace holds the array layers, in the model's order; the vector work between them comes
    // from the model itself.
    const Workload plain = load_workload(in.workload);
    if (plain.layers.size() != p.workload.layers.size()) {
      throw std::logic_error("the front end's trace of '" + in.workload + "' has " +
                             std::to_string(p.workload.layers.size()) + " layers, the model " +
                             std::to_string(plain.layers.size()));
    }
    p.workload.names_vector_layers = plain.names_vector_layers;
    p.workload.vector_layers = plain.vector_layers;
    if (codes) {
      codes->trace = std::move(r.trace);
      codes->tensors = std::move(r.tensors);
      codes->float_weights = std::move(r.float_weights);
    }
  } catch (const InputError& e) {
    throw InputError(p.config.source + ": workload preparation (" + p.params.prep.describe() +
                     ") of '" + in.workload + "': " + e.what());
  }
  p.front_end_ran = true;
}

namespace {

class TileMode : public RunModeDriver {
 public:
  void prepare(PreparedRun& p, const RunInputs& in) const override {
    prepare_workload(p, in, nullptr);
  }
};

}  // namespace

const RunModeDriver& tile_mode() {
  static const TileMode mode;
  return mode;
}

}  // namespace strata
