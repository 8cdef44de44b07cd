// The float executor against ONNX Runtime's CPU build (npm onnxruntime-node, fetched by
// scripts/fetch_onnxruntime.sh; scripts/onnxruntime_reference.js runs it) on real models the npm
// registry ships, on a deterministic input: every output within 1e-4 of the reference, relative
// to the output's largest magnitude (docs/functional.md).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "cli/cli_runner.h"
#include "support/npy_bytes.h"
#include "support/spawn.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/weights/npy.h"

namespace strata::test {
namespace {

struct Case {
  const char* file;
  const char* input;  // name=dims
  float low, high;    // input range
  // Also compare the input of the first node of this op (a saturating softmax could hide
  // differences in the logits): it is added to a copy of the model as an output.
  const char* expose_input_of = "";
};

class OnnxRuntimeAgreement : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxRuntimeAgreement, FloatExecutorMatchesOnnxRuntime) {
  const Case& c = GetParam();
  std::string model = kSourceDir.string() + "/.cache/weights/" + c.file;
  ASSERT_FALSE(read_file(model).empty()) << model << " missing: run scripts/fetch_weights.sh";
  const std::string dir = make_temp_dir();
  if (*c.expose_input_of) {
    const auto e = spawn_shell(
        "/usr/bin/python3 -c \"import onnx, sys; m = onnx.load(sys.argv[1]); "
        "n = next(n for n in m.graph.node if n.op_type == sys.argv[2]); "
        "m.graph.output.append(onnx.helper.make_tensor_value_info(n.input[0], "
        "onnx.TensorProto.FLOAT, None)); onnx.save(m, sys.argv[3])\" '" +
            model + "' " + c.expose_input_of + " '" + dir + "/model.onnx'",
        dir, dir + "/expose.out", dir + "/expose.err");
    ASSERT_EQ(e.exit_code, 0) << read_file(dir + "/expose.err");
    model = dir + "/model.onnx";
  }
  ASSERT_FALSE(read_file(kSourceDir.string() +
                         "/.cache/onnxruntime/node_modules/onnxruntime-node/package.json")
                   .empty())
      << "run scripts/fetch_onnxruntime.sh";
  const std::string spec = c.input;
  const std::string name = spec.substr(0, spec.find('='));
  const std::vector<int64_t> shape = parse_shape_text(spec.substr(spec.find('=') + 1));
  const OnnxGraph g = load_onnx_graph(model, {{name, shape}});
  FloatTensor x;
  x.shape = shape;
  x.data.resize(static_cast<size_t>(x.elements()));
  uint32_t state = 12345;  // a fixed LCG: the same input every run
  for (float& v : x.data) {
    state = state * 1664525u + 1013904223u;
    v = c.low + (c.high - c.low) * static_cast<float>(state >> 8) / static_cast<float>(1u << 24);
  }
  std::ofstream(dir + "/input.npy", std::ios::binary) << npy_bytes(x.shape, x.data);
  const auto r =
      spawn_shell("node '" + kSourceDir.string() + "/scripts/onnxruntime_reference.js' '" + model +
                      "' '" + dir + "' '" + name + "=" + dir + "/input.npy'",
                  dir, dir + "/ort.out", dir + "/ort.err");
  ASSERT_EQ(r.exit_code, 0) << read_file(dir + "/ort.err");
  const auto ours = OnnxFloatExecutor(g).run({{name, x}});
  ASSERT_EQ(ours.size(), g.outputs.size());
  for (const auto& [out_name, y] : ours) {
    std::string file = out_name;
    for (char& ch : file) {
      if (!isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.' && ch != '-') ch = '_';
    }
    const NamedTensor ref = load_npy(dir + "/" + file + ".npy");
    ASSERT_EQ(ref.shape, y.shape) << out_name;
    double scale = 0, worst = 0;
    for (float v : ref.data) scale = std::max(scale, std::fabs(double(v)));
    for (size_t i = 0; i < y.data.size(); ++i) {
      worst = std::max(worst, std::fabs(double(y.data[i]) - ref.data[i]));
    }
    ASSERT_GT(scale, 0) << out_name;
    EXPECT_LE(worst / scale, 1e-4) << out_name << ": max |ours - ONNX Runtime| " << worst
                                   << " against max |reference| " << scale;
    std::printf("%s %s: max |ours - ONNX Runtime| / max |reference| = %.3g\n", c.file,
                out_name.c_str(), worst / scale);
  }
}

INSTANTIATE_TEST_SUITE_P(Npm, OnnxRuntimeAgreement,
                         ::testing::Values(Case{"embedding_model.onnx", "input_1=1x76x32x1", -2.0f,
                                                2.0f},
                                           Case{"ch_ppocr_mobile_v2.0_cls_infer.onnx",
                                                "x=1x3x48x192", -1.0f, 1.0f, "Softmax"}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n = info.param.file;
                           n = n.substr(0, n.find(".onnx"));
                           for (char& ch : n) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace strata::test
