#pragma once
// The SoC counters that the energy model and the report consume, read from the stats tree by
// path in one place. Reading checks that every path exists: a renamed or missing counter is an
// error when the run starts, never a zero in the results.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hw_models/vector/vector_ops.h"

namespace strata {

struct SocCounters {
  int64_t mac_ops = 0;               // soc.array.mac_ops: issued multiplier operations
  int64_t gated_mac_ops = 0;         // soc.array.gated_mac_ops: of those, gated for a zero operand
  int64_t mux_selects = 0;           // soc.array.mux_selects
  int64_t topk_blocks = 0;           // soc.array.topk_blocks
  int64_t array_compute_cycles = 0;  // soc.array.compute_cycles
  int64_t array_busy_cycles = 0;     // soc.array.busy_cycles
  int64_t pe_cycles = 0;             // soc.array.pe_cycles
  int64_t peak_macs = 0;             // soc.array.peak_macs
  int64_t physical_peak_macs = 0;    // soc.array.physical_peak_macs
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  // Per buffer, in buffer_names() order.
  int64_t buffer_read_bytes[3] = {0, 0, 0};
  int64_t buffer_write_bytes[3] = {0, 0, 0};
  // The vector unit (soc.vector.*): its busy cycles (its clock), its share of the output buffer's
  // and DRAM's traffic, and the elements each operation processed (VectorOp order).
  int64_t vector_busy_cycles = 0;
  int64_t vector_buffer_read_bytes = 0, vector_buffer_write_bytes = 0;
  int64_t vector_dram_read_bytes = 0, vector_dram_write_bytes = 0;
  int64_t vector_op_elements[kVectorOpCount] = {};
  // A banked DRAM's (soc.dram.*, dram.model = "banked" only: `banked_dram` says whether they
  // exist; a simple DRAM has no such stats, and its report leaves the columns null).
  bool banked_dram = false;
  int64_t dram_read_bursts = 0, dram_write_bursts = 0;
  int64_t dram_row_hits = 0, dram_row_misses = 0, dram_row_conflicts = 0;
  int64_t dram_activates = 0, dram_refreshes = 0;
  int64_t dram_refresh_cycles = 0, dram_queue_delay_cycles = 0;  // DRAM clock cycles
  int64_t dram_active_cycles = 0, dram_data_cycles = 0;

  // "input_buffer", "weight_buffer", "output_buffer".
  static const std::vector<std::string>& buffer_names();
  // Every stat path read, in declaration order.
  static std::vector<std::string> paths();
  // From a stats snapshot (path -> value); throws std::logic_error naming the first missing path.
  static SocCounters from(const std::map<std::string, int64_t>& snapshot);
  // The change from `before` to this.
  SocCounters minus(const SocCounters& before) const;
};

}  // namespace strata
