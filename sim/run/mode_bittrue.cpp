// sim.mode = "bittrue" (docs/bittrue.md): beside the timing model, every layer's outputs computed
// from the trace's codes (sim/run/bittrue_run.h).
#include <algorithm>

#include "common/input_error.h"
#include "sim/run/run_mode.h"
#include "workloads/json_file.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

class BitTrueMode : public RunModeDriver {
 public:
  void prepare(PreparedRun& p, const RunInputs& in) const override {
    BitTrueInputs& codes = p.bittrue.emplace();
    prepare_workload(p, in, &codes);
    if (!p.front_end_ran) {
      // A trace file with tensors carries its own codes.
      const std::string& w = in.workload;
      const bool json = w.size() > 5 && w.substr(w.size() - 5) == ".json";
      if (json && is_trace_document(load_json_file(w))) {
        codes.trace = load_trace(w, &codes.tensors);
      }
      if (codes.tensors.empty()) {
        throw InputError(w +
                         ": sim.mode = \"bittrue\" needs operand codes: a trace with tensors "
                         "(strata quantize --with-tensors) or a config whose workload.scheme "
                         "prepares a zoo model");
      }
    }
    for (size_t i = 0; i < codes.trace.layers.size(); ++i) {
      try {
        check_bittrue_layer(codes, i);
      } catch (const InputError& e) {
        throw InputError(p.workload.source + ": " + e.what());
      }
    }
  }

  void finish_layer(const PreparedRun& p, size_t index, int output_bits,
                    IntervalResult& r) const override {
    r.bittrue = run_bittrue_layer(*p.bittrue, index, p.soc.array, output_bits);
    if (p.soc.array.sparsity.gates_zeros()) {
      // The codes say exactly which issued operations have a zero operand.
      r.counters.gated_mac_ops =
          std::max<int64_t>(0, r.counters.mac_ops - r.bittrue->nonzero_products);
      r.counts.at("soc.array.gated_mac_ops") = r.counters.gated_mac_ops;
    }
  }

  void finish_totals(const RunResult& result, IntervalResult& t) const override {
    // Gated operations counted from the codes replace the density estimate in the totals too.
    int64_t gated = 0;
    for (const auto& l : result.layers) gated += l.counters.gated_mac_ops;
    t.counts.at("soc.array.gated_mac_ops") = gated;
  }
};

}  // namespace

const RunModeDriver& bittrue_mode() {
  static const BitTrueMode mode;
  return mode;
}

}  // namespace strata
