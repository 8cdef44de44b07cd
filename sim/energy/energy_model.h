#pragma once
// Energy = activity counts x the tech table, computed after the run from the stats snapshot.
#include <map>
#include <string>

#include "hw_models/soc/soc.h"
#include "sim/energy/tech_table.h"

namespace strata {

// Component -> pJ, in report order: mac, decoder, register, input_buffer, weight_buffer,
// output_buffer, dram.
using EnergyBreakdown = std::map<std::string, double>;

class EnergyModel {
 public:
  EnergyModel(const SocParams& soc, const TechTable& table);
  // `counts` maps stat paths ("soc.array.macs") to values for the interval of interest; `bits`
  // are the operand widths of that interval (a layer's), which set the MAC and register energy.
  EnergyBreakdown evaluate(const std::map<std::string, int64_t>& counts,
                           const OperandBits& bits) const;
  static const std::vector<std::string>& components();

  // Energy of one MAC: an int PE's multiplier and adder, or a fusible PE's cycle shared by the
  // MACs it completes at these widths.
  double mac_pj(const OperandBits& b) const;
  // Decoder energy per MAC (ANT PEs: both operands decoded every PE cycle).
  double decoder_pj_per_mac(const OperandBits& b) const;
  double register_pj_per_mac(const OperandBits& b) const;

 private:
  Dataflow dataflow_;
  PeParams pe_;
  double mult_8b_pj_ = 0, add_32b_pj_ = 0, register_bit_pj_ = 0;
  double fusible_pe_pj_per_cycle_ = 0, ant_decoder_pj_ = 0;
  double sram_read_pj_per_bit_[3] = {0, 0, 0};
  double sram_write_pj_per_bit_[3] = {0, 0, 0};
  double dram_pj_per_bit_ = 0;
};

}  // namespace strata
