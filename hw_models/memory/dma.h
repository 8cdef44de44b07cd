#pragma once
// DMA engine: takes DmaCommands from the controller and moves tiles between DRAM and the
// buffers over b_transport. The DRAM transfer and the buffer port run concurrently, so a
// transfer lasts as long as the slower of the two.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "hw_models/common/stats.h"
#include "hw_models/common/tlm_commands.h"

namespace strata {

class Dma : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dma> command;
  tlm_utils::simple_initiator_socket<Dma> dram;
  tlm_utils::simple_initiator_socket<Dma> buffer[3];  // indexed by BufferId

  explicit Dma(sc_core::sc_module_name name);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  StatGroup stats_;
  Counter& transfers_;
  Counter& load_bytes_;
  Counter& store_bytes_;
  uint64_t next_address_[3] = {0, 0, 0};
  tlm::tlm_generic_payload dram_payload_, sram_payload_;
};

}  // namespace strata
