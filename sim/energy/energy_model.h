#pragma once
// Energy = activity counts x the tech table, computed after the run from the stats snapshot.
#include <map>
#include <string>

#include "hw_models/soc/soc.h"
#include "sim/energy/tech_table.h"

namespace strata {

// Component -> pJ, in report order: mac, register, input_buffer, weight_buffer, output_buffer,
// dram.
using EnergyBreakdown = std::map<std::string, double>;

class EnergyModel {
 public:
  EnergyModel(const SocParams& soc, const TechTable& table);
  // `counts` maps stat paths ("soc.array.macs") to values for the interval of interest.
  EnergyBreakdown evaluate(const std::map<std::string, int64_t>& counts) const;
  static const std::vector<std::string>& components();

  double mac_pj() const { return mac_pj_; }
  double register_pj_per_mac() const { return register_pj_per_mac_; }

 private:
  double mac_pj_ = 0, register_pj_per_mac_ = 0;
  double sram_read_pj_per_bit_[3] = {0, 0, 0};
  double sram_write_pj_per_bit_[3] = {0, 0, 0};
  double dram_pj_per_bit_ = 0;
};

}  // namespace strata
