#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "common/input_error.h"
#include "sim/config/component_params.h"
#include "sim/config/param_specs.h"
#include "support/input_error_text.h"
#include "support/scratch_dir.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using test::error_of;

std::string temp_dir() {
  static const std::string dir = test::make_scratch_dir("strata_config_test_");
  return dir;
}

std::string write(const std::string& name, const std::string& text) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

ResolvedConfig resolve_text(const std::string& text, const std::vector<std::string>& sets = {}) {
  ConfigTree t = ConfigTree::load(write("c.json", text));
  for (const auto& s : sets) t.set_override(s);
  return resolve_config(t);
}

TEST(Config, DefaultsFillEveryKey) {
  const ResolvedConfig c = resolve_text("{}");
  for (const auto& spec : param_specs()) EXPECT_NO_THROW(c.at(spec.path)) << spec.path;
  EXPECT_EQ(c.get_int("array.rows"), 32);
  EXPECT_EQ(c.get_string("array.dataflow"), "os");
  EXPECT_EQ(c.get_string("timing.convention"), "strata");
  const SocParams p = make_soc_params(c);
  EXPECT_EQ(p.input_buffer.size_bytes, 256 * 1024);
  EXPECT_EQ(p.controller.tiling.input_capacity_bytes, 128 * 1024);
}

TEST(Config, RequiredKeyNamesExist) {
  for (const char* key :
       {"array.rows", "array.cols", "array.dataflow", "clock.freq_mhz", "timing.convention"}) {
    EXPECT_NE(find_param_spec(key), nullptr) << key;
  }
}

TEST(Config, ErrorsNameFileAndKeyPath) {
  const std::string f = temp_dir() + "/c.json";
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": {"rows": -4}})"); }),
            f + ": array.rows: must be an integer in [1, 4096], got -4");
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": {"rowz": 4}})"); }),
            f + ": array.rowz: unknown key; did you mean 'array.rows'? (see docs/config.md for the "
                "keys strata accepts)");
  // Nothing close: no guess.
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": {"qqqqqqq": 4}})"); }),
            f + ": array.qqqqqqq: unknown key (see docs/config.md for the keys strata accepts)");
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": {"rows": "32"}})"); }),
            f + ": array.rows: must be an integer in [1, 4096], got \"32\"");
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": {"dataflow": "rs"}})"); }),
            f + ": array.dataflow: must be one of \"os\", \"ws\", \"is\", got \"rs\"");
  EXPECT_EQ(error_of([] { resolve_text(R"({"clock": {"freq_mhz": 0}})"); }),
            f + ": clock.freq_mhz: must be a number in [1, 100000], got 0");
  EXPECT_EQ(error_of([] { resolve_text(R"({"array": 5})"); }),
            f + ": array: must be an object with keys (see docs/config.md)");
  EXPECT_EQ(error_of([] { resolve_text(R"({"buffers": {"input": {"word_bits": 12}}})"); }),
            f + ": buffers.input.word_bits: must be a multiple of 8, got 12");
  EXPECT_EQ(error_of([] { resolve_text(R"({"buffers": {"input": {"double_buffered": 1}}})"); }),
            f + ": buffers.input.double_buffered: must be true or false, got 1");
}

TEST(Config, IncludesMergeAndTheIncluderWins) {
  write("base.json", R"({"array": {"rows": 16, "cols": 16}, "dram": {"bandwidth_gbps": 10}})");
  write("mid.json", R"({"include": "base.json", "array": {"cols": 64}})");
  const ResolvedConfig c =
      resolve_text(R"({"include": ["mid.json"], "array": {"dataflow": "ws"}})");
  EXPECT_EQ(c.get_int("array.rows"), 16);
  EXPECT_EQ(c.get_int("array.cols"), 64);
  EXPECT_EQ(c.get_string("array.dataflow"), "ws");
  EXPECT_DOUBLE_EQ(c.get_float("dram.bandwidth_gbps"), 10.0);
}

TEST(Config, ErrorsInIncludedFilesNameThatFile) {
  write("bad_base.json", R"({"array": {"cols": 0}})");
  EXPECT_EQ(error_of([] { resolve_text(R"({"include": "bad_base.json"})"); }),
            temp_dir() + "/bad_base.json: array.cols: must be an integer in [1, 4096], got 0");
  write("cycle_a.json", R"({"include": "cycle_b.json"})");
  write("cycle_b.json", R"({"include": "cycle_a.json"})");
  EXPECT_NE(error_of([] { resolve_text(R"({"include": "cycle_a.json"})"); }).find("include cycle"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              resolve_text(R"({"include": "missing.json"})");
            }).find("missing.json: cannot open"),
            std::string::npos);
}

TEST(Config, SetOverridesAreTypedAndValidated) {
  const ResolvedConfig c =
      resolve_text("{}", {"array.rows=64", "array.dataflow=ws",
                          "buffers.input.double_buffered=false", "dram.bandwidth_gbps=12.5"});
  EXPECT_EQ(c.get_int("array.rows"), 64);
  EXPECT_EQ(c.get_string("array.dataflow"), "ws");
  EXPECT_FALSE(c.get_bool("buffers.input.double_buffered"));
  EXPECT_DOUBLE_EQ(c.get_float("dram.bandwidth_gbps"), 12.5);
  EXPECT_EQ(error_of([] { resolve_text("{}", {"array.rows=big"}); }),
            "--set: array.rows: must be an integer in [1, 4096], got \"big\"");
  EXPECT_EQ(error_of([] { resolve_text("{}", {"array.depth=3"}); }),
            "--set: array.depth: unknown key (see docs/config.md for the keys strata accepts)");
  EXPECT_NE(
      error_of([] { resolve_text("{}", {"array.rows"}); }).find("expected <key.path>=<value>"),
      std::string::npos);
}

TEST(Config, TechTablePathIsRelativeToItsFile) {
  const ResolvedConfig c = resolve_text(R"({"energy": {"tech_table": "tables/x.json"}})");
  EXPECT_EQ(c.tech_table_path, temp_dir() + "/tables/x.json");
  EXPECT_EQ(resolve_text("{}").tech_table_path, builtin_config_dir() + "/tech/45nm.json");
}

// docs/config.md must document every key the simulator accepts.
TEST(Config, EveryKeyIsDocumented) {
  const std::string doc = read_text_file(std::string(STRATA_SOURCE_DIR) + "/docs/config.md");
  for (const auto& spec : param_specs()) {
    EXPECT_NE(doc.find("`" + spec.path + "`"), std::string::npos)
        << spec.path << " missing from docs/config.md";
  }
}

}  // namespace
}  // namespace strata
