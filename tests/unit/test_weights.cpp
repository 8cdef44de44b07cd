#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "common/input_error.h"
#include "support/input_error_text.h"
#include "workloads/models/real_weights.h"
#include "workloads/weights/layout.h"
#include "workloads/weights/npy.h"
#include "workloads/weights/tfjs.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

using test::error_of;

std::string npy_bytes(const std::string& descr, const std::string& shape, const std::string& data,
                      int version = 1) {
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
  const size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string b = "\x93NUMPY";
  b += static_cast<char>(version);
  b += '\0';
  const uint32_t len = static_cast<uint32_t>(header.size());
  b += static_cast<char>(len & 0xFF);
  b += static_cast<char>((len >> 8) & 0xFF);
  if (version > 1) {
    b += static_cast<char>((len >> 16) & 0xFF);
    b += static_cast<char>((len >> 24) & 0xFF);
  }
  return b + header + data;
}

template <typename T>
std::string raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

TEST(Npy, ReadsFloat16_32_64AndVersions) {
  const NamedTensor a =
      parse_npy(npy_bytes("<f4", "2, 3", raw<float>({1, 2, 3, 4, 5, 6})), "a.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(parse_npy(npy_bytes("<f8", "2,", raw<double>({0.5, -2})), "b.npy").data,
            (std::vector<float>{0.5f, -2}));
  EXPECT_EQ(
      parse_npy(npy_bytes("<f2", "3,", raw<uint16_t>({0x3C00, 0xC000, 0x0001})), "c.npy").data,
      (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
  EXPECT_EQ(parse_npy(npy_bytes("<f4", "1,", raw<float>({7}), 2), "d.npy").data,
            (std::vector<float>{7}));
}

TEST(Npy, CorruptAndTruncatedFilesNameTheByte) {
  const std::string good = npy_bytes("<f4", "2, 3", raw<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(error_of([&] { parse_npy("hello", "x.npy"); }),
            "x.npy: byte 0: not a .npy file (magic \\x93NUMPY missing)");
  EXPECT_EQ(error_of([&] { parse_npy(good.substr(0, good.size() - 4), "x.npy"); }),
            "x.npy: byte 128: shape [2, 3] of <f4 needs 24 data bytes, the file has 20");
  EXPECT_NE(error_of([&] { parse_npy(good.substr(0, 30), "x.npy"); }).find("runs past the end"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              parse_npy(npy_bytes("<i4", "1,", raw<int32_t>({1})), "x.npy");
            }).find("dtype '<i4'"),
            std::string::npos);
  std::string v9 = good;
  v9[6] = 9;
  EXPECT_EQ(error_of([&] { parse_npy(v9, "x.npy"); }),
            "x.npy: byte 6: unsupported .npy version 9 (expected 1-3)");
}

TEST(Tfjs, ReadsFloat32Uint8AffineAndFloat16) {
  const nlohmann::json manifest =
      nlohmann::json::parse(R"({"weightsManifest": [{"paths": ["s1.bin", "s2.bin"],
    "weights": [
      {"name": "a", "shape": [2, 2], "dtype": "float32"},
      {"name": "b", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}},
      {"name": "c", "shape": [1], "dtype": "float32", "quantization": {"dtype": "float16"}}]}]})");
  const std::string bytes =
      raw<float>({1, 2, 3, 4}) + std::string("\x00\x02\x04", 3) + raw<uint16_t>({0x3800});
  const std::string s1 = bytes.substr(0, 16), s2 = bytes.substr(16);
  const TensorMap m =
      parse_tfjs(manifest, "m.json", [&](const std::string& p) { return p == "s1.bin" ? s1 : s2; });
  EXPECT_EQ(m.at("a").data, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(m.at("b").data, (std::vector<float>{-1, 0, 1}));
  EXPECT_EQ(m.at("c").data, (std::vector<float>{0.5f}));
  // Truncated shard: the error names the tensor and the bytes it needs.
  EXPECT_EQ(error_of([&] {
              parse_tfjs(manifest, "m.json", [&](const std::string& p) {
                return p == "s1.bin" ? s1 : s2.substr(0, 2);
              });
            }),
            "m.json: weightsManifest[0].weights[1] (b): needs bytes 16..19 but the shards hold 18 "
            "bytes (truncated shard?)");
  // Shards longer than the manifest describes.
  EXPECT_NE(error_of([&] {
              parse_tfjs(manifest, "m.json",
                         [&](const std::string& p) { return p == "s1.bin" ? s1 : s2 + "xx"; });
            }).find("the weights use 21 bytes but the shards hold 23"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              parse_tfjs(nlohmann::json::object(), "m.json", nullptr);
            }).find("not a TF.js model"),
            std::string::npos);
}

