// ONNX import: shapes, layer mapping and MACs of small models built in the test, against closed
// forms; constant shape sub-graphs folded; every kind of bad model a one-line InputError.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "common/input_error.h"
#include "common/sha256.h"
#include "support/scratch_dir.h"
#include "unit/onnx_builder.h"
#include "workloads/front_end/workload_loader.h"
#include "workloads/onnx/onnx_import.h"

namespace strata {
namespace {

using test::OnnxBuilder;

std::string scratch() {
  static const std::string dir = test::make_scratch_dir("strata_onnx_test_");
  return dir;
}

std::string error_of(const std::string& path, const OnnxImportOptions& o = {}) {
  try {
    import_onnx(path, o);
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    return m;
  }
  return "no error";
}

const OnnxNodeImport& node(const OnnxImport& r, const std::string& name) {
  for (const auto& n : r.nodes) {
    if (n.name == name) return n;
  }
  throw std::runtime_error("no node " + name);
}

// conv(3->8, 3x3/2, pad 1) + BN + Relu, depthwise 3x3, pointwise 1x1 8->16, global pool,
// flatten, Gemm 16->10, Softmax.
std::string small_cnn(const std::string& path) {
  OnnxBuilder b;
  b.input("x", {1, 3, 32, 32}).output("prob");
  b.weight("w1", {8, 3, 3, 3}).weight("b1", {8});
  b.weight("bn_s", {8}).weight("bn_b", {8}).weight("bn_m", {8}).weight("bn_v", {8});
  b.weight("w2", {8, 1, 3, 3})
      .weight("w3", {16, 8, 1, 1})
      .weight("fc", {10, 16})
      .weight("fcb", {10});
  auto& c1 = b.node("Conv", {"x", "w1", "b1"}, {"c1"});
  OnnxBuilder::attr(c1, "strides", std::vector<int64_t>{2, 2});
  OnnxBuilder::attr(c1, "pads", std::vector<int64_t>{1, 1, 1, 1});
  b.node("BatchNormalization", {"c1", "bn_s", "bn_b", "bn_m", "bn_v"}, {"bn1"});
  b.node("Relu", {"bn1"}, {"r1"});
  auto& c2 = b.node("Conv", {"r1", "w2"}, {"c2"});
  OnnxBuilder::attr(c2, "group", int64_t{8});
  OnnxBuilder::attr(c2, "pads", std::vector<int64_t>{1, 1, 1, 1});
  b.node("Conv", {"c2", "w3"}, {"c3"});
  b.node("GlobalAveragePool", {"c3"}, {"gap"});
  b.node("Flatten", {"gap"}, {"flat"});
  auto& g = b.node("Gemm", {"flat", "fc", "fcb"}, {"logits"});
  OnnxBuilder::attr(g, "transB", int64_t{1});
  b.node("Softmax", {"logits"}, {"prob"});
  return b.write(path);
}

TEST(OnnxImport, SmallCnnMapsToLayersWithClosedFormMacs) {
  const OnnxImport r = import_onnx(small_cnn(scratch() + "/cnn.onnx"));
  ASSERT_EQ(r.workload.layers.size(), 4u);
  const Layer& c1 = r.workload.layers[0];
  EXPECT_EQ(c1.name, "c1");
  EXPECT_EQ(c1.out_h(), 16);
  EXPECT_EQ(c1.macs(), 16 * 16 * 8 * 3 * 3 * 3);
  const Layer& c2 = r.workload.layers[1];
  EXPECT_EQ(c2.groups, 8);
  EXPECT_EQ(c2.macs(), 16 * 16 * 8 * 3 * 3);
  EXPECT_EQ(r.workload.layers[2].macs(), 16 * 16 * 16 * 8);
  const Layer& fc = r.workload.layers[3];
  EXPECT_EQ(fc.type, LayerType::kGemm);
  EXPECT_EQ(fc.m * fc.k * fc.n, 16 * 10);
  EXPECT_EQ(r.workload.macs(), 55296 + 18432 + 32768 + 160);
  EXPECT_EQ(node(r, "bn1").role, OnnxNodeRole::kFused);
  EXPECT_EQ(node(r, "bn1").fused_into, "c1");
  EXPECT_EQ(node(r, "r1").role, OnnxNodeRole::kFused);
  EXPECT_EQ(node(r, "flat").role, OnnxNodeRole::kView);
  EXPECT_EQ(node(r, "gap").role, OnnxNodeRole::kVector);
  EXPECT_EQ(node(r, "gap").elements, 16);
  EXPECT_EQ(node(r, "prob").role, OnnxNodeRole::kVector);
  EXPECT_EQ(node(r, "c1").weight, "w1");
  EXPECT_EQ(r.count(OnnxNodeRole::kVector), 2u);
  // The loader takes the same file as a workload.
  EXPECT_EQ(load_workload(scratch() + "/cnn.onnx").macs(), r.workload.macs());
}

TEST(OnnxImport, ConstantShapeSubgraphsFoldIntoTheReshape) {
  // x [2, 4, 6] -> Reshape to [Shape(x)[0] * Shape(x)[1], 6] -> MatMul W [6, 5].
  OnnxBuilder b;
  b.input("x", {2, 4, 6}).output("y").weight("w", {6, 5});
  b.ints("i0", {0}).ints("i1", {1}).ints("last", {6});
  b.node("Shape", {"x"}, {"s"});
  b.node("Gather", {"s", "i0"}, {"d0"});
  b.node("Gather", {"s", "i1"}, {"d1"});
  b.node("Mul", {"d0", "d1"}, {"rows"});
  auto& cat = b.node("Concat", {"rows", "last"}, {"target"});
  OnnxBuilder::attr(cat, "axis", int64_t{0});
  b.node("Reshape", {"x", "target"}, {"x2"});
  b.node("MatMul", {"x2", "w"}, {"y"});
  const OnnxImport r = import_onnx(b.write(scratch() + "/fold.onnx"));
  ASSERT_EQ(r.workload.layers.size(), 1u);
  const Layer& l = r.workload.layers[0];
  EXPECT_EQ(l.m, 8);
  EXPECT_EQ(l.k, 6);
  EXPECT_EQ(l.n, 5);
  EXPECT_EQ(l.batch, 1);
  for (const char* folded : {"s", "d0", "d1", "rows", "target"}) {
    EXPECT_EQ(node(r, folded).role, OnnxNodeRole::kFolded) << folded;
  }
  EXPECT_EQ(node(r, "x2").role, OnnxNodeRole::kView);
}

TEST(OnnxImport, BatchedMatMulPaddingRulesAndConvTranspose) {
  OnnxBuilder b;
  b.input("q", {2, 12, 128, 64}).input("k", {2, 12, 64, 128}).input("img", {1, 4, 15, 15});
  b.output("s").output("same").output("up");
  b.weight("w", {6, 4, 3, 3}).weight("wt", {6, 2, 4, 4});
  b.node("MatMul", {"q", "k"}, {"s"});
  auto& same = b.node("Conv", {"img", "w"}, {"same"});
  OnnxBuilder::attr(same, "auto_pad", std::string("SAME_UPPER"));
  OnnxBuilder::attr(same, "strides", std::vector<int64_t>{2, 2});
  auto& asym = b.node("Conv", {"img", "w"}, {"asym"});
  OnnxBuilder::attr(asym, "pads", std::vector<int64_t>{0, 0, 1, 1});
  b.node("Relu", {"asym"}, {"asym_r"});
  b.node("ConvTranspose", {"asym_r", "wt"}, {"up"});
  const OnnxImport r = import_onnx(b.write(scratch() + "/mix.onnx"));
  ASSERT_EQ(r.workload.layers.size(), 4u);
  const Layer& s = r.workload.layers[0];
  EXPECT_EQ(s.batch, 24);
  EXPECT_EQ(s.macs(), int64_t{24} * 128 * 64 * 128);
  const Layer& sm = r.workload.layers[1];  // SAME_UPPER, stride 2: ceil(15/2) = 8
  EXPECT_EQ(sm.out_h(), 8);
  EXPECT_EQ(sm.out_w(), 8);
  const Layer& as = r.workload.layers[2];  // pads end-only: (15 + 1 - 3) + 1 = 14
  EXPECT_EQ(as.out_h(), 14);
  EXPECT_FALSE(node(r, "asym").note.empty());
  // ConvTranspose: useful products = input elements x (C_out/g) x kh x kw.
  EXPECT_EQ(r.workload.layers[3].macs(), int64_t{6} * 14 * 14 * 2 * 4 * 4);
  EXPECT_EQ(node(r, "up").output_shape, (std::vector<int64_t>{1, 2, 17, 17}));
}

TEST(OnnxImport, WeightsInStrataLayoutWithBatchNormFolded) {
  OnnxBuilder b;
  b.input("x", {1, 2}).input("img", {1, 1, 4, 4}).output("y").output("r");
  b.values("B", {2, 3}, {1, 2, 3, 4, 5, 6});  // Gemm B as [K, N]
  b.values("w", {2, 1, 1, 1}, {1, 1});
  b.values("s", {2}, {2, 3}).values("bias", {2}, {0, 0}).values("m", {2}, {0, 0});
  b.values("v", {2}, {0, 8});
  b.node("Gemm", {"x", "B"}, {"y"});
  b.node("Conv", {"img", "w"}, {"c"});
  auto& bn = b.node("BatchNormalization", {"c", "s", "bias", "m", "v"}, {"r"});
  OnnxBuilder::attr(bn, "epsilon", 1.0f);
  OnnxImportOptions o;
  o.read_weights = true;
  const std::string path = b.write(scratch() + "/weights.onnx");
  const OnnxImport r = import_onnx(path, o);
  ASSERT_EQ(r.weights.size(), 2u);
  const WeightTensor& g = r.weights.at("y").tensor;  // [out = N, in = K]
  EXPECT_EQ(g.out_channels, 3);
  EXPECT_EQ(g.in_channels, 2);
  EXPECT_EQ(g.data, (std::vector<float>{1, 4, 2, 5, 3, 6}));
  // scale / sqrt(var + eps): 2 / 1 and 3 / 3.
  EXPECT_EQ(r.weights.at("c").tensor.data, (std::vector<float>{2, 1}));
  EXPECT_NE(r.weights.at("c").source.find("BatchNormalization r folded"), std::string::npos);
  EXPECT_EQ(r.sha256.size(), 64u);
  EXPECT_NE(r.weights.at("y").source.find("weights.onnx (sha256 " + r.sha256 + ") B"),
            std::string::npos)
      << r.weights.at("y").source;
}

TEST(OnnxImport, Int8QdqWeightsAreDequantizedPerChannel) {
  // W = (q - zero_point) x scale per output channel: channel 0 (-4 - 0) x 0.5, (6 - 0) x 0.5;
  // channel 1 (8 - 4) x 0.25, (0 - 4) x 0.25.
  OnnxBuilder b;
  b.input("x", {1, 2, 3, 3}).output("y");
  b.raw("wq", onnx::TensorProto::INT8, {2, 2, 1, 1}, std::string("\xfc\x06\x08\x00", 4));
  b.values("ws", {2}, {0.5f, 0.25f});
  b.raw("wz", onnx::TensorProto::INT8, {2}, std::string("\x00\x04", 2));
  auto& dq = b.node("DequantizeLinear", {"wq", "ws", "wz"}, {"w"}, "dq");
  OnnxBuilder::attr(dq, "axis", int64_t{0});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  OnnxImportOptions o;
  o.read_weights = true;
  const OnnxImport r = import_onnx(b.write(scratch() + "/qdq.onnx"), o);
  EXPECT_EQ(node(r, "dq").role, OnnxNodeRole::kFolded);
  ASSERT_EQ(r.weights.count("conv"), 1u);
  EXPECT_EQ(r.weights.at("conv").tensor.data, (std::vector<float>{-2, 3, 1, -1}));
  EXPECT_NE(r.weights.at("conv").source.find("wq (int8, dequantized by dq)"), std::string::npos);
}

TEST(OnnxImport, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')).substr(0, 16), "41edece42d63e8d9");
  // Lengths around the block and padding boundaries (the tail takes one block or two), bytes
  // (7 i + 3) mod 256; digests from Python's hashlib.
  const std::vector<std::pair<size_t, std::string>> vectors = {
      {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
      {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
      {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
      {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
      {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
      {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
      {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
      {128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"}};
  for (const auto& [length, digest] : vectors) {
    std::string bytes(length, '\0');
    for (size_t i = 0; i < length; ++i) bytes[i] = static_cast<char>((7 * i + 3) % 256);
    EXPECT_EQ(sha256_hex(bytes), digest) << length << " bytes";
  }
}

TEST(OnnxImport, DilatedConvolutionsKeepTheirTapsAndWindow) {
  OnnxBuilder b;
  b.input("x", {1, 8, 20, 20}).output("y").weight("w", {8, 8, 3, 3});
  auto& c = b.node("Conv", {"x", "w"}, {"y"}, "atrous");
  OnnxBuilder::attr(c, "dilations", std::vector<int64_t>{3, 3});
  OnnxBuilder::attr(c, "auto_pad", std::string("SAME_UPPER"));
  const OnnxImport r = import_onnx(b.write(scratch() + "/dilated.onnx"));
  const Layer& l = r.workload.layers.at(0);
  EXPECT_EQ(l.dilation_h, 3);
  EXPECT_EQ(l.pad_h, 3);  // SAME with a 7-wide window
  EXPECT_EQ(l.out_h(), 20);
  EXPECT_EQ(l.macs(), 20 * 20 * 8 * 8 * 9);
}

TEST(OnnxImport, DynamicInputsNeedAnInputShape) {
  OnnxBuilder b;
  b.input("image", {-1, 3, 8, 8}).output("y").weight("w", {4, 3, 1, 1});
  b.node("Conv", {"image", "w"}, {"y"});
  const std::string path = b.write(scratch() + "/dyn.onnx");
  EXPECT_EQ(error_of(path), path +
                                ": input 'image' has dynamic dims [N, 3, 8, 8]; fix them with "
                                "--input-shape image=Nx3x8x8");
  OnnxImportOptions o;
  o.input_shapes["image"] = {2, 3, 8, 8};
  EXPECT_EQ(import_onnx(path, o).workload.macs(), 2 * 8 * 8 * 4 * 3);
  EXPECT_EQ(load_workload(path + ":image=2x3x8x8").macs(), 2 * 8 * 8 * 4 * 3);
  OnnxImportOptions typo;
  typo.input_shapes["imag"] = {2, 3, 8, 8};
  EXPECT_NE(error_of(path, typo).find("has no input 'imag'; did you mean 'image'?"),
            std::string::npos);
}

TEST(OnnxImport, BadModelsAreOneLineErrors) {
  const std::string cnn = small_cnn(scratch() + "/cnn2.onnx");
  {
    std::ifstream in(cnn, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string path = scratch() + "/truncated.onnx";
    std::ofstream(path, std::ios::binary) << all.substr(0, all.size() / 2);
    EXPECT_NE(error_of(path).find("not a valid ONNX model"), std::string::npos) << error_of(path);
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("FrobnicateOp", {"x"}, {"y"}, "strange");
    const std::string path = b.write(scratch() + "/unknown.onnx");
    EXPECT_EQ(error_of(path), path +
                                  ": node 'strange' (FrobnicateOp): operator 'FrobnicateOp' "
                                  "(opset 13) is not supported by strata's ONNX importer "
                                  "(docs/workloads.md lists the supported ones)");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("z");
    b.node("Add", {"x", "z"}, {"y"}, "a");
    b.node("Relu", {"y"}, {"z"}, "b");
    const std::string path = b.write(scratch() + "/cycle.onnx");
    EXPECT_NE(error_of(path).find("the graph has a cycle through node 'a' (Add)"),
              std::string::npos);
  }
  {
    // A graph input's dims are bounded like an initializer's (the fuzzer found Conv's channel
    // check multiplying a 2^40 dim by a 2^31 group).
    OnnxBuilder b;
    b.input("x", {1, int64_t{1} << 40, 1, 1}).output("y").weight("w", {4, 1, 1, 1});
    auto& c = b.node("Conv", {"x", "w"}, {"y"}, "conv");
    OnnxBuilder::attr(c, "group", int64_t{1} << 31);
    const std::string path = b.write(scratch() + "/huge_input.onnx");
    EXPECT_EQ(error_of(path), path +
                                  ": input 'x' has dim 1099511627776 (each dim must be at most "
                                  "2^31)");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y");
    b.node("Conv", {"x", "missing_w"}, {"y"}, "conv");
    const std::string path = b.write(scratch() + "/missing.onnx");
    EXPECT_EQ(error_of(path), path +
                                  ": node 'conv' (Conv) reads 'missing_w', which no node, "
                                  "initializer or graph input provides");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y").weight("w", {4, 5, 3, 3});
    b.node("Conv", {"x", "w"}, {"y"}, "conv");
    const std::string path = b.write(scratch() + "/mismatch.onnx");
    EXPECT_NE(error_of(path).find("node 'conv' (Conv): input [1, 3, 8, 8], weights [4, 5, 3, 3]"),
              std::string::npos);
  }
  {
    // An output the op does not have (Relu has one) read by the next node.
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("Relu", {"x"}, {"r", "extra"}, "relu");
    b.node("Add", {"r", "extra"}, {"y"}, "add");
    const std::string path = b.write(scratch() + "/extra_output.onnx");
    EXPECT_EQ(error_of(path), path +
                                  ": node 'add' (Add): input 'extra' is an output strata's "
                                  "shape inference does not produce");
  }
  {
    // A reshape target whose dims multiply past int64 (a fuzz finding): an error, not overflow.
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y").ints("target", {int64_t{1} << 31, int64_t{1} << 31, 255});
    b.node("Reshape", {"x", "target"}, {"y"}, "reshape");
    const std::string path = b.write(scratch() + "/overflow.onnx");
    EXPECT_NE(error_of(path).find("node 'reshape' (Reshape): cannot reshape [1, 4]"),
              std::string::npos)
        << error_of(path);
  }
  {
    OnnxBuilder b(21);
    b.input("x", {1, 4}).output("y");
    b.node("Relu", {"x"}, {"y"});
    const std::string path = b.write(scratch() + "/opset.onnx");
    EXPECT_EQ(error_of(path), path + ": opset 21 is not supported (opsets 7 to 18)");
  }
}

}  // namespace
}  // namespace strata
