#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <vector>

#include "common/input_error.h"
#include "hw_models/vector/vector_mapping.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

double gmac(const std::string& spec) { return zoo_workload(spec).macs() / 1e9; }

// Published MAC counts at 224x224 (torchvision / model papers; BERT from docs/references.md §3).
TEST(Zoo, MacTotalsMatchPublishedFigures) {
  EXPECT_NEAR(gmac("resnet50"), 4.09, 0.02);  // ~4.1 GMAC (v1.5)
  EXPECT_NEAR(gmac("resnet18"), 1.814, 0.01);
  EXPECT_NEAR(gmac("vgg16"), 15.47, 0.05);
  EXPECT_NEAR(gmac("alexnet"), 0.714, 0.01);
  EXPECT_NEAR(gmac("mobilenet_v1"), 0.569, 0.005);
  EXPECT_NEAR(gmac("mobilenet_v2"), 0.300, 0.005);
}

// faceres is MobileNet-V1's backbone with the face heads: the classifier's 1024x1000 swapped for
// 1024x256 + 256x1 + 256x100, 30 layers; the heads read the same 256-d features.
TEST(Zoo, FaceresIsMobileNetV1WithTheFaceHeads) {
  const Workload f = zoo_workload("faceres"), m = zoo_workload("mobilenet_v1");
  ASSERT_EQ(f.layers.size(), 30u);
  for (size_t i = 0; i < 27; ++i) EXPECT_EQ(f.layers[i].macs(), m.layers[i].macs()) << i;
  EXPECT_EQ(f.macs() - m.macs(), 1024 * 256 + 256 * 1 + 256 * 100 - 1024 * 1000);
  EXPECT_EQ(f.layers[28].name, "gender_pred");
  EXPECT_EQ(f.layers[28].k, 256);
  EXPECT_EQ(f.layers[29].name, "age_pred");
  EXPECT_EQ(f.layers[29].k, 256);
  EXPECT_EQ(f.layers[29].n, 100);
}

TEST(Zoo, BertBaseLayerMatchesReferenceExactly) {
  const Workload w = zoo_workload("bert_base:seq_len=384");
  ASSERT_EQ(w.layers.size(), 12u * 8u);
  int64_t layer0 = 0;
  for (size_t i = 0; i < 8; ++i) layer0 += w.layers[i].macs();
  EXPECT_EQ(layer0, 2944401408);             // docs/references.md §3
  EXPECT_EQ(w.layers[0].macs(), 226492416);  // Q projection
  EXPECT_EQ(w.layers[3].macs(), 113246208);  // QK^T, 12 heads
  EXPECT_EQ(w.layers[4].macs(), 113246208);  // P*V
  EXPECT_EQ(w.layers[6].macs(), 905969664);  // FFN1
  EXPECT_NEAR(w.macs() / 1e9, 35.33, 0.01);
}

TEST(Zoo, OptionsScaleTheWorkload) {
  EXPECT_EQ(zoo_workload("resnet18:batch=4").macs(), 4 * zoo_workload("resnet18").macs());
  // Attention grows with the square of the sequence, projections linearly.
  const Workload a = zoo_workload("bert_base:seq_len=128");
  const Workload b = zoo_workload("bert_base:seq_len=256");
  EXPECT_EQ(b.layers[0].macs(), 2 * a.layers[0].macs());
  EXPECT_EQ(b.layers[3].macs(), 4 * a.layers[3].macs());
}

TEST(Zoo, BadSpecsAreInputErrors) {
  EXPECT_THROW(zoo_workload("resnet19"), InputError);
  EXPECT_THROW(zoo_workload("resnet18:seq_len=3"), InputError);
  EXPECT_THROW(zoo_workload("bert_base:seq_len=0"), InputError);
  EXPECT_THROW(zoo_workload("bert_base:seq_len=abc"), InputError);
  EXPECT_THROW(zoo_workload("resnet18:batch"), InputError);
}

TEST(Zoo, EveryModelIsListedAndBuilds) {
  for (const auto& m : zoo_models()) {
    const Workload w = zoo_workload(m.name);
    EXPECT_FALSE(w.layers.empty()) << m.name;
    EXPECT_GT(w.macs(), 0) << m.name;
  }
}

