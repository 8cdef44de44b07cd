// Explicit mappings: the Timeloop-style syntax, its JSON form, and the check against a layer.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "common/input_error.h"
#include "workloads/layer.h"
#include "workloads/mapping/mapping.h"

namespace strata {
namespace {

const char* kGemminiExample = "L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8";

std::string error_of(const std::string& text) {
  try {
    parse_mapping(text, "m");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Mapping, ParsesLevelsKeepsAndLoops) {
  const Mapping m = parse_mapping(kGemminiExample, "m");
  ASSERT_EQ(m.levels.size(), 4u);
  EXPECT_EQ(m.levels[0].index, 3);
  EXPECT_TRUE(m.levels[0].keeps_weights && m.levels[0].keeps_inputs && m.levels[0].keeps_outputs);
  EXPECT_TRUE(m.levels[2].keeps_outputs);
  EXPECT_FALSE(m.levels[2].keeps_weights);
  ASSERT_EQ(m.levels[2].loops.size(), 3u);
  EXPECT_EQ(m.levels[2].loops[2], (MappingLoop{MapDim::kC, 16, true}));
  EXPECT_EQ(m.total(MapDim::kK), 768);
  EXPECT_EQ(m.total(MapDim::kC), 768);
  EXPECT_EQ(m.total(MapDim::kP), 128);
  EXPECT_EQ(m.spatial(MapDim::kK), 16);
  EXPECT_EQ(m.spatial(MapDim::kP), 1);
}

TEST(Mapping, FormatsBackToTheSameText) {
  EXPECT_EQ(format_mapping(parse_mapping(kGemminiExample, "m")), kGemminiExample);
  // Extra spaces and a level with no loops are accepted; the printed form is canonical.
  const Mapping m = parse_mapping("  L2[IW]   C4  -L1[O]-  L0[W] P2X ", "m");
  EXPECT_EQ(format_mapping(m), "L2[WI] C4 - L1[O] - L0[W] P2X");
  EXPECT_EQ(parse_mapping(format_mapping(m), "m"), m);
}

TEST(Mapping, JsonFormRoundTripsAndAcceptsTheString) {
  const Mapping m = parse_mapping(kGemminiExample, "m");
  const nlohmann::json j = mapping_to_json(m);
  EXPECT_EQ(j["levels"][1]["loops"][1]["spatial"], true);
  EXPECT_EQ(mapping_from_json(j, "j"), m);
  EXPECT_EQ(mapping_from_json(nlohmann::json(kGemminiExample), "j"), m);
}

TEST(Mapping, SyntaxErrorsNameTheOffsetAndWhatWasExpected) {
  EXPECT_EQ(error_of(""),
            "m: at character 0 (the end): the mapping is empty; expected levels "
            "like L3[WIO] K48 - L2[WI] K16X");
  EXPECT_NE(error_of("L3[WIO] K48 - L3[WI] K2").find("at character 15"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] K48 - L3[WI] K2").find("numbers decreasing"), std::string::npos);
  EXPECT_NE(error_of("L3[WIZ] K4").find("keep set holds 'Z'"), std::string::npos);
  EXPECT_NE(error_of("L3[WWO] K4").find("names W twice"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] K0").find("below 1"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] K99999999999999999999").find("above 2147483648"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] Z4").find("a dimension (N, C, K, P, Q, R, S)"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] K4Y").find("a space after the loop"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO K4").find("']' closing"), std::string::npos);
  EXPECT_NE(error_of("X3[WIO] K4").find("a level such as L3[WIO]"), std::string::npos);
  EXPECT_NE(error_of("L3[WIO] K4 L2[WI]").find("at character 11"), std::string::npos);
  std::string many;
  for (int i = 0; i < 65; ++i) many += " K1";
  EXPECT_NE(error_of("L3[WIO]" + many).find("more than 64 loops"), std::string::npos);
}

TEST(Mapping, JsonErrorsNameTheKey) {
  auto error = [](const nlohmann::json& j) {
    try {
      mapping_from_json(j, "layers[0].mapping");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(nlohmann::json(3)),
            "layers[0].mapping: must be a mapping string (\"L3[WIO] K48 - L2[WI] K16X ...\") or "
            "an object with \"levels\", got integer");
  EXPECT_EQ(error({{"levels",
                    {{{"level", 1}, {"keeps", "W"}, {"loops", {{{"dim", "Z"}, {"factor", 2}}}}}}}}),
            "layers[0].mapping.levels[0].loops[0].dim: must be one of \"N\", \"C\", \"K\", \"P\", "
            "\"Q\", \"R\", \"S\", got \"Z\"");
  EXPECT_EQ(error({{"levels", {{{"level", 1}, {"keeps", "W"}, {"loop", 1}}}}}),
            "layers[0].mapping.levels[0].loop: is not a mapping key (keys: keeps, level, loops)");
  EXPECT_EQ(error({{"levels", nlohmann::json::array()}}),
            "layers[0].mapping.levels: must be a non-empty array of levels, outermost first");
}

TEST(Mapping, LayerDimensionsAndTheCoverCheck) {
  Layer conv = conv_layer("c", 2, 14, 64, 128, 3, 1, 1, 2);
  const MapDims d = mapping_dims(conv);
  EXPECT_EQ(d[map_dim_index(MapDim::kN)], 2);
  EXPECT_EQ(d[map_dim_index(MapDim::kC)], 32);  // per group
  EXPECT_EQ(d[map_dim_index(MapDim::kK)], 64);
  EXPECT_EQ(d[map_dim_index(MapDim::kP)], 14);
  EXPECT_EQ(d[map_dim_index(MapDim::kR)], 3);
  EXPECT_EQ(mapping_instances(conv), 2);
  const Layer mm = gemm_layer("mm", 12, 128, 768, 64);
  EXPECT_EQ(mapping_dims(mm)[map_dim_index(MapDim::kP)], 128);
  EXPECT_EQ(mapping_dims(mm)[map_dim_index(MapDim::kC)], 768);
  EXPECT_EQ(mapping_dims(mm)[map_dim_index(MapDim::kK)], 64);
  EXPECT_EQ(mapping_instances(mm), 12);

  const Layer bert = gemm_layer("fc", 1, 128, 768, 768);
  check_mapping_covers(parse_mapping(kGemminiExample, "m"), mapping_dims(bert), "fc");
  try {
    check_mapping_covers(parse_mapping(kGemminiExample, "m"),
                         mapping_dims(gemm_layer("fc", 1, 128, 768, 512)), "layer 'fc': mapping");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "layer 'fc': mapping: K's factors multiply to 768 (48 x 16X), but the "
                 "layer's K is 512");
  }
}

// Every mapping in the Gemmini measurements (tests/data/gemmini) parses, prints back to its own
// text, and covers its layer exactly.
TEST(Mapping, EveryGemminiMeasurementRowParsesAndCoversItsLayer) {
  int rows = 0;
  for (const char* file : {"firesim_128x128_train.csv", "firesim_16x16_dev.csv"}) {
    std::ifstream in(std::string(STRATA_SOURCE_DIR) + "/tests/data/gemmini/" + file);
    ASSERT_TRUE(in) << file;
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
    while (std::getline(in, line)) {
      std::map<std::string, std::string> row;
      std::stringstream ls(line);
      size_t col = 0;
      for (std::string cell; std::getline(ls, cell, ','); ++col) row[header.at(col)] = cell;
      const Mapping m = parse_mapping(row.at("mapping.mapping"), file);
      EXPECT_EQ(format_mapping(m), row.at("mapping.mapping"));
      auto v = [&](const char* key) { return std::stoll(row.at(std::string("prob.") + key)); };
      EXPECT_EQ(m.total(MapDim::kN), v("N"));
      EXPECT_EQ(m.total(MapDim::kC), v("C"));
      EXPECT_EQ(m.total(MapDim::kK), v("K"));
      EXPECT_EQ(m.total(MapDim::kP), v("P"));
      EXPECT_EQ(m.total(MapDim::kQ), v("Q"));
      EXPECT_EQ(m.total(MapDim::kR), v("R"));
      EXPECT_EQ(m.total(MapDim::kS), v("S"));
      ++rows;
    }
  }
  EXPECT_EQ(rows, 1567 + 84);
}

}  // namespace
}  // namespace strata
