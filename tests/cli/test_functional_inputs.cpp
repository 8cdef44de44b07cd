// Functional execution's inputs and whole real-weight networks (docs/functional.md): photographs
// Debian ships (python3-skimage's sample images) decoded and resized against PIL (python3-pil),
// bad inputs named, and the zoo's real-weight models built as ONNX graphs checked against ONNX
// Runtime's CPU build on a photograph.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "cli/cli_runner.h"
#include "common/input_error.h"
#include "support/npy_bytes.h"
#include "support/spawn.h"
#include "workloads/functional/image_input.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/models/real_model_graphs.h"
#include "workloads/models/real_weights.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/weights/npy.h"
#include "workloads/zoo/zoo.h"

namespace strata::test {
namespace {

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ImageInputs, DecodingAndBilinearResizeMatchPil) {
  const std::string dir = make_temp_dir();
  // PIL decodes the photograph and upsamples a crop 2x bilinearly (half-pixel centres, no
  // antialiasing when enlarging); both saved as float arrays.
  const auto r = spawn_shell(
      "/usr/bin/python3 -c \"import numpy as np; from PIL import Image; "
      "im = Image.open('" +
          kSkimagePhotos +
          "/chelsea.png').convert('RGB'); "
          "np.save('raw.npy', np.asarray(im, dtype=np.float32)); "
          "crop = im.crop((100, 50, 164, 98)); "
          "np.save('up.npy', np.asarray(crop.resize((128, 96), Image.BILINEAR), "
          "dtype=np.float32))\"",
      dir, dir + "/py.out", dir + "/py.err");
  ASSERT_EQ(r.exit_code, 0) << read_file(dir + "/py.err");
  const Rgb8Image im = decode_image(kSkimagePhotos + "/chelsea.png");
  const NamedTensor raw = load_npy(dir + "/raw.npy");
  ASSERT_EQ(raw.shape, (std::vector<int64_t>{im.height, im.width, 3}));
  for (size_t i = 0; i < im.rgb.size(); ++i) ASSERT_EQ(im.rgb[i], raw.data[i]) << i;

  Rgb8Image crop{48, 64, {}};
  for (int64_t y = 50; y < 98; ++y) {
    for (int64_t x = 100; x < 164; ++x) {
      for (int c = 0; c < 3; ++c) crop.rgb.push_back(im.rgb[(y * im.width + x) * 3 + c]);
    }
  }
  ImagePreprocessing p;
  p.height = 96;
  p.width = 128;
  const FloatTensor t = preprocess_image(crop, p);
  const NamedTensor up = load_npy(dir + "/up.npy");
  double worst = 0, sum = 0;
  for (int64_t y = 0; y < 96; ++y) {
    for (int64_t x = 0; x < 128; ++x) {
      for (int c = 0; c < 3; ++c) {
        const double ours = t.data[(c * 96 + y) * 128 + x];
        const double diff = std::fabs(std::nearbyint(ours) - up.data[(y * 128 + x) * 3 + c]);
        worst = std::max(worst, diff);
        sum += diff;
      }
    }
  }
  // PIL interpolates in fixed point (coefficients of limited precision): ours rounded to 8 bits
  // is within a level of it, off by one in about a quarter of the values (an align-corners or
  // nearest resize of this fur is off by many levels).
  EXPECT_LE(worst, 1.0 + 1e-6);
  EXPECT_LE(sum / (96 * 128 * 3), 0.3);
  std::printf("bilinear 2x against PIL: max %.3f, mean %.3f levels\n", worst, sum / (96 * 128 * 3));
}

TEST(ImageInputs, NormalizationPaddingAndChannelOrder) {
  Rgb8Image im{1, 2, {10, 20, 30, 40, 50, 60}};  // two pixels side by side
  ImagePreprocessing p;
  p.height = 2;
  p.width = 2;
  p.pad_to_square = true;  // a zero row is added below the pixels (centred: top 0, bottom 1)
  p.bgr = true;
  p.pixel_scale = 0.5;
  p.mean = {1, 2, 3};
  p.std = {2, 4, 8};
  const FloatTensor t = preprocess_image(im, p);
  ASSERT_EQ(t.shape, (std::vector<int64_t>{1, 3, 2, 2}));
  // Channel 0 is blue: (30 x 0.5 - 1) / 2 = 7 at the first pixel; the padded row is (0 - 1) / 2.
  EXPECT_FLOAT_EQ(t.data[0], 7.0f);
  EXPECT_FLOAT_EQ(t.data[1], (60 * 0.5f - 1) / 2);
  EXPECT_FLOAT_EQ(t.data[2], -0.5f);
  EXPECT_FLOAT_EQ(t.data[4], (20 * 0.5f - 2) / 4);  // green
  EXPECT_FLOAT_EQ(t.data[8], (10 * 0.5f - 3) / 8);  // red
}

TEST(ImageInputs, BadInputsAreNamed) {
  const std::string dir = make_temp_dir();
  EXPECT_NE(input_error([&] { list_input_files(dir); }).find("no input files"), std::string::npos);
  EXPECT_NE(input_error([&] { list_input_files(dir + "/missing"); }).find("not a directory"),
            std::string::npos);
  const std::string truncated = kSkimagePhotos + "/truncated.jpg";
  EXPECT_NE(input_error([&] { decode_image(truncated); }).find(truncated + ": cannot be decoded"),
            std::string::npos);
  std::ofstream(dir + "/notes.txt") << "ignored";
  std::ofstream(dir + "/junk.png") << "not a png";
  EXPECT_EQ(list_input_files(dir), std::vector<std::string>{dir + "/junk.png"});
  EXPECT_NE(input_error([&] { load_image(dir + "/junk.png", {}); }).find("junk.png: cannot be"),
            std::string::npos);
  std::ofstream(dir + "/x.npy", std::ios::binary) << npy_bytes("2, 3", std::string(24, '\0'));
  const std::string wrong = input_error([&] { load_input(dir + "/x.npy", {1, 3, 2}, {}); });
  EXPECT_NE(wrong.find("x.npy: tensor of shape [2, 3] but the model's input is [1, 3, 2]"),
            std::string::npos)
      << wrong;
  EXPECT_EQ(load_input(dir + "/x.npy", {1, 2, 3}, {}).shape, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_NE(input_error([&] {
              load_input(dir + "/junk.png", {1, 3, 2}, {});
            }).find("an image cannot feed an input of shape [1, 3, 2]"),
            std::string::npos);
}

class RealModelGraph : public ::testing::TestWithParam<std::string> {};

// The network built from the TF.js weights runs on a photograph in ONNX Runtime and in strata's
// executor with the same outputs (the graph is valid ONNX; Pad, pooling and the folded scales run
// alike).
TEST_P(RealModelGraph, MatchesOnnxRuntimeOnAPhotograph) {
  const std::string model = GetParam();
  const std::string weights = kSourceDir.string() + "/.cache/weights/" + real_weights_file(model);
  ASSERT_FALSE(read_file(weights).empty()) << weights << " missing: run scripts/fetch_weights.sh";
  ASSERT_FALSE(read_file(kSourceDir.string() +
                         "/.cache/onnxruntime/node_modules/onnxruntime-node/package.json")
                   .empty())
      << "run scripts/fetch_onnxruntime.sh";
  const std::string dir = make_temp_dir();
  const std::string bytes = real_model_onnx(model, weights);
  std::ofstream(dir + "/model.onnx", std::ios::binary) << bytes;
  const OnnxGraph g = parse_onnx_graph(bytes, model);
  const FloatTensor x = load_input(kSkimagePhotos + "/astronaut.png", g.value("input").shape,
                                   real_model_preprocessing(model));
  std::ofstream(dir + "/input.npy", std::ios::binary) << npy_bytes(x.shape, x.data);
  const auto r =
      spawn_shell("node '" + kSourceDir.string() + "/scripts/onnxruntime_reference.js' '" + dir +
                      "/model.onnx' '" + dir + "' 'input=" + dir + "/input.npy'",
                  dir, dir + "/ort.out", dir + "/ort.err");
  ASSERT_EQ(r.exit_code, 0) << read_file(dir + "/ort.err");
  const auto ours = OnnxFloatExecutor(g).run({{"input", x}});
  ASSERT_EQ(ours.size(), g.outputs.size());
  for (const auto& [name, y] : ours) {
    const NamedTensor ref = load_npy(dir + "/" + name + ".npy");
    ASSERT_EQ(ref.shape, y.shape) << name;
    double scale = 0, worst = 0;
    for (float v : ref.data) scale = std::max(scale, std::fabs(double(v)));
    for (size_t i = 0; i < y.data.size(); ++i) {
      worst = std::max(worst, std::fabs(double(y.data[i]) - ref.data[i]));
    }
    ASSERT_GT(scale, 0) << name;
    EXPECT_LE(worst / scale, 1e-4) << name;
    std::printf("%s %s: max |ours - ONNX Runtime| / max |reference| = %.3g\n", model.c_str(),
                name.c_str(), worst / scale);
  }
}

// One name, one network: the graph functional mode runs has the array layers of the zoo entry
// timing mode runs, by name and shape.
TEST_P(RealModelGraph, IsTheZooEntryOfItsName) {
  const std::string model = GetParam();
  const std::string bytes =
      real_model_onnx(model, kSourceDir.string() + "/.cache/weights/" + real_weights_file(model));
  OnnxImportOptions options;
  const OnnxImport imported = import_onnx_graph(parse_onnx_graph(bytes, model), "", options);
  const Workload zoo = zoo_workload(model);
  ASSERT_EQ(imported.workload.layers.size(), zoo.layers.size());
  for (size_t i = 0; i < zoo.layers.size(); ++i) {
    const Layer &a = imported.workload.layers[i], &b = zoo.layers[i];
    EXPECT_EQ(a.name, b.name) << i;
    EXPECT_EQ(a.macs(), b.macs()) << b.name;
    EXPECT_EQ(a.weight_elements(), b.weight_elements()) << b.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Zoo, RealModelGraph, ::testing::Values("faceres", "resnet34_face"));

}  // namespace
}  // namespace strata::test