TEST(Zoo, DepthwiseLayersAreGrouped) {
  const Workload w = zoo_workload("mobilenet_v1");
  const Layer& dw = w.layers[1];
  EXPECT_EQ(dw.groups, 32);
  EXPECT_EQ(dw.macs(), 112 * 112 * 32 * 9);
  const GemmView v = gemm_view(dw);
  EXPECT_EQ(v.count, 32);
  EXPECT_EQ(v.depth, 9);
  EXPECT_EQ(v.cols, 1);
}

// Every zoo model lists its vector work in issue order, each op with a vector-unit cost.
TEST(ZooVector, EveryModelListsCostedVectorWorkInOrder) {
  for (const auto& m : zoo_models()) {
    const Workload w = zoo_workload(m.name);
    EXPECT_TRUE(w.names_vector_layers) << m.name;
    EXPECT_FALSE(w.vector_layers.empty()) << m.name;
    EXPECT_NO_THROW(check_vector_schedule(w, m.name));
    for (const auto& v : w.vector_layers) {
      EXPECT_NO_THROW(vector_work_of(v)) << m.name << ": " << v.name;
      EXPECT_GT(v.elements, 0) << v.name;
    }
  }
}

std::map<std::string, int> op_counts(const Workload& w) {
  std::map<std::string, int> n;
  for (const auto& v : w.vector_layers) ++n[v.op];
  return n;
}

TEST(ZooVector, ResNetsAddTheirShortcutsAndPool) {
  // ResNet-18: the stem max pool, 8 blocks of Add + Relu, the global pool.
  EXPECT_EQ(op_counts(zoo_workload("resnet18")),
            (std::map<std::string, int>{
                {"Add", 8}, {"GlobalAveragePool", 1}, {"MaxPool", 1}, {"Relu", 8}}));
  // The ReLU reads the sum, the global pool the last ReLU: chained, their inputs stay on chip.
  const Workload r18 = zoo_workload("resnet18");
  for (const auto& v : r18.vector_layers) {
    EXPECT_EQ(v.chained, v.op == "Relu" || v.op == "GlobalAveragePool") << v.name;
  }
  const Workload r50 = zoo_workload("resnet50");
  EXPECT_EQ(op_counts(r50)["Add"], 16);
  // The first block's Add follows its downsample convolution and feeds the next block.
  const auto& add = r50.vector_layers[1];
  EXPECT_EQ(add.name, "layer1.0.add");
  EXPECT_EQ(r50.layers[add.after_layer - 1].name, "layer1.0.downsample");
  EXPECT_EQ(r50.layers[add.blocks_layer].name, "layer1.1.conv1");
  EXPECT_EQ(add.elements, 56 * 56 * 256);
  // MobileNet-V2's inverted residuals add where the shape is kept (10 blocks), without a ReLU.
  EXPECT_EQ(op_counts(zoo_workload("mobilenet_v2")),
            (std::map<std::string, int>{{"Add", 10}, {"GlobalAveragePool", 1}}));
}

