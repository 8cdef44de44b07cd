// Explicit mappings end to end: the mapping each layer ran, read from layers.csv, fed back with
// --mappings or a layer list's "mapping", runs the same; an edited one runs as edited.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "sim/sweep/pareto.h"

namespace strata::test {
namespace {

struct LayerRow {
  std::string mapping;
  int64_t cycles = 0;
};

std::map<std::string, LayerRow> layer_rows(const std::string& dir) {
  const CsvTable t = parse_csv(read_file(dir + "/layers.csv"), "layers.csv");
  std::map<std::string, LayerRow> rows;
  for (const auto& r : t.rows) {
    rows[r[t.column("name", "")]] = {r[t.column("mapping", "")],
                                     std::stoll(r[t.column("cycles", "")])};
  }
  return rows;
}

const char* kLayers = R"({"layers": [
  {"name": "conv", "type": "conv2d", "in_h": 30, "in_w": 30, "in_c": 64, "out_c": 128,
   "kernel": 3},
  {"name": "fc", "type": "gemm", "m": 128, "k": 768, "n": 768}]})";

TEST(CliMappings, TheMappingInLayersCsvRunsTheSameWhenFedBack) {
  const std::string d = make_temp_dir();
  const std::string layers = write_file(d, "layers.json", kLayers);
  const std::string config = std::string(STRATA_SOURCE_DIR) + "/configs/gemmini_16x16.json";
  ASSERT_EQ(run_strata({"run", "-q", "-c", config, "-w", layers, "--out", d + "/own"}).exit_code,
            0);
  const auto own = layer_rows(d + "/own");
  ASSERT_EQ(own.size(), 2u);
  nlohmann::json file = {{"mappings", nlohmann::json::object()}};
  for (const auto& [name, row] : own) {
    EXPECT_EQ(row.mapping.rfind("L3[WIO]", 0), 0u) << row.mapping;
    file["mappings"][name] = row.mapping;
  }
  const std::string mappings = write_file(d, "mappings.json", file.dump());
  const CliResult again = run_strata(
      {"run", "-q", "-c", config, "-w", layers, "--mappings", mappings, "--out", d + "/again"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(d + "/own/layers.csv"), read_file(d + "/again/layers.csv"));

  // An edited mapping (the measured Gemmini run's of this matrix product) runs as edited, and a
  // layer list can carry it too.
  const std::string edited = "L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8";
  nlohmann::json with = nlohmann::json::parse(kLayers);
  with["layers"][1]["mapping"] = edited;
  const std::string edited_layers = write_file(d, "edited.json", with.dump());
  ASSERT_EQ(run_strata({"run", "-q", "-c", config, "-w", edited_layers, "--out", d + "/edited"})
                .exit_code,
            0);
  const auto e = layer_rows(d + "/edited");
  EXPECT_EQ(e.at("fc").mapping, edited);
  EXPECT_NE(e.at("fc").cycles, own.at("fc").cycles);
  EXPECT_EQ(e.at("conv").cycles, own.at("conv").cycles);
}

TEST(CliMappings, CompareRunsEveryDesignWithTheMappings) {
  const std::string d = make_temp_dir();
  const std::string layers = write_file(d, "layers.json", kLayers);
  const std::string edited = "L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8";
  const std::string mappings =
      write_file(d, "mappings.json", R"({"mappings": {"fc": ")" + edited + R"("}})");
  const std::string config = std::string(STRATA_SOURCE_DIR) + "/configs/gemmini_16x16.json";
  const CliResult r = run_strata({"compare", "-q", "-b", config, "-c", config, "-w", layers,
                                  "--mappings", mappings, "--out", d + "/cmp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int runs = 0;
  for (const auto& design : list_dir(d + "/cmp")) {
    const std::string run = d + "/cmp/" + design + "/layers.json";
    if (!std::filesystem::exists(run + "/layers.csv")) continue;
    EXPECT_EQ(layer_rows(run).at("fc").mapping, edited) << design;
    ++runs;
  }
  EXPECT_EQ(runs, 2);
}

TEST(CliMappings, SeparateBuffersReportNoMapping) {
  const std::string d = make_temp_dir();
  const std::string layers = write_file(d, "layers.json", kLayers);
  ASSERT_EQ(run_strata({"run", "-q", "-w", layers, "--out", d + "/out"}).exit_code, 0);
  for (const auto& [name, row] : layer_rows(d + "/out")) EXPECT_EQ(row.mapping, "") << name;
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// strata map: every layer's searched mapping is no slower than strata's own, its files are the
// same bytes on a second run, and mappings.json fed back to strata run gives, layer by layer,
// exactly the cycles the search reported (the simulation of the same mapping; the vector unit
// off so a layer's cycles are its array's).
TEST(CliMap, SearchedMappingsRunAtTheirReportedCycles) {
  const std::string a = make_temp_dir(), b = make_temp_dir();
  for (const std::string& d : {a, b}) {
    const CliResult r =
        run_strata({"map", "-c", "configs/gemmini_16x16.json", "-w", "resnet18", "--out", d, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("candidates costed"), std::string::npos) << r.err;
  }
  EXPECT_EQ(read_file(a + "/map.csv"), read_file(b + "/map.csv"));
  EXPECT_EQ(read_file(a + "/mappings.json"), read_file(b + "/mappings.json"));
  const CliResult run = run_strata({"run", "-c", "configs/gemmini_16x16.json", "-w", "resnet18",
                                    "--mappings", a + "/mappings.json", "--set",
                                    "vector.enabled=false", "--out", a + "/run", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto map = nlohmann::json::parse(read_file(a + "/mappings.json"))["mappings"];
  const std::string csv = read_file(a + "/map.csv");
  const auto report = nlohmann::json::parse(read_file(a + "/run/report.json"));
  size_t checked = 0;
  for (const auto& layer : report["layers"]) {
    const std::string name = layer["name"];
    EXPECT_EQ(layer["mapping"], map[name]) << name;
    // map.csv's row: layer,mapping,cycles,dram_bytes,default_mapping,default_cycles,...
    const size_t row = csv.find("\n" + name + ",");
    ASSERT_NE(row, std::string::npos) << name;
    const size_t after_name = csv.find(',', row + 1);
    const size_t after_mapping = csv.find(',', after_name + 1);
    const int64_t cycles = std::stoll(csv.substr(after_mapping + 1));
    EXPECT_EQ(layer["cycles"].get<int64_t>(), cycles) << name;
    ++checked;
  }
  EXPECT_EQ(checked, map.size());
  // tiling.search = "latency" runs the same mappings inside strata run.
  const CliResult searched = run_strata({"run", "-c", "configs/gemmini_16x16.json", "-w",
                                         "resnet18", "--set", "tiling.search=latency", "--set",
                                         "vector.enabled=false", "--out", a + "/searched", "-q"});
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  EXPECT_EQ(read_file(a + "/searched/layers.csv"), read_file(a + "/run/layers.csv"));
}

TEST(CliMap, RefusesTheBuffersHierarchyAndUnknownObjectives) {
  const CliResult buffers = run_strata({"map", "-c", "configs/default.json", "-w", "alexnet"});
  EXPECT_EQ(buffers.exit_code, 2);
  EXPECT_NE(buffers.err.find("memory.hierarchy: strata map searches the scratchpad"),
            std::string::npos)
      << buffers.err;
  const CliResult objective = run_strata(
      {"map", "-c", "configs/gemmini_16x16.json", "-w", "alexnet", "--objective", "power"});
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_NE(objective.err.find("objective: \"power\" is not one of: latency"), std::string::npos)
      << objective.err;
}

}  // namespace
}  // namespace strata::test
