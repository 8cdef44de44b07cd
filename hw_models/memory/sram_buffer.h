#pragma once
// An on-chip SRAM buffer as a TLM target: counts bytes and word accesses; a transfer takes
// ceil(bytes / (banks x word bytes)) cycles.
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <systemc>
#include <tlm>

#include "hw_models/common/stats.h"
#include "hw_models/memory/memory_params.h"

namespace strata {

class SramBuffer : public sc_core::sc_module {
 public:
  // Ports as in hardware: one for the DMA (fill/drain), one for the array, and on the buffer the
  // vector unit works from, one for it.
  tlm_utils::simple_target_socket<SramBuffer> dma_port;
  tlm_utils::simple_target_socket<SramBuffer> array_port;
  std::unique_ptr<tlm_utils::simple_target_socket<SramBuffer>> vector_port;

  SramBuffer(sc_core::sc_module_name name, const SramParams& params, sc_core::sc_time clock_period,
             bool with_vector_port = false);
  const SramParams& params() const { return params_; }
  int64_t transfer_cycles(int64_t bytes) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const SramParams params_;
  sc_core::sc_time clock_period_;
  StatGroup stats_;
  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& read_words_;
  Counter& write_words_;
};

}  // namespace strata
