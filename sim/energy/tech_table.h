#pragma once
// An energy table from configs/tech/: per-event energies, each with its source.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata {

struct TechTable {
  int node_nm = 45;
  double mac_mult_8b_pj = 0;
  double mac_add_32b_pj = 0;
  double register_bit_pj = 0;
  double fusible_pe_pj_per_cycle = 0;  // BitFusion/ANT PE, one active cycle (pe.h)
  double ant_decoder_pj = 0;           // one operand decoded to (significand, shift)
  std::vector<std::pair<double, double>> sram_read_64b_points;  // (bank bytes, pJ per 64-bit read)
  double sram_write_factor = 1.0;
  std::map<std::string, double> dram_pj_per_bit;

  // pJ per bit read from a bank of `bank_bytes` (log-log interpolation of the CACTI points).
  double sram_read_pj_per_bit(double bank_bytes) const;
};

// Throws InputError naming the file and key on a missing entry, a missing source, or a bad value.
TechTable load_tech_table(const std::string& path);

}  // namespace strata
