#pragma once
// The dense systolic array as a TLM target: one transaction per fold. It reads its operand tiles
// from the buffers (one transaction each), runs for the fold's compute cycles or as long as the
// slowest buffer port needs, and writes the output tile back.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "hw_models/array/array_params.h"
#include "hw_models/common/stats.h"
#include "hw_models/common/tlm_commands.h"

namespace strata {

class SystolicArray : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<SystolicArray> command;
  tlm_utils::simple_initiator_socket<SystolicArray> buffer[3];  // indexed by BufferId

  SystolicArray(sc_core::sc_module_name name, const ArrayParams& params,
                sc_core::sc_time clock_period);
  const ArrayParams& params() const { return params_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  sc_core::sc_time access(BufferId id, tlm::tlm_command cmd, int64_t bytes);

  const ArrayParams params_;
  sc_core::sc_time clock_period_;
  StatGroup stats_;
  Counter& folds_;
  Counter& macs_;
  Counter& mac_ops_;
  Counter& gated_mac_ops_;
  Counter& mux_selects_;
  Counter& topk_blocks_;
  Counter& compute_cycles_;
  Counter& busy_cycles_;
  Counter& pe_cycles_;
  Counter& peak_macs_;
  Counter& physical_peak_macs_;
  tlm::tlm_generic_payload payload_;  // access()'s, reused
};

}  // namespace strata