TEST(ZooVector, BertListsSoftmaxLayerNormGeluAndBlockSkim) {
  const Workload w = zoo_workload("bert_base:seq_len=128");
  // Embeddings (gather, sum, LayerNorm), then per layer: softmax, two Add + LayerNorm, GELU.
  EXPECT_EQ(op_counts(w), (std::map<std::string, int>{{"Add", 24},
                                                      {"Gather", 1},
                                                      {"Gelu", 12},
                                                      {"LayerNormalization", 25},
                                                      {"Softmax", 12},
                                                      {"Sum", 1}}));
  const VectorLayer& softmax = w.vector_layers[3];
  EXPECT_EQ(softmax.name, "encoder0.softmax");
  EXPECT_EQ(softmax.elements, 12 * 128 * 128);
  EXPECT_EQ(w.layers[softmax.after_layer - 1].name, "encoder0.qk_t");
  EXPECT_EQ(w.layers[softmax.blocks_layer].name, "encoder0.p_v");
  // Block-Skim: two pools, the keep/skip softmax and the token compaction per skimming layer; the
  // predictor's first convolution reads the attention, so the output LayerNorm overlaps it.
  const Workload skim = zoo_workload("bert_base:seq_len=128,skim=1/0.5");
  const auto counts = op_counts(skim);
  EXPECT_EQ(counts.at("MaxPool"), 22);
  EXPECT_EQ(counts.at("Softmax"), 12 + 11);
  EXPECT_EQ(counts.at("Gather"), 1 + 11);
  for (const auto& v : skim.vector_layers) {
    if (v.name == "encoder0.output.layer_norm") {
      EXPECT_EQ(skim.layers[v.after_layer - 1].name, "encoder0.ffn2");
      EXPECT_EQ(skim.layers[v.blocks_layer].name, "encoder1.q_proj");
    }
    if (v.name == "encoder0.skim.compact") {
      EXPECT_EQ(v.output_shape, (std::vector<int64_t>{64, 768}));  // half the blocks kept
    }
  }
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// PIN's MACs counted from its authors' layer definitions (pca_select_model.py, recon_fn.py),
// independently of the builder: conv = out_h x out_w x in x out x k^2; a transposed convolution
// = in_h x in_w x in x out x k^2 (its useful products); the eigenface products 12,544 x kept.
int64_t pin_macs_by_hand(int64_t kept) {
  auto conv = [](int64_t out_res, int64_t in, int64_t out, int64_t k) {
    return out_res * out_res * in * out * k * k;
  };
  int64_t dae = conv(112, 1, 64, 3) + conv(56, 64, 64, 3) + conv(56, 64, 128, 3) +
                conv(28, 128, 128, 3) + conv(28, 128, 256, 3) + conv(14, 256, 256, 3);
  dae += conv(14, 256, 256, 3) + conv(28, 256, 128, 3) + conv(28, 128, 128, 3) +
         conv(56, 128, 64, 3) + conv(56, 64, 64, 3) + conv(112, 64, 1, 3);
  int64_t encoder = conv(112, 1, 64, 3);
  const struct {
    int64_t in, out, stride, res;
  } blocks[] = {{64, 64, 2, 112},  {64, 64, 1, 56},   {64, 128, 2, 56},  {128, 128, 1, 28},
                {128, 256, 2, 28}, {256, 256, 1, 14}, {256, 512, 2, 14}, {512, 512, 1, 7}};
  for (const auto& b : blocks) {
    const int64_t out_res = b.res / b.stride;
    encoder += conv(out_res, b.in, b.out, 1) + conv(b.res, b.in, b.out, 3) +
               conv(out_res, b.out, b.out, 3);
  }
  const int64_t selection = 512 * 7 * 7 * 512 + 512 * 2500;
  return 2 * dae + encoder + selection + 2 * 12544 * kept;
}

TEST(ZooPin, MacsMatchTheAuthorsLayersCountedByHand) {
  for (int64_t kept : {1, 1250, 2500}) {
    const std::string spec = "pin_defense:kept=" + std::to_string(kept);
    EXPECT_EQ(zoo_workload(spec).macs(), pin_macs_by_hand(kept)) << spec;
  }
  // In front of the recognizer: the two add up.
  EXPECT_EQ(zoo_workload("pin_resnet34_face").macs(),
            pin_macs_by_hand(1250) + zoo_workload("resnet34_face").macs());
}

TEST(ZooPin, EveryFaceStreamsItsOwnKeptEigenfaces) {
  const Workload w = zoo_workload("pin_defense:batch=4,kept=1000");
  int found = 0;
  for (const auto& l : w.layers) {
    if (l.name != "recon.project" && l.name != "recon.reconstruct") continue;
    ++found;
    // Four faces, four masks: 4 x 12,544 x 1,000 weights, none shared.
    EXPECT_EQ(l.weight_elements(), 4 * 12544 * 1000) << l.name;
    EXPECT_EQ(l.macs(), 4 * 12544 * 1000) << l.name;
  }
  EXPECT_EQ(found, 2);
  EXPECT_THROW(zoo_workload("pin_defense:kept=2501"), InputError);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// StyleGAN2 config-f's MACs counted from the generator's definition (megafs.py's Generator, the
// rosinality port of config-f): at 4x4 one 3x3 convolution and a 1x1 ToRGB; at each resolution r
// from 8 an up-sampling 3x3 transposed convolution on the (r/2)^2 input, a 3x3 convolution and a
// ToRGB; every modulated layer's style an affine 512 -> C_in product.
int64_t stylegan2_macs_by_hand(int64_t size, bool mapping) {
  auto ch = [](int64_t r) -> int64_t {
    return r <= 64 ? 512 : r == 128 ? 256 : r == 256 ? 128 : r == 512 ? 64 : 32;
  };
  int64_t macs = 16 * 512 * 512 * 9 + 16 * 512 * 3 + 512 * 512 + 512 * 512;
  for (int64_t r = 8, in = 512; r <= size; in = ch(r), r *= 2) {
    const int64_t c = ch(r);
    macs += (r / 2) * (r / 2) * in * c * 9 + r * r * c * c * 9 + r * r * c * 3;
    macs += 512 * in + 512 * c + 512 * c;  // the three styles
  }
  return macs + (mapping ? 8 * 512 * 512 : 0);
}

TEST(ZooStyleGan, MacsMatchTheGeneratorCountedByHand) {
  for (int64_t size : {4, 64, 256, 1024}) {
    const std::string spec = "stylegan2:size=" + std::to_string(size);
    EXPECT_EQ(zoo_workload(spec).macs(), stylegan2_macs_by_hand(size, true)) << spec;
  }
  // 74.3 GMAC at 1024x1024.
  EXPECT_NEAR(zoo_workload("stylegan2").macs() / 1e9, 74.27, 0.01);
  EXPECT_THROW(zoo_workload("stylegan2:size=1000"), InputError);
}

TEST(ZooStyleGan, EveryModulatedConvolutionRewritesItsWeightsFirst) {
  const Workload w = zoo_workload("stylegan2:size=64");
  // Each modulated convolution: a modulate Mul over its whole weight tensor; with demodulation a
  // sum of squares per output channel and a second Mul; the convolution reads the result.
  int modulated = 0, demodulated = 0;
  for (const auto& v : w.vector_layers) {
    if (v.name.size() > 9 && v.name.substr(v.name.size() - 9) == ".modulate") {
      ++modulated;
      const auto& shape = v.output_shape;
      const Layer& reader = w.layers.at(static_cast<size_t>(v.blocks_layer));
      EXPECT_EQ(shape[0] * shape[1] * shape[2] * shape[3], reader.weight_elements()) << v.name;
    }
    if (v.name.size() > 11 && v.name.substr(v.name.size() - 11) == ".demodulate") ++demodulated;
  }
  // 4x4: conv + ToRGB; 8...64: 2 convs + ToRGB each.
  EXPECT_EQ(modulated, 2 + 3 * 4);
  EXPECT_EQ(demodulated, 1 + 2 * 4);
}

TEST(ZooStyleGan, MegaFsIsTheEncoderOnTwoFacesTheTransferModuleAndTheGenerator) {
  const Workload w = zoo_workload("megafs");
  int64_t encoder = 0, ftm = 0, generator = 0;
  for (const auto& l : w.layers) {
    if (l.name.rfind("encoder.", 0) == 0) encoder += l.macs();
    if (l.name.rfind("ftm.", 0) == 0) ftm += l.macs();
    if (l.name.rfind("generator.", 0) == 0) generator += l.macs();
  }
  EXPECT_EQ(encoder + ftm + generator, w.macs());
  EXPECT_EQ(generator, stylegan2_macs_by_hand(1024, false));
  // 14 cells x 3 blocks x 4 MLPs of 1024 x 256 + 256 x 512.
  EXPECT_EQ(ftm, 14 * 3 * 4 * (1024 * 256 + 256 * 512));
  // The style mappings alone, per face: 3x3/2 512 -> 512 convolutions to 1x1 from 8x8 (x4),
  // 16x16 (x6) and 32x32 (x8).
  int64_t mappings = 0;
  for (const auto& l : w.layers)
    if (l.name.find(".mapping") != std::string::npos) mappings += l.macs();
  const int64_t conv = 512 * 512 * 9;
  EXPECT_EQ(mappings,
            2 * conv * (4 * (16 + 4 + 1) + 6 * (64 + 16 + 4 + 1) + 8 * (256 + 64 + 16 + 4 + 1)));
  // The refine pass encodes and generates once more (one face).
  EXPECT_GT(zoo_workload("megafs:refine=1").macs(), w.macs() + generator);
}

}  // namespace
}  // namespace strata

