#include <gtest/gtest.h>

#include <fstream>

#include "common/input_error.h"
#include "sim/config/component_params.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/tech_table.h"

namespace strata {
namespace {

TechTable table45() {
  return load_tech_table(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json");
}

TEST(TechTable, SramInterpolationHitsTheCactiPoints) {
  const TechTable t = table45();
  EXPECT_NEAR(t.sram_read_pj_per_bit(8192) * 64, 6.05, 1e-9);
  EXPECT_NEAR(t.sram_read_pj_per_bit(32768) * 64, 17.0, 1e-9);
  EXPECT_NEAR(t.sram_read_pj_per_bit(1048576) * 64, 77.2, 1e-9);
  const double mid = t.sram_read_pj_per_bit(65536) * 64;
  EXPECT_GT(mid, 17.0);
  EXPECT_LT(mid, 77.2);
}

TEST(TechTable, EntriesWithoutSourceAreRejected) {
  const std::string path = "/tmp/strata_bad_table.json";
  std::ofstream(path) << R"({"node_nm": 45, "mac_mult_8b_pj": {"value": 0.2}})";
  try {
    load_tech_table(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "/tmp/strata_bad_table.json: mac_mult_8b_pj.source: every table entry must name "
                 "its source");
  }
}

TEST(EnergyModel, CountsTimesTable) {
  SocParams soc;
  soc.array.dataflow = Dataflow::kOutputStationary;
  soc.input_buffer = soc.weight_buffer = soc.output_buffer = SramParams{32768, 1, 64, true};
  const TechTable t = table45();
  const EnergyModel m(soc, t);
  const OperandBits int8;
  EXPECT_NEAR(m.mac_pj(int8), 0.2 + 0.1, 1e-12);  // Horowitz int8 mult + int32 add
  EXPECT_NEAR(m.register_pj_per_mac(int8), (8 + 8 + 32) * 0.009, 1e-12);
  OperandBits int4 = int8;
  int4.input = int4.weight = 4;
  EXPECT_NEAR(m.mac_pj(int4), 0.2 / 4 + 0.1, 1e-12);  // a 4x4 multiplier: a quarter of 8x8
  const EnergyBreakdown e = m.evaluate({{"soc.array.macs", 1000},
                                        {"soc.input_buffer.read_bytes", 8},  // one 64-bit read
                                        {"soc.dram.read_bytes", 1}},
                                       int8);
  EXPECT_NEAR(e.at("mac"), 300.0, 1e-9);
  EXPECT_NEAR(e.at("input_buffer"), 17.0, 1e-9);
  EXPECT_NEAR(e.at("dram"), 8 * 8.0, 1e-9);
}

}  // namespace
}  // namespace strata
