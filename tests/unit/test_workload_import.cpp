#include <gtest/gtest.h>

#include "common/input_error.h"
#include "support/input_error_text.h"
#include "workloads/json_file.h"
#include "workloads/layer_list_json.h"
#include "workloads/topology_csv.h"

namespace strata {
namespace {

using test::error_of;

TEST(TopologyCsv, ParsesConvRowsWithTrailingCommas) {
  const Workload w = parse_topology_csv(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\n"
      "Conv1,224,224,7,7,3,64,2,\r\n\nConv2,56,56,3,3,64,64,1,\n",
      "t.csv");
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.name, "t");
  const Layer& l = w.layers[0];
  EXPECT_EQ(l.in_h, 224);
  EXPECT_EQ(l.kernel_w, 7);
  EXPECT_EQ(l.in_c, 3);
  EXPECT_EQ(l.out_c, 64);
  EXPECT_EQ(l.stride_h, 2);
  EXPECT_EQ(l.pad_h, 0);
  // SCALE-Sim's unpadded output size: ceil((224 - 7 + 2) / 2) = 110 vs the floor rule's 109.
  EXPECT_EQ(gemm_view(l, OutputSizeRule::kScaleSim).rows, 110 * 110);
  EXPECT_EQ(gemm_view(l).rows, 109 * 109);
}

TEST(TopologyCsv, ParsesGemmForm) {
  const Workload w = parse_topology_csv("Layer, M, N, K,\nQKT,1024,1024,64,\n", "g.csv");
  ASSERT_EQ(w.layers.size(), 1u);
  const GemmView v = gemm_view(w.layers[0]);
  EXPECT_EQ(v.rows, 1024);
  EXPECT_EQ(v.cols, 1024);
  EXPECT_EQ(v.depth, 64);
}

TEST(TopologyCsv, ErrorsNameFileAndLine) {
  const std::string header = "Layer name,H,W,R,S,C,M,Stride,\n";
  EXPECT_EQ(error_of([&] { parse_topology_csv(header + "c1,8,8,3,3,4,\n", "x.csv"); }),
            "x.csv:2: expected 8 fields, got 6");
  EXPECT_EQ(error_of([&] { parse_topology_csv(header + "c1,8,8,3,3,4,x4,1,\n", "x.csv"); }),
            "x.csv:2: field 'Num Filter' must be a positive integer, got 'x4'");
  EXPECT_EQ(error_of([&] { parse_topology_csv(header + "c1,8,8,3,3,4,-4,1,\n", "x.csv"); }),
            "x.csv:2: field 'Num Filter' must be a positive integer, got '-4'");
  EXPECT_EQ(error_of([&] { parse_topology_csv(header, "x.csv"); }),
            "x.csv: no layer rows after the header");
  EXPECT_EQ(error_of([&] { parse_topology_csv("", "x.csv"); }),
            "x.csv: empty topology file; expected a header row");
  EXPECT_NE(error_of([&] {
              parse_topology_csv(header + "c1,2,2,3,3,4,4,1,\n", "x.csv");
            }).find("x.csv:2"),
            std::string::npos);  // kernel larger than input
}

TEST(LayerList, ParsesConvAndGemm) {
  const auto doc = nlohmann::json::parse(R"({"name": "tiny", "layers": [
    {"name": "c1", "type": "conv2d", "in_h": 32, "in_w": 30, "in_c": 8, "out_c": 16,
     "kernel": [3, 1], "stride": 2, "padding": [1, 0], "groups": 2, "batch": 3},
    {"name": "qk", "type": "matmul", "m": 128, "k": 64, "n": 128, "batch": 12}]})");
  const Workload w = parse_layer_list(doc, "t.json");
  EXPECT_EQ(w.name, "tiny");
  const Layer& c = w.layers[0];
  EXPECT_EQ(c.kernel_h, 3);
  EXPECT_EQ(c.kernel_w, 1);
  EXPECT_EQ(c.pad_h, 1);
  EXPECT_EQ(c.pad_w, 0);
  EXPECT_EQ(c.out_h(), 16);
  EXPECT_EQ(c.out_w(), 15);
  EXPECT_EQ(c.macs(), 3 * 16 * 15 * 16 * 3 * 1 * 4);
  EXPECT_EQ(w.layers[1].macs(), 12 * 128 * 64 * 128);
}

TEST(LayerList, ErrorsNameTheKeyPath) {
  auto err = [](const char* text) {
    return error_of([&] { parse_layer_list(nlohmann::json::parse(text), "w.json"); });
  };
  EXPECT_EQ(err(R"({"layers": [{"name": "a", "type": "gemm", "m": 1, "n": 2}]})"),
            "w.json: layers[0].k: is required (an integer) but not given");
  EXPECT_EQ(err(R"({"layers": [{"name": "a", "type": "gemm", "m": 1, "n": 2, "k": 3, "kk": 1}]})"),
            "w.json: layers[0].kk: is not a known gemm layer key");
  EXPECT_EQ(err(R"({"layers": [{"name": "a", "type": "gemm", "m": 1.5, "n": 2, "k": 3}]})"),
            "w.json: layers[0].m: must be an integer, got number");
  EXPECT_EQ(
      err(R"({"layers": [{"name": "a", "type": "pool"}]})"),
      "w.json: layers[0].type: must be one of \"conv2d\", \"gemm\", \"matmul\", got \"pool\"");
  EXPECT_EQ(err(R"({"layers": []})"),
            "w.json: layers: required, a non-empty array of layer objects");
  EXPECT_NE(err(R"({"layers": [{"name": "a", "type": "conv2d", "in_h": 8, "in_w": 8, "in_c": 6,
                 "out_c": 4, "kernel": 3, "groups": 4}]})")
                .find("'groups' (4) must divide"),
            std::string::npos);
  EXPECT_NE(err(R"({"layers": [{"name": "a", "type": "gemm", "m": 1, "n": 2, "k": 3},
                               {"name": "a", "type": "gemm", "m": 1, "n": 2, "k": 3}]})")
                .find("duplicate"),
            std::string::npos);
}

TEST(JsonFile, MalformedJsonNamesLineAndColumn) {
  EXPECT_EQ(
      error_of([] { parse_json_text("{\n  \"a\": 1,\n  \"b\": }\n", "m.json"); }).substr(0, 12),
      "m.json:3:8: ");
}

}  // namespace
}  // namespace strata
