#pragma once
// Energy = activity counts x the tech table, computed after the run from the stats snapshot;
// leakage = the area model's leakage power x time.
#include <map>
#include <string>

#include "hw_models/memory/dram_energy.h"
#include "hw_models/soc/soc.h"
#include "sim/energy/area_model.h"
#include "sim/energy/soc_counters.h"
#include "sim/energy/tech_table.h"

namespace strata {

// Component -> pJ, in report order (EnergyModel::components()).
using EnergyBreakdown = std::map<std::string, double>;

class EnergyModel {
 public:
  EnergyModel(const SocParams& soc, const TechTable& table);
  // `counts` are the SoC's counters over the interval of interest (a layer); `bits` and `exec`
  // are how that layer runs (its operand widths, the array's execution of it); `seconds` is its
  // duration, for leakage.
  EnergyBreakdown evaluate(const SocCounters& counts, const OperandBits& bits,
                           const LayerExecution& exec, double seconds) const;
  static const std::vector<std::string>& components();

  // Energy of one issued MAC: an int PE's multiplier and adder, or a fusible PE's cycle shared by
  // the MACs it completes at these widths.
  double mac_pj(const OperandBits& b) const;
  // Decoder energy per issued MAC (ANT PEs: both operands decoded every PE cycle).
  double decoder_pj_per_mac(const OperandBits& b) const;
  // Pipeline-register energy per issued MAC: the operands moving through the PE and the
  // accumulator, each shared by the tensor PE's units that use it (docs/energy.md).
  double register_pj_per_mac(const OperandBits& b, const LayerExecution& exec) const;
  // Energy of the vector unit's work in `counts`: its lanes (the "vector_lanes" component) and its
  // share of the output buffer's and DRAM's traffic.
  double vector_work_energy_pj(const SocCounters& counts) const;
  // pJ per element of work of a vector operation.
  double vector_op_pj(VectorOp op) const { return vector_op_pj_[static_cast<size_t>(op)]; }
  // A banked DRAM's energy by command over `counts` lasting `seconds` (the "dram" component is its
  // total); zero for a simple DRAM.
  DramEnergyPj dram_energy(const SocCounters& counts, double seconds) const;
  const AreaBreakdown& area() const { return area_; }
  double leakage_mw() const { return leakage_mw_; }

 private:
  Dataflow dataflow_;
  PeParams pe_;
  SparsityParams sparsity_;
  double mult_8b_pj_ = 0, add_32b_pj_ = 0, register_bit_pj_ = 0;
  double fusible_pe_pj_per_cycle_ = 0, ant_decoder_pj_ = 0, mux_pj_ = 0, topk_pj_ = 0;
  double gated_factor_ = 0;
  double sram_read_pj_per_bit_[3] = {0, 0, 0};
  double sram_write_pj_per_bit_[3] = {0, 0, 0};
  double vector_lanes_pj(const SocCounters& counts) const;
  double dram_pj_per_bit_ = 0;
  DramParams dram_;
  DramCommandEnergy dram_commands_;  // a banked DRAM's
  double vector_op_pj_[kVectorOpCount] = {};
  AreaBreakdown area_;
  double leakage_mw_ = 0;
};

}  // namespace strata