TEST(Layout, HwioDepthwiseAndDenseBecomeOutputMajor) {
  NamedTensor hwio{{1, 2, 2, 3}, {}};  // kh=1, kw=2, cin=2, cout=3: value = 100*x + 10*c + o
  for (int x = 0; x < 2; ++x)
    for (int c = 0; c < 2; ++c)
      for (int o = 0; o < 3; ++o) hwio.data.push_back(100 * x + 10 * c + o);
  const WeightTensor w = from_hwio(hwio, "t");
  EXPECT_EQ(w.out_channels, 3);
  EXPECT_EQ(w.in_channels, 2);
  EXPECT_EQ(w.channel(2)[1 * 2 + 1], 100 * 1 + 10 * 1 + 2);  // o=2, c=1, x=1
  const WeightTensor d = from_dense_io(NamedTensor{{2, 3}, {0, 1, 2, 10, 11, 12}}, "t");
  EXPECT_EQ(d.channel(1)[1], 11);
  const WeightTensor dw = from_depthwise_hwcm(NamedTensor{{1, 1, 2, 1}, {5, 6}}, "t");
  EXPECT_EQ(dw.out_channels, 2);
  EXPECT_EQ(dw.in_channels, 1);
  EXPECT_EQ(dw.channel(1)[0], 6);
  EXPECT_THROW(from_hwio(NamedTensor{{2, 3}, {}}, "t"), InputError);
}

TEST(Zoo, ResNet34FaceAndBlockSkim) {
  const Workload r = zoo_workload("resnet34_face");
  EXPECT_EQ(r.layers.size(), 30u);
  EXPECT_EQ(r.layers[0].out_h(), 72);  // 150, 7x7 stride 2 valid
  EXPECT_EQ(r.layers[1].in_h, 35);     // after the 3x3/2 max pool
  // Block-Skim: kept blocks are cumulative; attention scales with L'^2.
  EXPECT_EQ(kept_tokens(384, {1, 0.5, 0.75, 0.25}, 5),
            (std::vector<int64_t>{384, 192, 192, 96, 96}));
  const Workload full = build_bert_base(1, 384), skim = build_bert_base(1, 384, {1, 0.5});
  EXPECT_EQ(skim.layers[11 + 3].macs(), full.layers[8 + 3].macs() / 4);  // layer 1 QK^T
  EXPECT_EQ(skim.layers[8].name, "encoder0.skim.conv1");
  int64_t predictor = 0;
  for (int i = 8; i < 11; ++i) predictor += skim.layers[i].macs();
  EXPECT_EQ(predictor, 12 * 1660416);  // 12 blocks of 32 tokens at 1.66 M MACs each
  EXPECT_THROW(parse_keep_schedule("1,0"), std::invalid_argument);
  EXPECT_THROW(zoo_workload("bert_base:skim=1/x"), InputError);
}

// The real weights (scripts/fetch_weights.sh). They must be present: a missing file fails.
std::string weights_dir() { return std::string(STRATA_SOURCE_DIR) + "/.cache/weights"; }

TEST(RealWeights, FaceresDeepGivesEveryFaceresLayerItsWeights) {
  const Workload w = zoo_workload("faceres");
  const auto m = load_real_weights("faceres", weights_dir() + "/faceres-deep.json", w);
  EXPECT_EQ(m.size(), 30u);  // conv0, 13 depthwise + 13 pointwise, feats, gender_pred, age_pred
  int64_t params = 0;
  for (const auto& [name, lw] : m) params += lw.tensor.size();
  EXPECT_EQ(params, 864 + 3 * 3 * (32 + 64 + 128 * 2 + 256 * 2 + 512 * 6 + 1024) +
                        (32 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 256 * 256 + 256 * 512 +
                         5 * 512 * 512 + 512 * 1024 + 1024 * 1024) +
                        1024 * 256 + 256 * 1 + 256 * 100);
  EXPECT_EQ(m.at("conv13_pw").tensor.out_channels, 1024);
  EXPECT_EQ(m.at("age_pred").tensor.out_channels, 100);
  EXPECT_EQ(m.at("age_pred").tensor.in_channels, 256);
  EXPECT_NE(m.at("conv5_dw").source.find("conv_dw_5/depthwise_kernel"), std::string::npos);
  // The ImageNet MobileNet-V1 of the zoo is another network: it has no real weights.
  EXPECT_FALSE(has_real_weights("mobilenet_v1"));
}

TEST(RealWeights, FaceRecognitionMapsOntoResNet34Face) {
  const Workload w = zoo_workload("resnet34_face");
  const auto m = load_real_weights(
      "resnet34_face", weights_dir() + "/face_recognition_model-weights_manifest.json", w);
  EXPECT_EQ(m.size(), 30u);
  int64_t params = 0;
  for (const auto& [name, lw] : m) params += lw.tensor.size();
  EXPECT_GT(params, 5'500'000);  // 5.61 M with biases and scales; the kernels alone
  EXPECT_LT(params, 5'614'592);
}

TEST(RealWeights, ShapeMismatchAndMissingTensorsAreErrors) {
  Workload w = zoo_workload("faceres");
  w.layers[1].in_c = w.layers[1].out_c = w.layers[1].groups = 48;  // conv1_dw expects 32 channels
  EXPECT_NE(error_of([&] {
              load_real_weights("faceres", weights_dir() + "/faceres-deep.json", w);
            }).find("expects 48x1x3x3"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              load_real_weights("faceres", weights_dir() + "/nothing.json", w);
            }).find("cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace strata
