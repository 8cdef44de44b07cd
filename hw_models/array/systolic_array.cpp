#include "hw_models/array/systolic_array.h"

#include <algorithm>
#include <cmath>

namespace strata {

SystolicArray::SystolicArray(sc_core::sc_module_name name, const ArrayParams& params,
                             sc_core::sc_time clock_period)
    : sc_module(name),
      command("command"),
      buffer{tlm_utils::simple_initiator_socket<SystolicArray>("input_port"),
             tlm_utils::simple_initiator_socket<SystolicArray>("weight_port"),
             tlm_utils::simple_initiator_socket<SystolicArray>("output_port")},
      params_(params),
      clock_period_(clock_period),
      folds_(stats_.counter("folds", "folds", "tiles mapped onto the array")),
      macs_(stats_.counter("macs", "MAC", "multiply-accumulates of the layers' GEMMs")),
      mac_ops_(stats_.counter("mac_ops", "MAC",
                              "multiplier operations issued (a DBB array skips pruned blocks)")),
      gated_mac_ops_(stats_.counter("gated_mac_ops", "MAC",
                                    "issued operations clock-gated because an operand is zero")),
      mux_selects_(
          stats_.counter("mux_selects", "selects", "operand selections by the DBB 8:1 muxes")),
      topk_blocks_(stats_.counter("topk_blocks", "blocks",
                                  "activation blocks cut to NNZ_a by the top-k unit")),
      compute_cycles_(stats_.counter("compute_cycles", "cycles", "cycles the dataflow needs")),
      busy_cycles_(stats_.counter("busy_cycles", "cycles",
                                  "cycles the array was occupied (compute, or buffer-port bound)")),
      pe_cycles_(stats_.counter("pe_cycles", "PE-cycles",
                                "rows x cols (dot-product units) x compute cycles")),
      peak_macs_(stats_.counter("peak_macs", "MAC",
                                "MACs the array could have done in the compute cycles (fused PEs, "
                                "tensor PEs and DBB skipping do several per unit and cycle)")),
      physical_peak_macs_(stats_.counter(
          "physical_peak_macs", "MAC",
          "MACs the array's multipliers could have done on dense operands in the compute cycles "
          "(no credit for skipped zeros)")) {
  command.register_b_transport(this, &SystolicArray::b_transport);
}

sc_core::sc_time SystolicArray::access(BufferId id, tlm::tlm_command cmd, int64_t bytes) {
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  if (bytes <= 0) return d;
  tlm::tlm_generic_payload& p = payload_;  // reused: construction allocates
  set_timing_payload(p, cmd, 0, bytes);
  buffer[static_cast<int>(id)]->b_transport(p, d);
  return d;
}

void SystolicArray::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  FoldCommand* cmd = nullptr;
  trans.get_extension(cmd);
  if (!cmd || !cmd->work) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const FoldWork& w = *cmd->work;
  // Each buffer port streams concurrently with the computation.
  sc_core::sc_time busy = sc_core::sc_time::from_value(
      clock_period_.value() * static_cast<sc_dt::uint64>(std::max<int64_t>(0, w.compute_cycles)));
  busy = std::max(busy, access(BufferId::kInput, tlm::TLM_READ_COMMAND, w.sram_read_input_bytes));
  busy = std::max(busy, access(BufferId::kWeight, tlm::TLM_READ_COMMAND, w.sram_read_weight_bytes));
  const sc_core::sc_time out =
      access(BufferId::kOutput, tlm::TLM_READ_COMMAND, w.sram_read_output_bytes) +
      access(BufferId::kOutput, tlm::TLM_WRITE_COMMAND, w.sram_write_output_bytes);
  busy = std::max(busy, out);
  const int64_t busy_cycles = static_cast<int64_t>(std::llround(busy / clock_period_));
  folds_.add(1);
  macs_.add(w.macs);
  mac_ops_.add(w.mac_ops);
  gated_mac_ops_.add(w.gated_mac_ops);
  mux_selects_.add(w.mux_selects);
  topk_blocks_.add(w.topk_blocks);
  compute_cycles_.add(w.compute_cycles);
  busy_cycles_.add(busy_cycles);
  pe_cycles_.add(w.compute_cycles * params_.geometry.rows * params_.geometry.cols);
  peak_macs_.add(std::llround(static_cast<double>(w.compute_cycles) * params_.geometry.rows *
                              params_.geometry.cols * w.peak_macs_per_pe_cycle));
  physical_peak_macs_.add(std::llround(static_cast<double>(w.compute_cycles) *
                                       params_.geometry.rows * params_.geometry.cols *
                                       w.physical_macs_per_pe_cycle));
  delay += busy;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata
