#pragma once
// The vector unit as a TLM target beside the array (docs/vector.md): it executes one operation per
// command, reading its operands from and writing its results to the output buffer through its own
// port. Compute runs on its lanes at its own clock; the buffer port bounds the rate at the
// buffer's; the operation's latency follows. DRAM traffic of operations that spill is moved by
// the DMA (the controller issues it); the command carries its size for the unit's accounting.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <systemc>
#include <tlm>

#include "hw_models/common/stats.h"
#include "hw_models/vector/vector_ops.h"
#include "hw_models/vector/vector_params.h"

namespace strata {

// Controller -> vector unit: run one operation. The unit fills `cycles` and `busy`.
struct VectorCommand : tlm::tlm_extension<VectorCommand> {
  VectorWork work;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;  // its spill, moved by the DMA
  VectorCycles cycles;                                // out: the closed form's figures
  sc_core::sc_time busy;                              // out: how long the unit was busy
  tlm::tlm_extension_base* clone() const override { return new VectorCommand(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const VectorCommand&>(other);
  }
};

class VectorUnit : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<VectorUnit> command;
  tlm_utils::simple_initiator_socket<VectorUnit> buffer;  // the output buffer's vector port

  VectorUnit(sc_core::sc_module_name name, const VectorUnitParams& params);

  // Stat names of the per-op work counters: "<op>_elements".
  static std::string op_counter_name(VectorOp op);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  sc_core::sc_time buffer_access(tlm::tlm_command cmd, int64_t bytes, sc_core::sc_time at);

  const VectorUnitParams params_;
  sc_core::sc_time period_;
  StatGroup stats_;
  Counter& operations_;
  Counter& work_elements_;
  Counter& lane_ops_;
  Counter& busy_cycles_;
  Counter& buffer_read_bytes_;
  Counter& buffer_write_bytes_;
  Counter& dram_read_bytes_;
  Counter& dram_write_bytes_;
  std::array<Counter*, kVectorOpCount> op_elements_{};
  tlm::tlm_generic_payload payload_;  // buffer_access()'s, reused
};

}  // namespace strata