#include "workloads/optics/optical_layer.h"

namespace strata {
namespace {

TEST(OpticalLayer, TheFirstConvolutionLeavesAndItsEpilogueMovesToTheVectorUnit) {
  Workload w = zoo_workload("resnet18");
  const size_t layers = w.layers.size(), vectors = w.vector_layers.size();
  const Layer conv1 = w.layers.front();
  const OpticalFirstLayer o = move_first_layer_to_optics(w, 7, true);
  EXPECT_EQ(o.layer.name, "conv1");
  // 64 channels at 112x112, each a positive and a negative channel.
  EXPECT_EQ(o.sensor_values, 2 * 64 * 112 * 112);
  ASSERT_EQ(w.layers.size(), layers - 1);
  EXPECT_EQ(w.layers.front().name, "layer1.0.conv1");
  ASSERT_EQ(w.vector_layers.size(), vectors + 2);
  EXPECT_EQ(w.vector_layers[0].name, "optics.subtract_pairs");
  EXPECT_EQ(w.vector_layers[1].name, "optics.bias_activation");
  EXPECT_TRUE(w.vector_layers[1].chained);
  // The max-pool that read conv1 reads the activation, chained, before the first array layer.
  EXPECT_EQ(w.vector_layers[2].name, "maxpool");
  EXPECT_TRUE(w.vector_layers[2].chained);
  EXPECT_EQ(w.vector_layers[2].after_layer, 0);
  EXPECT_EQ(w.vector_layers[2].blocks_layer, 0);
  EXPECT_EQ(w.macs() + conv1.macs(), zoo_workload("resnet18").macs());
  check_vector_schedule(w, "test");
  // Unsigned kernels: one sensor channel per output channel, no subtraction.
  Workload u = zoo_workload("mobilenet_v1");
  EXPECT_EQ(move_first_layer_to_optics(u, 7, false).sensor_values, 32 * 112 * 112);
  EXPECT_EQ(u.vector_layers.front().name, "optics.bias_activation");
}

TEST(OpticalLayer, OnlyAnRgbConvolutionWithinTheApertureMoves) {
  Workload alexnet = zoo_workload("alexnet");  // 11x11
  EXPECT_THROW(move_first_layer_to_optics(alexnet, 7, true), InputError);
  EXPECT_NO_THROW(move_first_layer_to_optics(alexnet, 11, true));
  Workload bert = zoo_workload("bert_base:seq_len=128");
  EXPECT_THROW(move_first_layer_to_optics(bert, 7, true), InputError);
  Workload pin = zoo_workload("pin_defense");  // 1-channel input
  EXPECT_THROW(move_first_layer_to_optics(pin, 7, true), InputError);
}

}  // namespace
}  // namespace strata

TEST(LayerIdentity, OnlyTheNameMayDifferForTwoLayersToTileAlike) {
  const strata::Layer a = strata::conv_layer("a", 1, 56, 64, 64, 3, 1, 1);
  strata::Layer b = a;
  b.name = "b";
  EXPECT_TRUE(strata::same_but_name(a, b));
  const std::vector<std::function<void(strata::Layer&)>> changes = {
      [](strata::Layer& l) { l.stride_w = 2; },
      [](strata::Layer& l) { l.dilation_h = 2; },
      [](strata::Layer& l) { l.groups = 2; },
      [](strata::Layer& l) { l.batch = 2; },
      [](strata::Layer& l) { l.weight_bits = 4; },
      [](strata::Layer& l) { l.input_type = "flint"; },
      [](strata::Layer& l) { l.input_density = 0.5; },
      [](strata::Layer& l) { l.weight_nnz = 4; },
      [](strata::Layer& l) { l.activation_nnz = 2; },
      [](strata::Layer& l) { l.product_density = 0.3; },
      [](strata::Layer& l) { l.type = strata::LayerType::kGemm; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    strata::Layer c = b;
    changes[i](c);
    EXPECT_FALSE(strata::same_but_name(a, c)) << "change " << i;
  }
}
