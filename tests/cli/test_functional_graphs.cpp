// Valid graphs functional mode must run (docs/functional.md): matrix products in every form ONNX
// allows (a weight shared by a batched operand, broadcast leading dims, vectors, two activations,
// Gemm's transposes and broadcast C), outputs the importer folds to constants, and a long graph
// stored in reverse order. The quantized bit-true path must agree with the float network: each
// output's mean cosine similarity to the float one at least 0.99 with 8-bit edge layers (the broken
// paths gave 0.7 and below).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"
#include "support/npy_bytes.h"
#include "unit/onnx_builder.h"
#include "workloads/onnx/onnx_graph.h"

namespace strata::test {
namespace {

struct Graph {
  std::string name;
  std::vector<int64_t> input;  // x's shape
  std::function<void(OnnxBuilder&)> build;
};

void PrintTo(const Graph& g, std::ostream* os) { *os << g.name; }

std::vector<float> wave(int64_t n, float phase) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = std::sin(0.61f * i + phase);
  return v;
}

int64_t count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

OnnxBuilder& weight(OnnxBuilder& b, const std::string& name, const std::vector<int64_t>& dims) {
  return b.values(name, dims, wave(count(dims), 1.3f));
}

class FunctionalGraphs : public ::testing::TestWithParam<Graph> {};

TEST_P(FunctionalGraphs, RunAndAgreeWithTheFloatNetwork) {
  const Graph& g = GetParam();
  const std::string d = make_temp_dir();
  OnnxBuilder b;
  b.input("x", g.input).output("y");
  g.build(b);
  b.write(d + "/model.onnx");
  std::filesystem::create_directories(d + "/inputs");
  write_file(d + "/inputs", "x.npy", npy_bytes(g.input, wave(count(g.input), 0.2f)));
  const CliResult r =
      run_strata({"run", "-c", "configs/ant_os_28nm.json", "-w", d + "/model.onnx", "--set",
                  "sim.mode=functional", "--inputs", d + "/inputs", "--out", d + "/out", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(read_file(d + "/out/report.json"));
  bool seen = false;
  for (const auto& o : report.at("functional").at("outputs")) {
    if (o.at("name") != "y") continue;
    seen = true;
    EXPECT_GE(o.at("mean_cosine_similarity").get<double>(), 0.99) << o.dump();
  }
  EXPECT_TRUE(seen) << report.at("functional").dump();
}

const std::vector<Graph> kGraphs = {
    // x[1,3,8,8] @ W[8,2]: W serves all 24 rows (it corrupted the heap before).
    {"MatMulWeightSharedByLeadingDims",
     {1, 3, 8, 8},
     [](OnnxBuilder& b) {
       weight(b, "w", {8, 2});
       b.node("MatMul", {"x", "w"}, {"y"}, "mm");
     }},
    {"MatMulVectorTimesMatrix",
     {5},
     [](OnnxBuilder& b) {
       weight(b, "w", {5, 3});
       b.node("MatMul", {"x", "w"}, {"y"}, "mm");
     }},
    // x[2,1,4,5] @ W[3,5,6]: both operands broadcast to a batch of 2 x 3.
    {"MatMulBroadcastWeightBatch",
     {2, 1, 4, 5},
     [](OnnxBuilder& b) {
       weight(b, "w", {3, 5, 6});
       b.node("Relu", {"x"}, {"a"}, "relu");
       b.node("MatMul", {"a", "w"}, {"y"}, "mm");
     }},
    // [1,3,5] @ [7,5,3]: the first activation broadcast over the second's batch of 7.
    {"MatMulBroadcastActivations",
     {1, 5, 3},
     [](OnnxBuilder& b) {
       OnnxBuilder::attr(b.node("Transpose", {"x"}, {"a"}, "t"), "perm",
                         std::vector<int64_t>{0, 2, 1});
       b.values("z", {7, 1, 1}, wave(7, 0.5f));
       b.node("Add", {"x", "z"}, {"bt"}, "add");
       b.node("MatMul", {"a", "bt"}, {"y"}, "mm");
     }},
    // Two activations, the second signed where the first is not: x relu'd times x transposed.
    {"MatMulOfTwoActivations",
     {4, 5},
     [](OnnxBuilder& b) {
       b.node("Relu", {"x"}, {"a"}, "relu");
       OnnxBuilder::attr(b.node("Transpose", {"x"}, {"bt"}, "t"), "perm",
                         std::vector<int64_t>{1, 0});
       b.node("MatMul", {"a", "bt"}, {"y"}, "mm");
     }},
    {"GemmTransAWithAColumnBias",
     {5, 4},
     [](OnnxBuilder& b) {
       weight(b, "w", {5, 3});
       weight(b, "c", {4, 1});
       OnnxBuilder::attr(b.node("Gemm", {"x", "w", "c"}, {"y"}, "g"), "transA", int64_t{1});
     }},
    {"GemmOfTwoActivationsTransB",
     {4, 5},
     [](OnnxBuilder& b) {
       b.node("Relu", {"x"}, {"a"}, "relu");
       OnnxBuilder::attr(b.node("Gemm", {"a", "x"}, {"y"}, "g"), "transB", int64_t{1});
     }},
    // Weights computed at run time: quantized as they arrive (an internal error before).
    {"ConvWithComputedWeights",
     {4, 3, 3, 3},
     [](OnnxBuilder& b) {
       b.node("Relu", {"x"}, {"w"}, "relu");
       b.node("Conv", {"x", "w"}, {"y"}, "c");
     }},
    // Vector nodes whose results nothing reads (valid ONNX: an internal error before).
    {"DanglingVectorNodes",
     {1, 3, 8, 8},
     [](OnnxBuilder& b) {
       weight(b, "w", {4, 3, 3, 3});
       b.node("Conv", {"x", "w"}, {"c"}, "c");
       b.node("Sigmoid", {"c"}, {"s"}, "sigmoid");
       b.node("Tanh", {"s"}, {"unused"}, "tanh");
       b.node("Relu", {"c"}, {"y"}, "relu");
     }},
    // A second graph output the importer folds (a Range): read from the constants.
    {"FoldedConstantAsAnOutput",
     {1, 3, 8, 8},
     [](OnnxBuilder& b) {
       weight(b, "w", {4, 3, 3, 3});
       b.node("Conv", {"x", "w"}, {"y"}, "c");
       b.ints("start", {0}).ints("limit", {10}).ints("delta", {1});
       b.node("Range", {"start", "limit", "delta"}, {"r"}, "range");
       b.output("r");
     }},
};

INSTANTIATE_TEST_SUITE_P(Valid, FunctionalGraphs, ::testing::ValuesIn(kGraphs),
                         [](const auto& info) { return info.param.name; });

// File names are bytes: a model and an input whose names are not UTF-8 run, and the reports,
// which hold UTF-8 only, carry the names escaped (the run failed after simulating before).
TEST(FunctionalGraphs, FileNamesThatAreNotUtf8) {
  const std::string d = make_temp_dir();
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8}).output("y");
  weight(b, "w", {4, 3, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "c");
  const std::string model = b.write(d + "/caf\xe9.onnx");
  std::filesystem::create_directories(d + "/inputs");
  write_file(d + "/inputs", "photo\xe9.npy", npy_bytes({1, 3, 8, 8}, wave(192, 0.1f)));
  const CliResult timing = run_strata({"run", "-w", model, "--out", d + "/timing", "-q"});
  ASSERT_EQ(timing.exit_code, 0) << timing.err;
  const auto timing_report = nlohmann::json::parse(read_file(d + "/timing/report.json"));
  EXPECT_EQ(timing_report.at("workload").at("source").get<std::string>().find('\xe9'),
            std::string::npos);  // U+FFFD, not the raw byte
  const CliResult functional =
      run_strata({"run", "-c", "configs/ant_os_28nm.json", "-w", model, "--set",
                  "sim.mode=functional", "--inputs", d + "/inputs", "--out", d + "/f", "-q"});
  ASSERT_EQ(functional.exit_code, 0) << functional.err;
  const auto report = nlohmann::json::parse(read_file(d + "/f/report.json"));
  EXPECT_EQ(report.at("functional").at("inputs").at(0), "photo\\xe9.npy");
}

// 100,000 nodes stored last to first: the topological sort is O(E log N) (it was quadratic: over
// a minute), and the order it finds runs.
TEST(OnnxGraphOrder, AHundredThousandNodesInReverseOrder) {
  OnnxBuilder b;
  const int n = 100000;
  b.input("x", {1, 4}).output("t" + std::to_string(n));
  for (int i = n - 1; i >= 0; --i) {
    b.node("Relu", {"t" + std::to_string(i)}, {"t" + std::to_string(i + 1)},
           "r" + std::to_string(i));
  }
  b.node("Relu", {"x"}, {"t0"}, "first");
  const OnnxGraph g = parse_onnx_graph(b.bytes(), "reverse.onnx");
  ASSERT_EQ(g.nodes.size(), static_cast<size_t>(n + 1));
  EXPECT_EQ(g.nodes.front().name, "first");
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(g.nodes[static_cast<size_t>(i + 1)].name, "r" + std::to_string(i));
}

}  // namespace
}  // namespace strata::test
