#include "sim/run/run_limits.h"

#include <cstdio>

#include "common/input_error.h"

namespace strata {
namespace {

std::string number(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", x);
  return b;
}

}  // namespace

void check_run_limits(const PreparedRun& p) {
  const TilingParams& config_tiling = p.soc.controller.tiling;
  const double period_s = 1e-6 / p.soc.freq_mhz;
  const double bytes_per_s = p.soc.dram.peak_gbps() * 1e9;
  double seconds = 0;
  for (size_t i = 0; i < p.workload.layers.size(); ++i) {
    const Layer& l = p.workload.layers[i];
    const std::string where = p.workload.source + ": layer '" + l.name + "': ";
    TilingParams t = config_tiling;
    t.bits = layer_operand_bits(config_tiling.bits, p.workload, i);
    if (!t.mapped && !l.mapping.empty()) {
      throw InputError(where +
                       "it has a mapping, but memory.hierarchy = \"buffers\" runs "
                       "strata's tiler; explicit mappings run on memory.hierarchy = "
                       "\"scratchpad\" (docs/mapping.md)");
    }
    if (t.mapped) {
      // Checked here so a mapping that does not fit stops the run before it starts; its compute
      // bounds the layer's time from below, as the tiler's does for other layers.
      try {
        seconds += static_cast<double>(check_layer_mapping(l, t)) * period_s;
      } catch (const InputError& e) {
        throw InputError(p.workload.source + ": " + e.what());
      }
      continue;
    }
    const double folds = layer_fold_count(l, t);
    if (folds > kMaxFoldsPerLayer) {
      throw InputError(where + number(folds) + " folds on a " + std::to_string(t.array.rows) + "x" +
                       std::to_string(t.array.cols) + " array exceed the limit of " +
                       number(kMaxFoldsPerLayer) +
                       " folds per layer (a larger array.rows/array.cols or buffers.*.size_kib "
                       "needs fewer)");
    }
    const LayerExecution x = layer_execution(t.pe, t.sparsity, l, t.bits.input, t.bits.weight);
    const double cycles =
        static_cast<double>(strata_layer_cycles(l, t.dataflow, t.array, 0, x.packing));
    if (t.cycle_fidelity) {
      // The cycle-by-cycle array steps rows x cols PEs every cycle: small layers only.
      const double work = cycles * static_cast<double>(t.array.rows * t.array.cols);
      if (work > kMaxCycleFidelityPeCycles) {
        throw InputError(where + "~" + number(work) +
                         " PE-cycles is beyond sim.fidelity = \"cycle\"'s limit of " +
                         number(kMaxCycleFidelityPeCycles) + " (use it for small layers)");
      }
    }
    const CompulsoryTraffic c = compulsory_traffic(l, t.bits);
    const double dram_bytes = static_cast<double>(c.input_bytes) +
                              static_cast<double>(c.weight_bytes) +
                              static_cast<double>(c.output_bytes);
    seconds += std::max(cycles * period_s, dram_bytes / bytes_per_s);
  }
  if (seconds > kMaxSimulatedSeconds) {
    throw InputError(p.workload.source + ": at least " + number(seconds) +
                     " s of simulated time at clock.freq_mhz = " + number(p.soc.freq_mhz) +
                     " and a DRAM peak of " + number(p.soc.dram.peak_gbps()) + " GB/s" +
                     ", beyond the limit of " + number(kMaxSimulatedSeconds) + " s per run");
  }
}

}  // namespace strata
