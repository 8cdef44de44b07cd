#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/input_error.h"
#include "sim/config/component_params.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/tech_scaling.h"
#include "sim/energy/tech_table.h"
#include "support/scratch_dir.h"
#include "workloads/text_file.h"

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

TEST(TechTable, SramLookupAcrossSizesAndWidths) {
  const std::string path = test::make_scratch_dir("strata_energy_test_") + "/width_table.json";
  {
    nlohmann::json doc = nlohmann::json::parse(
        read_text_file(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json"));
    // Add a 256-bit port: half the per-bit energy of the 64-bit one at every size.
    auto& pts = doc["sram_read_pj"]["points"];
    const nlohmann::json narrow = pts;
    for (const auto& p : narrow) pts.push_back({p[0], 256, p[2].get<double>() * 2});
    std::ofstream(path) << doc.dump();
  }
  const TechTable t = load_tech_table(path);
  const double e64 = t.sram_read_pj_per_bit(32768, 64), e256 = t.sram_read_pj_per_bit(32768, 256);
  EXPECT_NEAR(e64, 17.0 / 64, 1e-12);
  EXPECT_NEAR(e256, e64 / 2, 1e-12);
  EXPECT_NEAR(t.sram_read_pj_per_bit(32768, 128), e64 / std::sqrt(2.0), 1e-12);  // log-log
  EXPECT_NEAR(t.sram_read_pj_per_bit(32768, 1024), e256, 1e-12);                 // clamped
  // One width (the shipped tables): the port does not change the energy per bit.
  const TechTable t45 = table45();
  EXPECT_DOUBLE_EQ(t45.sram_read_pj_per_bit(65536, 512), t45.sram_read_pj_per_bit(65536, 64));
}

TEST(TechTable, EntriesWithoutSourceAreRejected) {
  const std::string path = test::make_scratch_dir("strata_energy_test_") + "/bad_table.json";
  std::ofstream(path) << R"({"node_nm": 45, "mac_mult_8b_pj": {"value": 0.2}})";
  try {
    load_tech_table(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": mac_mult_8b_pj.source: every table entry must name its source");
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
  EXPECT_NEAR(m.register_pj_per_mac(int8, LayerExecution{}), (8 + 8 + 32) * 0.009, 1e-12);
  OperandBits int4 = int8;
  int4.input = int4.weight = 4;
  EXPECT_NEAR(m.mac_pj(int4), 0.2 / 4 + 0.1, 1e-12);  // a 4x4 multiplier: a quarter of 8x8
  SocCounters counts;
  counts.mac_ops = 1000;
  counts.buffer_read_bytes[0] = 8;  // one 64-bit read of the input buffer
  counts.dram_read_bytes = 1;
  const EnergyBreakdown e = m.evaluate(counts, int8, LayerExecution{}, 1e-6);
  EXPECT_NEAR(e.at("mac"), 300.0, 1e-9);
  EXPECT_NEAR(e.at("input_buffer"), 17.0, 1e-9);
  EXPECT_NEAR(e.at("dram"), 8 * 8.0, 1e-9);
  // Leakage: the area model's power for one microsecond (mW x 1e-6 s = nJ = 1e-3 pJ x 1e6).
  EXPECT_NEAR(e.at("leakage"), m.leakage_mw() * 1e-3 * 1e-6 * 1e12, 1e-9);
  EXPECT_GT(m.leakage_mw(), 0);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(TechScaling, PublishedFactorsAndInterpolation) {
  EXPECT_DOUBLE_EQ(area_factor(45), 1.0);
  EXPECT_DOUBLE_EQ(area_factor(16), 0.19);
  EXPECT_NEAR(area_factor(28), 0.46 - (0.46 - 0.21) / 3, 1e-12);  // between 32 and 20 nm
  EXPECT_DOUBLE_EQ(energy_factor(45, 0.9), 1.0);
  EXPECT_NEAR(energy_factor(16, 0.9), 0.15815 / 0.8443, 1e-4);
  EXPECT_NEAR(energy_factor(28, 0.9), 0.4454 / 0.8443, 1e-4);
  EXPECT_THROW(area_factor(3), std::invalid_argument);
}

// A node without direct data is its base table scaled by the published factors; entries it gives
// itself (28 nm: ANT's synthesized PE) override; every number keeps its source and says how it
// was scaled.
TEST(TechScaling, DerivedTablesScaleTheirBase) {
  const std::string dir = std::string(STRATA_SOURCE_DIR) + "/configs/tech/";
  const TechTable t45 = load_tech_table(dir + "45nm.json");
  const TechTable t28 = load_tech_table(dir + "28nm.json");
  const TechTable t16 = load_tech_table(dir + "16nm.json");
  const TechTable t65 = load_tech_table(dir + "65nm.json");
  EXPECT_EQ(t16.node_nm, 16);
  const double e28 = energy_factor(28, 0.9), e16 = energy_factor(16, 0.9);
  EXPECT_NEAR(t28.mac_mult_8b_pj, 0.2 * e28, 1e-12);
  EXPECT_NEAR(t16.mac_mult_8b_pj, 0.2 * e16, 1e-12);
  EXPECT_NEAR(t65.mac_mult_8b_pj, 0.2 * energy_factor(65, 0.9), 1e-12);
  EXPECT_GT(t65.mac_mult_8b_pj, t45.mac_mult_8b_pj);
  EXPECT_DOUBLE_EQ(t28.fusible_pe_pj_per_cycle, 0.560);  // direct, not scaled
  EXPECT_NEAR(t16.fusible_pe_pj_per_cycle, 0.560 * e16 / e28, 1e-12);
  EXPECT_NEAR(t16.int_mac_8b_area_um2, 675 * 0.19, 1e-9);
  EXPECT_NEAR(t16.sram_read_pj_per_bit(32768), t45.sram_read_pj_per_bit(32768) * e16, 1e-12);
  EXPECT_NEAR(t16.sram_bank_area_mm2(32768), 0.106 * 0.19, 1e-12);
  EXPECT_DOUBLE_EQ(t16.dram_pj_per_bit.at("lpddr4"), 8.0);  // off-chip: not scaled
  EXPECT_DOUBLE_EQ(t16.zero_gated_mac_factor, t45.zero_gated_mac_factor);
  const std::string& src = t16.sources.at("mac_mult_8b_pj");
  EXPECT_NE(src.find("Horowitz"), std::string::npos) << src;
  EXPECT_NE(src.find("45 -> 28 nm"), std::string::npos) << src;
  EXPECT_NE(src.find("28 -> 16 nm"), std::string::npos) << src;
  EXPECT_EQ(t28.sources.at("fusible_pe_pj_per_cycle").find("scaled"), std::string::npos);
}

// The vector unit's per-op energies and lane area: every op in every table, scaled like the rest.
TEST(TechScaling, VectorOpsAreInEveryTableAndScale) {
  const std::string dir = std::string(STRATA_SOURCE_DIR) + "/configs/tech/";
  const TechTable t45 = load_tech_table(dir + "45nm.json");
  for (int node : {65, 28, 16}) {
    const TechTable t = load_tech_table(dir + std::to_string(node) + "nm.json");
    const double e = energy_factor(node, 0.9) / energy_factor(45, 0.9);
    for (const VectorOpSpec& op : vector_op_specs()) {
      ASSERT_TRUE(t.vector_op_pj_per_element.count(op.name)) << node << " " << op.name;
      EXPECT_NEAR(t.vector_op_pj_per_element.at(op.name),
                  t45.vector_op_pj_per_element.at(op.name) * e, 1e-9)
          << node << " " << op.name;
      EXPECT_NE(t.sources.at(std::string("vector_op_pj_per_element.") + op.name)
                    .find("strata assumption"),
                std::string::npos);
    }
    EXPECT_NEAR(t.vector_lane_area_um2, 4260 * area_factor(node) / area_factor(45), 1e-6);
  }
  // Non-linear ops cost more than an add; every op costs something.
  const auto& pj = t45.vector_op_pj_per_element;
  for (const auto& [op, value] : pj) EXPECT_GT(value, 0) << op;
  EXPECT_GT(pj.at("softmax"), pj.at("elementwise"));
  EXPECT_GT(pj.at("layer_norm"), pj.at("softmax"));
}

TEST(TechTable, VectorOpEntriesAreCheckedByName) {
  const std::string dir = test::make_scratch_dir("strata_energy_test_");
  std::ofstream(dir + "/base.json")
      << read_text_file(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json");
  std::ofstream(dir + "/t.json")
      << R"({"node_nm": 28, "scaled_from": {"table": "base.json", "volts": 0.9},)"
      << R"( "vector_op_pj_per_element": {"softmx": {"value": 1, "source": "x"}}})";
  try {
    load_tech_table(dir + "/t.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir +
                  "/t.json: vector_op_pj_per_element.softmx: not a vector operation "
                  "(docs/vector.md lists them)");
  }
}

TEST(AreaModel, CountsUnitsOfEachComponent) {
  const std::string dir = std::string(STRATA_SOURCE_DIR) + "/configs/tech/";
  const TechTable t = load_tech_table(dir + "45nm.json");
  SocParams soc;
  soc.array.geometry = {16, 16};
  soc.input_buffer = soc.weight_buffer = soc.output_buffer = SramParams{32768, 1, 64, true};
  AreaBreakdown a = area_breakdown(soc, t);
  EXPECT_NEAR(a.at("mac"), 256 * 675e-6, 1e-12);
  EXPECT_NEAR(a.at("input_buffer"), 0.106, 1e-12);
  EXPECT_EQ(a.at("mux"), 0);
  // S2TA-style: 4x4x4 tensor PEs, W-DBB 4/8 and A-DBB: 1,024 multipliers, each behind a mux.
  soc.array.sparsity.kind = SparsityKind::kDbb;
  soc.array.sparsity.tpe = {4, 4, 4};
  soc.array.sparsity.weight_nnz = 4;
  soc.array.sparsity.activation_dbb = true;
  a = area_breakdown(soc, t);
  EXPECT_NEAR(a.at("mac"), 1024 * 675e-6, 1e-12);
  EXPECT_NEAR(a.at("mux"), 1024 * 90e-6, 1e-12);
  EXPECT_NEAR(a.at("topk"), 8 * 900e-6, 1e-12);  // 16 rows x 4 lanes / 8 per block
  // 16 tensor PEs: 16 + 16 operand registers of 8 bits and 16 accumulators of 32 bits each.
  EXPECT_NEAR(a.at("register"), 16 * (32 * 8 + 16 * 32) * 5.98e-6, 1e-12);
  EXPECT_NEAR(leakage_power_mw(a, t), (total_area_mm2(a) - 3 * 0.106) * 51.1 + 3 * 0.106 * 25.5,
              1e-9);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// The counters energy and the report read are named once; a missing one is an error, not a 0.
TEST(SocCounters, MissingStatIsAnErrorNotAZero) {
  std::map<std::string, int64_t> snapshot;
  for (const auto& p : SocCounters::paths()) snapshot[p] = 7;
  snapshot["soc.weight_buffer.write_bytes"] = 11;
  const SocCounters c = SocCounters::from(snapshot);
  EXPECT_EQ(c.mac_ops, 7);
  EXPECT_EQ(c.buffer_write_bytes[1], 11);
  EXPECT_EQ(c.minus(c).buffer_write_bytes[1], 0);
  snapshot.erase("soc.array.gated_mac_ops");
  try {
    SocCounters::from(snapshot);
    FAIL() << "a missing stat was read as a value";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("soc.array.gated_mac_ops"), std::string::npos);
  }
}

}  // namespace
}  // namespace strata

#include <fstream>
#include <sstream>

#include "sim/report/columns.h"

namespace strata {
namespace {

// Every column a writer emits is documented, and names are unique within each list.
TEST(ReportColumns, EveryColumnIsDocumentedOnce) {
  std::ifstream f(std::string(STRATA_SOURCE_DIR) + "/docs/reports.md");
  std::stringstream doc;
  doc << f.rdbuf();
  ASSERT_FALSE(doc.str().empty());
  for (const auto& names :
       {column_names(layer_columns()), column_names(totals_columns()),
        column_names(summary_columns()), column_names(vector_layer_columns())}) {
    std::set<std::string> seen;
    for (const auto& n : names) {
      EXPECT_TRUE(seen.insert(n).second) << n << " twice";
      EXPECT_NE(doc.str().find("`" + n + "`"), std::string::npos) << n << " undocumented";
    }
  }
  for (const auto& c : layer_columns()) EXPECT_FALSE(c.unit.empty()) << c.name;
  for (const auto& c : vector_layer_columns()) EXPECT_FALSE(c.unit.empty()) << c.name;
}

}  // namespace
}  // namespace strata
