#pragma once
// A technology table from configs/tech/ (docs/energy.md): per-event energies, areas and leakage,
// each with its source. A table for a node without direct data names a base table and is scaled
// from it (tech_scaling.h); entries it gives itself override the scaled ones.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata {

struct TechTable {
  int node_nm = 45;
  // Energy per event, pJ.
  double mac_mult_8b_pj = 0;           // 8x8-bit integer multiply
  double mac_add_32b_pj = 0;           // 32-bit accumulate
  double register_bit_pj = 0;          // one register bit written
  double fusible_pe_pj_per_cycle = 0;  // BitFusion/ANT PE, one active cycle (pe.h)
  double ant_decoder_pj = 0;           // one operand decoded to (significand, shift)
  double mux_8to1_8b_pj = 0;           // one 8-bit operand selected from a block of 8
  double topk_8_pj = 0;                // top-k of one block of 8 activations
  // Fractions.
  double zero_gated_mac_factor = 0;  // energy a clock-gated MAC still spends, of a MAC's
  double sram_write_factor = 1.0;    // write energy per bit over read energy per bit
  // Area, um^2.
  double int_mac_8b_area_um2 = 0;  // 8x8 multiplier + 32-bit adder
  double register_bit_area_um2 = 0;
  double fusible_pe_area_um2 = 0;
  double ant_decoder_area_um2 = 0;
  double mux_8to1_8b_area_um2 = 0;
  double topk_8_area_um2 = 0;
  // Leakage power density, nW per um^2.
  double logic_leakage_nw_per_um2 = 0;
  double sram_leakage_nw_per_um2 = 0;
  // CACTI-style points of one bank: (bank bytes, port bits, pJ per read access) and
  // (bank bytes, port bits, mm^2).
  struct SramPoint {
    double bytes = 0, port_bits = 0, value = 0;
  };
  std::vector<SramPoint> sram_read_points;
  std::vector<SramPoint> sram_area_points;
  std::map<std::string, double> dram_pj_per_bit;
  // The vector unit: pJ per element of work of each operation (vector_ops.h names), and the area
  // of one lane (docs/vector.md).
  std::map<std::string, double> vector_op_pj_per_element;
  double vector_lane_area_um2 = 0;
  std::map<std::string, std::string> sources;  // entry key -> where its number comes from

  // pJ per bit read from a bank of `bank_bytes` with a `port_bits` port: log-log interpolation
  // over size at each tabulated width, then over width (clamped to the tabulated widths: a table
  // with one width makes the per-bit energy independent of the port).
  double sram_read_pj_per_bit(double bank_bytes, double port_bits = 64) const;
  // Area of one such bank, mm^2, interpolated the same way.
  double sram_bank_area_mm2(double bank_bytes, double port_bits = 64) const;
};

// Throws InputError naming the file and key on a missing entry, a missing source, or a bad value.
TechTable load_tech_table(const std::string& path);

// Every entry of a loaded table as (key, value with unit, source), in file order: `strata tech`.
struct TechEntryText {
  std::string key, value, source;
};
std::vector<TechEntryText> tech_table_entries(const TechTable& t);

}  // namespace strata
