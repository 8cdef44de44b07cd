#pragma once
// DRAM as a loosely timed TLM target: one channel whose data bus serializes reads and writes.
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "hw_models/common/stats.h"
#include "hw_models/memory/dram_timing.h"

namespace strata {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> target;

  Dram(sc_core::sc_module_name name, const DramParams& params);
  const DramParams& params() const { return params_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const DramParams params_;
  DramChannel channel_;
  StatGroup stats_;
  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& read_bursts_;
  Counter& write_bursts_;
  Counter& busy_ps_;
};

}  // namespace strata
