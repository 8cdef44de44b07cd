#pragma once
// One fold of a layer as the controller hands it to the array and the DMA: its compute, the
// operations its PEs issue, and the bytes it moves (hw_models/soc/tiling.h computes them).
#include <cstdint>

namespace strata {

struct FoldWork {
  int64_t compute_cycles = 0;
  // Cycles the array waits, within the fold, for DMA the fold itself sequences: a mapped layer's
  // tiles (hw_models/mapping) move their operands in and out between computes, and the part not
  // hidden behind compute is here. 0 for the tiler's folds, whose DMA the controller overlaps.
  int64_t exposed_dma_cycles = 0;
  int64_t macs = 0;           // logical MACs of the layer's GEMM
  int64_t mac_ops = 0;        // multiplier operations issued (a DBB array skips pruned ones)
  int64_t gated_mac_ops = 0;  // issued operations clock-gated for a zero operand
  int64_t mux_selects = 0;    // operand selections by DBB muxes
  int64_t topk_blocks = 0;    // activation blocks cut by the top-k unit
  // Dense-equivalent MACs a dot-product unit can complete per cycle at this fold's widths and
  // sparsity (1 for a scalar int PE).
  double peak_macs_per_pe_cycle = 1;
  // MACs a unit's multipliers complete per cycle on dense operands (the physical peak).
  double physical_macs_per_pe_cycle = 1;
  int64_t rows_used = 0, cols_used = 0, stream = 0;
  // DRAM -> buffers before the fold may start.
  int64_t load_input_bytes = 0;
  int64_t load_weight_bytes = 0;
  int64_t load_psum_bytes = 0;  // partial sums read back from DRAM into the output buffer
  // Output buffer -> DRAM after the fold (final outputs or spilled partial sums).
  int64_t store_output_bytes = 0;
  // Array-side SRAM traffic.
  int64_t sram_read_input_bytes = 0;
  int64_t sram_read_weight_bytes = 0;
  int64_t sram_read_output_bytes = 0;  // partial sums read back for accumulation
  int64_t sram_write_output_bytes = 0;
};

}  // namespace strata
