// vector.fusion (docs/vector.md, Fusion): a convolution followed by an exported batch norm (Mul,
// Add by per-channel constants) and an exported hard-swish (Add 3, Clip, Mul, Div 6), as
// PaddlePaddle writes them. The vector layers' DRAM traffic at each level against its closed form:
// E = 64 x 64 x 64 int8 values, too large for the output buffer's resident half (64 KiB), so every
// unfused pass streams its operands from DRAM; the constants add 64 + 64 + 1 + 2 + 1 bytes.
// - none: Mul reads c and s (E + 64); Add, chained, reads b (64) and stores a (E), which two nodes
//   read; Add3 reads a and 3 (E + 1); Clip, chained, reads its bounds (2); Mul, chained, reads a
//   again (E); Div, chained, reads 6 (1) and stores y (E): 3E + 132 read, 2E written.
// - elementwise: one pass, every outside input once: E + 132 read, E written.
// - epilogue: the convolution's output stage does it all: nothing read or written by the unit; the
//   convolution's own store carries y.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"
#include "unit/onnx_builder.h"

namespace strata::test {
namespace {

using J = nlohmann::json;

constexpr int64_t kChannels = 64, kSide = 64;
constexpr int64_t kE = kChannels * kSide * kSide;

std::string conv_bn_hardswish(const std::string& dir) {
  OnnxBuilder b;
  b.input("x", {1, kChannels, kSide, kSide}).output("y");
  b.weight("w", {kChannels, kChannels, 1, 1});
  b.weight("s", {1, kChannels, 1, 1});
  b.weight("bias", {1, kChannels, 1, 1});
  b.values("three", {1}, {3.0f});
  b.values("six", {1}, {6.0f});
  b.values("lo", {}, {0.0f});
  b.values("hi", {}, {6.0f});
  b.node("Conv", {"x", "w"}, {"c"}, "conv");
  b.node("Mul", {"c", "s"}, {"m"}, "bn_mul");
  b.node("Add", {"m", "bias"}, {"a"}, "bn_add");
  b.node("Add", {"a", "three"}, {"p"}, "hs_add");
  b.node("Clip", {"p", "lo", "hi"}, {"q"}, "hs_clip");
  b.node("Mul", {"a", "q"}, {"r"}, "hs_mul");
  b.node("Div", {"r", "six"}, {"y"}, "hs_div");
  b.write(dir + "/model.onnx");
  return dir + "/model.onnx";
}

J run_at(const std::string& model, const std::string& fusion, const std::string& out) {
  const CliResult r = run_strata({"run", "-c", "configs/int8_sa_16nm.json", "-w", model, "--set",
                                  "vector.fusion=" + fusion, "--out", out, "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return J::parse(read_file(out + "/report.json"));
}

int64_t vector_dram(const J& report, const char* column) {
  int64_t sum = 0;
  for (const auto& v : report["vector_layers"]) sum += v[column].get<int64_t>();
  return sum;
}

TEST(VectorFusion, TrafficMatchesTheClosedFormAtEachLevel) {
  const std::string d = make_temp_dir();
  const std::string model = conv_bn_hardswish(d);
  const J none = run_at(model, "none", d + "/none");
  const J elementwise = run_at(model, "elementwise", d + "/elementwise");
  const J epilogue = run_at(model, "epilogue", d + "/epilogue");
  ASSERT_EQ(none["vector_layers"].size(), 6u);
  EXPECT_EQ(vector_dram(none, "dram_read_bytes"), 3 * kE + 132);
  EXPECT_EQ(vector_dram(none, "dram_write_bytes"), 2 * kE);
  EXPECT_EQ(vector_dram(elementwise, "dram_read_bytes"), kE + 132);
  EXPECT_EQ(vector_dram(elementwise, "dram_write_bytes"), kE);
  EXPECT_EQ(vector_dram(epilogue, "dram_read_bytes"), 0);
  EXPECT_EQ(vector_dram(epilogue, "dram_write_bytes"), 0);
  // The array's own traffic does not move: the totals differ by the vector layers' alone.
  for (const J* r : {&elementwise, &epilogue}) {
    for (const char* c : {"dram_read_bytes", "dram_write_bytes"}) {
      EXPECT_EQ(none["totals"][c].get<int64_t>() - (*r)["totals"][c].get<int64_t>(),
                vector_dram(none, c) - vector_dram(*r, c))
          << c;
    }
  }
  // Every op is still done: the lanes' energy is the same at every level.
  EXPECT_DOUBLE_EQ(none["totals"]["energy_vector_lanes_pj"].get<double>(),
                   epilogue["totals"]["energy_vector_lanes_pj"].get<double>());
  EXPECT_DOUBLE_EQ(none["totals"]["energy_vector_lanes_pj"].get<double>(),
                   elementwise["totals"]["energy_vector_lanes_pj"].get<double>());
  // Reported per layer: which pass ran it, and where.
  for (size_t k = 0; k < 6; ++k) {
    const J& v = elementwise["vector_layers"][k];
    EXPECT_EQ(v["fused_into"], k == 0 ? "" : "bn_mul") << k;
    EXPECT_EQ(v["runs_in"], "vector unit");
    EXPECT_EQ(epilogue["vector_layers"][k]["runs_in"], "output stage of conv") << k;
    EXPECT_EQ(none["vector_layers"][k]["fused_into"], "") << k;
  }
  // A fused pass does all six ops on each element: 64 lanes... the unit's compute is the sum of
  // its ops' lane operations over the lanes; in the output stage the unit is not used at all.
  EXPECT_EQ(epilogue["totals"]["vector_cycles"], 0);
  EXPECT_LT(epilogue["totals"]["latency_ms"].get<double>(),
            elementwise["totals"]["latency_ms"].get<double>());
  EXPECT_LT(elementwise["totals"]["latency_ms"].get<double>(),
            none["totals"]["latency_ms"].get<double>());
  EXPECT_EQ(none["vector_unit"]["fusion"], "none");
  EXPECT_EQ(epilogue["vector_unit"]["fusion"], "epilogue");
}

// The zoo's chains (a residual add and its ReLU) fuse into one pass; nothing the zoo lists runs in
// an output stage (its vector layers do not name their tensors), and a bad level is named.
TEST(VectorFusion, ZooChainsFuseAndBadLevelsAreNamed) {
  const std::string d = make_temp_dir();
  const CliResult r = run_strata(
      {"run", "-w", "resnet18", "--set", "vector.fusion=epilogue", "--out", d + "/r", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const J report = J::parse(read_file(d + "/r/report.json"));
  int fused = 0;
  for (const auto& v : report["vector_layers"]) {
    EXPECT_EQ(v["runs_in"], "vector unit") << v["name"];
    if (v["fused_into"] != "") {
      ++fused;
      EXPECT_EQ(v["op"], "Relu") << v["name"];
      EXPECT_EQ(v["dram_write_bytes"], 0);
    }
  }
  EXPECT_EQ(fused, 8);  // the eight basic blocks' add-ReLU pairs
  const CliResult bad = run_strata({"run", "-w", "resnet18", "--set", "vector.fusion=all"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("vector.fusion: must be one of \"none\", \"elementwise\", \"epilogue\""),
            std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace strata::test
