// Round trip with the zoo: ResNet-18 and BERT-base (sequence 128) written as ONNX graphs, the way
// an exporter lays them out (BatchNormalization, Relu, MaxPool, residual Adds, pooling and a
// classifier; reshapes, transposes, softmax, biases and LayerNorms around the GEMMs), import to
// exactly the zoo's layers, and simulate to byte-identical layers.csv.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"
#include "unit/onnx_builder.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/zoo/zoo.h"

using strata::test::make_temp_dir;
using strata::test::OnnxBuilder;
using strata::test::read_file;
using strata::test::run_strata;

namespace {

// The external data every weight of these graphs points at: a sparse file of zeros (shapes are
// what the round trip compares).
void write_zeros_beside(const std::string& model, std::uintmax_t bytes) {
  const std::string file = model.substr(0, model.find_last_of('/')) + "/zeros.bin";
  std::ofstream(file, std::ios::binary).close();
  std::filesystem::resize_file(file, bytes);
}

// conv + BatchNormalization (+ Relu) named `name`; returns the output value.
std::string conv_bn(OnnxBuilder& b, const std::string& name, const std::string& x, int64_t in_c,
                    int64_t out_c, int64_t k, int64_t stride, int64_t pad, bool relu) {
  b.external(name + ".w", {out_c, in_c, k, k}, "zeros.bin");
  for (const char* p : {".s", ".b", ".m", ".v"}) b.weight(name + p, {out_c});
  auto& c = b.node("Conv", {x, name + ".w"}, {name + ".out"}, name);
  OnnxBuilder::attr(c, "strides", std::vector<int64_t>{stride, stride});
  OnnxBuilder::attr(c, "pads", std::vector<int64_t>{pad, pad, pad, pad});
  b.node("BatchNormalization", {name + ".out", name + ".s", name + ".b", name + ".m", name + ".v"},
         {name + ".bn"}, name + ".bn");
  if (!relu) return name + ".bn";
  b.node("Relu", {name + ".bn"}, {name + ".relu"}, name + ".relu");
  return name + ".relu";
}

std::string resnet18_onnx(const std::string& path) {
  OnnxBuilder b;
  b.input("image", {1, 3, 224, 224}).output("logits");
  std::string x = conv_bn(b, "conv1", "image", 3, 64, 7, 2, 3, true);
  auto& pool = b.node("MaxPool", {x}, {"pool"}, "maxpool");
  OnnxBuilder::attr(pool, "kernel_shape", std::vector<int64_t>{3, 3});
  OnnxBuilder::attr(pool, "strides", std::vector<int64_t>{2, 2});
  OnnxBuilder::attr(pool, "pads", std::vector<int64_t>{1, 1, 1, 1});
  x = "pool";
  int64_t channels = 64;
  for (int stage = 1; stage <= 4; ++stage) {
    const int64_t out_c = 64 << (stage - 1);
    for (int block = 0; block < 2; ++block) {
      const std::string p = "layer" + std::to_string(stage) + "." + std::to_string(block);
      const int64_t stride = stage > 1 && block == 0 ? 2 : 1;
      const std::string a = conv_bn(b, p + ".conv1", x, channels, out_c, 3, stride, 1, true);
      const std::string c = conv_bn(b, p + ".conv2", a, out_c, out_c, 3, 1, 1, false);
      std::string shortcut = x;
      if (stride != 1 || channels != out_c) {
        shortcut = conv_bn(b, p + ".downsample", x, channels, out_c, 1, stride, 0, false);
      }
      b.node("Add", {c, shortcut}, {p + ".sum"}, p + ".add");
      b.node("Relu", {p + ".sum"}, {p + ".out"}, p + ".relu");
      x = p + ".out";
      channels = out_c;
    }
  }
  b.node("GlobalAveragePool", {x}, {"gap"}, "avgpool");
  b.node("Flatten", {"gap"}, {"flat"}, "flatten");
  b.weight("fc.w", {1000, 512}).weight("fc.b", {1000});
  auto& fc = b.node("Gemm", {"flat", "fc.w", "fc.b"}, {"logits"}, "fc");
  OnnxBuilder::attr(fc, "transB", int64_t{1});
  write_zeros_beside(path, 512 * 512 * 9 * 4);
  return b.write(path);
}

std::string bert_onnx(const std::string& path, int64_t seq) {
  OnnxBuilder b(17);
  b.input("hidden", {seq, 768}).output("encoder11.out");
  b.ints("heads_shape", {seq, 12, 64}).ints("merge_shape", {seq, 768});
  b.values("sqrt2", {}, {1.41421356f}).values("one", {}, {1.0f}).values("half", {}, {0.5f});
  std::string x = "hidden";
  auto linear = [&](const std::string& name, const std::string& in, int64_t k, int64_t n) {
    b.external(name + ".w", {k, n}, "zeros.bin").weight(name + ".b", {n});
    b.node("MatMul", {in, name + ".w"}, {name + ".mm"}, name);
    b.node("Add", {name + ".mm", name + ".b"}, {name + ".y"}, name + ".bias");
    return name + ".y";
  };
  auto heads = [&](const std::string& name, const std::string& in, std::vector<int64_t> perm) {
    b.node("Reshape", {in, "heads_shape"}, {name + ".r"}, name + ".reshape");
    auto& t = b.node("Transpose", {name + ".r"}, {name + ".t"}, name + ".transpose");
    OnnxBuilder::attr(t, "perm", perm);
    return name + ".t";
  };
  auto layer_norm = [&](const std::string& name, const std::string& in) {
    b.weight(name + ".g", {768}).weight(name + ".b", {768});
    b.node("LayerNormalization", {in, name + ".g", name + ".b"}, {name + ".y"}, name);
    return name + ".y";
  };
  for (int l = 0; l < 12; ++l) {
    const std::string p = "encoder" + std::to_string(l);
    const std::string q = heads(p + ".q", linear(p + ".q_proj", x, 768, 768), {1, 0, 2});
    const std::string k = heads(p + ".k", linear(p + ".k_proj", x, 768, 768), {1, 2, 0});
    const std::string v = heads(p + ".v", linear(p + ".v_proj", x, 768, 768), {1, 0, 2});
    b.node("MatMul", {q, k}, {p + ".scores"}, p + ".qk_t");
    auto& sm = b.node("Softmax", {p + ".scores"}, {p + ".probs"}, p + ".softmax");
    OnnxBuilder::attr(sm, "axis", int64_t{-1});
    b.node("MatMul", {p + ".probs", v}, {p + ".ctx"}, p + ".p_v");
    auto& t = b.node("Transpose", {p + ".ctx"}, {p + ".ctx_t"}, p + ".ctx_transpose");
    OnnxBuilder::attr(t, "perm", std::vector<int64_t>{1, 0, 2});
    b.node("Reshape", {p + ".ctx_t", "merge_shape"}, {p + ".merged"}, p + ".merge");
    const std::string o = linear(p + ".o_proj", p + ".merged", 768, 768);
    b.node("Add", {o, x}, {p + ".res1"}, p + ".residual1");
    const std::string h = layer_norm(p + ".ln1", p + ".res1");
    const std::string f1 = linear(p + ".ffn1", h, 768, 3072);
    // GELU as exporters before opset 20 spell it: x * 0.5 * (1 + erf(x / sqrt(2))).
    b.node("Div", {f1, "sqrt2"}, {p + ".g1"}, p + ".gelu_div");
    b.node("Erf", {p + ".g1"}, {p + ".g2"}, p + ".gelu_erf");
    b.node("Add", {p + ".g2", "one"}, {p + ".g3"}, p + ".gelu_add");
    b.node("Mul", {f1, p + ".g3"}, {p + ".g4"}, p + ".gelu_mul");
    b.node("Mul", {p + ".g4", "half"}, {p + ".gelu"}, p + ".gelu");
    const std::string f2 = linear(p + ".ffn2", p + ".gelu", 3072, 768);
    b.node("Add", {f2, h}, {p + ".res2"}, p + ".residual2");
    x = layer_norm(p + ".ln2", p + ".res2");
    if (l == 11) b.node("Identity", {x}, {"encoder11.out"}, "output");
  }
  write_zeros_beside(path, 768 * 3072 * 4);
  return b.write(path);
}

void expect_same_layers(const strata::Workload& ours, const strata::Workload& zoo) {
  ASSERT_EQ(ours.layers.size(), zoo.layers.size());
  for (size_t i = 0; i < zoo.layers.size(); ++i) {
    const strata::Layer &a = ours.layers[i], &z = zoo.layers[i];
    EXPECT_EQ(a.name, z.name);
    EXPECT_EQ(a.type, z.type) << z.name;
    EXPECT_EQ(
        std::vector<int64_t>({a.batch, a.in_h, a.in_w, a.in_c, a.out_c, a.kernel_h, a.kernel_w,
                              a.stride_h, a.stride_w, a.pad_h, a.pad_w, a.groups, a.m, a.n, a.k}),
        std::vector<int64_t>({z.batch, z.in_h, z.in_w, z.in_c, z.out_c, z.kernel_h, z.kernel_w,
                              z.stride_h, z.stride_w, z.pad_h, z.pad_w, z.groups, z.m, z.n, z.k}))
        << z.name;
    EXPECT_EQ(a.macs(), z.macs()) << z.name;
  }
}

// Same layers.csv, and with `vector_too` the same vector_layers.csv but for the names the two
// spell differently; else the array alone (vector.enabled = false).
void expect_same_simulation(const std::string& onnx, const std::string& zoo, bool vector_too) {
  const std::string dir = make_temp_dir();
  std::vector<std::string> a_args = {"run", "--workload", onnx, "--out", dir + "/onnx", "-q"};
  std::vector<std::string> b_args = {"run", "--workload", zoo, "--out", dir + "/zoo", "-q"};
  if (!vector_too) {
    for (auto* args : {&a_args, &b_args}) {
      args->insert(args->end(), {"--set", "vector.enabled=false"});
    }
  }
  const auto a = run_strata(a_args);
  const auto b = run_strata(b_args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(read_file(dir + "/onnx/layers.csv"), read_file(dir + "/zoo/layers.csv"));
  if (!vector_too) return;
  // The vector work: same ops, sizes, times and energies, row by row (names aside).
  auto without_names = [](const std::string& csv) {
    std::istringstream in(csv);
    std::string out, line;
    while (std::getline(in, line)) out += line.substr(line.find(',')) + "\n";
    return out;
  };
  EXPECT_EQ(without_names(read_file(dir + "/onnx/vector_layers.csv")),
            without_names(read_file(dir + "/zoo/vector_layers.csv")));
}

TEST(OnnxRoundTrip, ResNet18ImportsAsTheZoosLayers) {
  const std::string path = resnet18_onnx(make_temp_dir() + "/resnet18.onnx");
  const strata::OnnxImport r = strata::import_onnx(path);
  expect_same_layers(r.workload, strata::zoo_workload("resnet18"));
  // 20 BatchNormalizations and the 17 Relus that follow a convolution directly fuse; the 8
  // Relus after the residual Adds, the Adds, the pools are vector work.
  EXPECT_EQ(r.count(strata::OnnxNodeRole::kFused), 20u + 9u);
  expect_same_simulation(path, "resnet18", true);
}

TEST(OnnxRoundTrip, BertBaseImportsAsTheZoosLayers) {
  const std::string path = bert_onnx(make_temp_dir() + "/bert.onnx", 128);
  const strata::OnnxImport r = strata::import_onnx(path);
  expect_same_layers(r.workload, strata::zoo_workload("bert_base:seq_len=128"));
  // The exported graph's vector work differs from the zoo's (GELU as five ops, the head
  // transposes as moves, no embeddings): the array layers are compared.
  expect_same_simulation(path, "bert_base:seq_len=128", false);
  // Its weights, external data beside the model, read as the front end would.
  strata::OnnxImportOptions o;
  o.read_weights = true;
  const strata::OnnxImport w = strata::import_onnx(path, o);
  EXPECT_EQ(w.weights.size(), 12u * 6u);  // the 6 projections per layer; qk_t and p_v have none
  EXPECT_EQ(w.weights.at("encoder3.ffn1").tensor.out_channels, 3072);
}

}  // namespace
