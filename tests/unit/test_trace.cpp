#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/input_error.h"
#include "common/sha256.h"
#include "support/input_error_text.h"
#include "workloads/front_end/model_quantizer.h"
#include "workloads/quant/numeric_type.h"
#include "workloads/text_file.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

using test::error_of;

ModelQuantRequest request(const std::string& model, const std::string& scheme, int bits = 4) {
  ModelQuantRequest r;
  r.model = model;
  r.scheme = scheme;
  r.bits = bits;
  r.weights_dir = std::string(STRATA_SOURCE_DIR) + "/.cache/weights";
  return r;
}

TEST(ModelQuantizer, RealFaceresWithAnt) {
  const ModelQuantResult r = quantize_model(request("faceres", "ant"));
  ASSERT_EQ(r.trace.layers.size(), 30u);
  int real = 0;
  for (const auto& tl : r.trace.layers) {
    ASSERT_TRUE(tl.weight.present) << tl.layer.name;
    real += !tl.weight.synthetic;
    EXPECT_EQ(tl.weight.bits, 4);
    EXPECT_TRUE(tl.weight.type == "int" || tl.weight.type == "flint" || tl.weight.type == "pot")
        << tl.weight.type;
    EXPECT_GT(tl.weight.sqnr_db, 10.0) << tl.layer.name;
  }
  EXPECT_EQ(real, 30);  // every layer, the heads too
  EXPECT_EQ(r.summary.real_params, r.summary.weight_params);
  EXPECT_EQ(r.trace.layers.front().activation.bits, 8);  // the image input stays 8-bit
  EXPECT_GT(r.summary.weight_sqnr_db, 15.0);
  EXPECT_DOUBLE_EQ(r.summary.low_bit_mac_share, 1.0);
}

TEST(ModelQuantizer, Ant48KeepsFirstAndLastAtEightBitInt) {
  const ModelQuantResult r = quantize_model(request("resnet34_face", "ant4-8"));
  EXPECT_EQ(r.trace.layers.front().weight.bits, 8);
  EXPECT_EQ(r.trace.layers.front().weight.type, "int");
  EXPECT_EQ(r.trace.layers.back().weight.bits, 8);
  EXPECT_EQ(r.trace.layers[5].weight.bits, 4);
  EXPECT_LT(r.summary.low_bit_mac_share, 1.0);
  EXPECT_GT(r.summary.low_bit_mac_share, 0.8);
  EXPECT_EQ(r.summary.real_params, r.summary.weight_params);  // every resnet34_face weight is real
}

TEST(ModelQuantizer, DbbBoundsTheDensityAndSquantKeepsTheZeros) {
  ModelQuantRequest q = request("resnet34_face", "squant");
  q.dbb = parse_dbb("4/8");
  q.activation_dbb = parse_dbb("2/8");
  const ModelQuantResult r = quantize_model(q);
  for (const auto& tl : r.trace.layers) {
    // Layers with whole blocks of 8 input channels keep at most half; the first layer has 3
    // input channels, one partial block, which keeps them all.
    const int64_t in =
        tl.layer.type == LayerType::kGemm ? tl.layer.k : tl.layer.in_c / tl.layer.groups;
    if (in % 8 == 0) {
      EXPECT_LE(tl.weight.density, 0.5 + 1e-12) << tl.layer.name;
    }
    EXPECT_EQ(tl.dbb.nnz, 4);
    EXPECT_EQ(tl.dbb.bz, 8);
  }
  EXPECT_EQ(r.trace.layers[0].dbb.activation_nnz, 8);  // the image is not pruned
  EXPECT_EQ(r.trace.layers[1].dbb.activation_nnz, 2);
  EXPECT_LT(r.trace.layers[1].dbb.activation_density, 0.25 + 1e-12);
}

TEST(ModelQuantizer, BertWithBlockSkim) {
  ModelQuantRequest q = request("bert_base", "rtn");
  q.seq_len = 128;
  q.skim = {1, 1, 0.5};
  const ModelQuantResult r = quantize_model(q);
  int matmuls = 0;
  for (const auto& tl : r.trace.layers) {
    if (!tl.weight.present) {
      ++matmuls;
    } else {
      EXPECT_EQ(tl.weight.type, "int") << tl.layer.name;
      EXPECT_TRUE(tl.weight.synthetic);
      EXPECT_NE(tl.weight.source.find("outliers"), std::string::npos);  // stated in the trace
    }
  }
  EXPECT_EQ(matmuls, 24);  // QK^T and P*V of 12 layers carry no weights
  EXPECT_EQ(r.trace.layers[3].layer.m, 128);
}

TEST(ModelQuantizer, OliveOnRealWeights) {
  const ModelQuantResult r = quantize_model(request("resnet34_face", "olive"));
  for (const auto& tl : r.trace.layers) EXPECT_EQ(tl.weight.type, "olive") << tl.layer.name;
  const ModelQuantResult rtn = quantize_model(request("resnet34_face", "rtn"));
  EXPECT_GT(r.summary.weight_sqnr_db, rtn.summary.weight_sqnr_db);
}

TEST(ModelQuantizer, ResultsDoNotDependOnTheThreadCount) {
  ModelQuantRequest one = request("resnet34_face", "squant");
  one.with_tensors = true;
  one.threads = 1;
  ModelQuantRequest many = one;
  many.threads = 5;
  const ModelQuantResult a = quantize_model(one), b = quantize_model(many);
  EXPECT_EQ(trace_to_json(a.trace), trace_to_json(b.trace));
  EXPECT_EQ(write_safetensors(a.tensors, {}), write_safetensors(b.tensors, {}));
  EXPECT_EQ(a.summary.weight_sqnr_db, b.summary.weight_sqnr_db);
}

TEST(ModelQuantizer, BadRequestsAreInputErrors) {
  EXPECT_NE(
      error_of([] { quantize_model(request("resnet18", "gptq")); }).find("unknown scheme 'gptq'"),
      std::string::npos);
  EXPECT_NE(error_of([] {
              quantize_model(request("resnet18", "ant", 9));
            }).find("--bits: must be in [2, 8]"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              quantize_model(request("resnet18", "olive", 8));
            }).find("olive is a 4-bit type"),
            std::string::npos);
  ModelQuantRequest skim = request("resnet18", "ant");
  skim.skim = {0.5};
  EXPECT_NE(error_of([&] { quantize_model(skim); }).find("apply to bert_base only"),
            std::string::npos);
  ModelQuantRequest missing = request("faceres", "ant");
  missing.weights_dir = "/nonexistent";
  EXPECT_NE(error_of([&] { quantize_model(missing); }).find("run scripts/fetch_weights.sh"),
            std::string::npos);
  ModelQuantRequest layer = request("resnet18", "ant");
  layer.layer_bits["conv9"] = 8;
  EXPECT_NE(error_of([&] { quantize_model(layer); }).find("has no layer 'conv9'"),
            std::string::npos);
}

TEST(Trace, JsonRoundTripKeepsEveryField) {
  ModelQuantRequest q = request("mobilenet_v2", "ant");
  q.dbb = parse_dbb("4/8");
  const ModelQuantResult r = quantize_model(q);
  const nlohmann::json doc = trace_to_json(r.trace);
  EXPECT_EQ(doc["format"], "strata-trace");
  EXPECT_EQ(doc["version"], 1);
  for (const char* key : {"model", "scheme", "layers"}) EXPECT_TRUE(doc.contains(key)) << key;
  const auto& l0 = doc["layers"][0];
  for (const char* key : {"name", "op"}) EXPECT_TRUE(l0.contains(key)) << key;
  for (const char* key : {"type", "bits", "signed", "density", "sqnr_db"})
    EXPECT_TRUE(l0["weight"].contains(key)) << key;
  for (const char* key : {"type", "bits"}) EXPECT_TRUE(l0["activation"].contains(key)) << key;
  for (const char* key : {"nnz", "bz"}) EXPECT_TRUE(l0["dbb"].contains(key)) << key;
  const Trace back = trace_from_json(nlohmann::json::parse(doc.dump()), "t.json");
  ASSERT_EQ(back.layers.size(), r.trace.layers.size());
  EXPECT_EQ(trace_to_json(back), doc);
  const Workload w = trace_workload(back, "t.json");
  EXPECT_EQ(w.layers[2].weight_bits, 4);
  EXPECT_LE(w.layers[2].weight_density, 0.5);  // a pointwise layer (32 input channels)
}

// Provenance: the real files by content, how the synthetic layers were drawn, kept through a
// trace file, and summarized per workload.
TEST(Trace, WeightProvenanceIsRecordedAndRoundTrips) {
  const ModelQuantResult synthetic = quantize_model(request("resnet18", "rtn", 8));
  EXPECT_TRUE(synthetic.trace.weight_files.empty());
  EXPECT_NE(synthetic.trace.synthetic_weights.find("gaussian"), std::string::npos);
  EXPECT_NE(synthetic.trace.synthetic_weights.find("seed 1 "), std::string::npos);
  const Workload ws = trace_workload(synthetic.trace, "resnet18");
  EXPECT_EQ(ws.weights.kind(), "synthetic");
  EXPECT_EQ(ws.weights.describe().rfind("synthetic: gaussian", 0), 0u) << ws.weights.describe();

  const ModelQuantResult real = quantize_model(request("resnet34_face", "rtn", 8));
  ASSERT_EQ(real.trace.weight_files.size(), 2u);  // the manifest and its one shard
  const std::string dir = std::string(STRATA_SOURCE_DIR) + "/.cache/weights/";
  for (const auto& f : real.trace.weight_files) {
    EXPECT_EQ(f.sha256, sha256_hex(read_text_file(dir + f.name))) << f.name;
  }
  EXPECT_EQ(real.trace.weight_files[0].name, "face_recognition_model-weights_manifest.json");
  EXPECT_EQ(real.trace.synthetic_weights, "");
  const Trace back = trace_from_json(nlohmann::json::parse(trace_to_json(real.trace).dump()), "t");
  ASSERT_EQ(back.weight_files.size(), 2u);
  EXPECT_EQ(back.weight_files[1].sha256, real.trace.weight_files[1].sha256);
  const Workload wr = trace_workload(back, "t");
  EXPECT_EQ(wr.weights.kind(), "real");
  EXPECT_EQ(wr.weights.real_layers, 30);
  EXPECT_NE(wr.weights.describe().find("face_recognition_model.bin (sha256 "), std::string::npos);

  // The ImageNet MobileNet-V1 has no real weights; faceres is all real. A mix (some layers from
  // .npy files, say) says which part is which.
  EXPECT_EQ(
      trace_workload(quantize_model(request("mobilenet_v1", "rtn", 8)).trace, "m").weights.kind(),
      "synthetic");
  Trace mix = quantize_model(request("faceres", "rtn", 8)).trace;
  mix.layers.back().weight.synthetic = true;
  mix.synthetic_weights = "gaussian, seed 1";
  const Workload wm = trace_workload(mix, "m");
  EXPECT_EQ(wm.weights.kind(), "mixed");
  EXPECT_EQ(wm.weights.synthetic_layers, 1);
  EXPECT_EQ(wm.weights.describe().rfind("mixed: 29 layers real (faceres-deep.json (sha256 ", 0), 0u)
      << wm.weights.describe();
  EXPECT_NE(wm.weights.describe().find("), 1 synthetic: gaussian, seed 1"), std::string::npos)
      << wm.weights.describe();

  // A trace written before traces carried "weights": the layers still say what they are.
  nlohmann::json old = trace_to_json(synthetic.trace);
  old.erase("weights");
  const Workload wo = trace_workload(trace_from_json(old, "old.json"), "old.json");
  EXPECT_EQ(wo.weights.kind(), "synthetic");
  EXPECT_NE(wo.weights.synthetic.find("gaussian"), std::string::npos);
  // Shapes alone carry no weights.
  EXPECT_EQ(Workload{}.weights.kind(), "none");
}

TEST(Trace, ReaderRejectsInconsistentTraces) {
  const ModelQuantResult r = quantize_model(request("resnet34_face", "rtn"));
  const nlohmann::json good = trace_to_json(r.trace);
  auto err = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json d = good;
    edit(d);
    return error_of([&] { trace_from_json(d, "t.json"); });
  };
  EXPECT_EQ(err([](auto& d) { d["version"] = 2; }),
            "t.json: version: trace version 2 is not supported (this strata reads 1)");
  EXPECT_EQ(err([](auto& d) { d["format"] = "other"; }),
            "t.json: format: must be \"strata-trace\"");
  EXPECT_EQ(err([](auto& d) { d["layers"][1]["weight"]["scales"].erase(0); }),
            "t.json: layers[1].weight.scales: has 31 entries for 32 output channels");
  EXPECT_EQ(err([](auto& d) { d["layers"][1]["dbb"]["nnz"] = 9; }),
            "t.json: layers[1].dbb.nnz: must be an integer in [1, 8], got 9");
  EXPECT_EQ(
      err([](auto& d) { d["layers"][1]["weight"]["type"] = "posit"; }),
      "t.json: layers[1].weight.type: must be int, pot, flint, float or olive, got \"posit\"");
  EXPECT_EQ(err([](auto& d) { d["layers"][1]["weight"]["bits"] = 12; }),
            "t.json: layers[1].weight.bits: must be an integer in [2, 8], got 12");
  EXPECT_EQ(err([](auto& d) { d["layers"][2]["in_c"] = 0; }).substr(0, 17), "t.json: layers[2]");
  EXPECT_EQ(err([](auto& d) { d["layers"][0].erase("activation"); }),
            "t.json: layers[0].activation: required but not given");
}

TEST(Trace, TensorsRoundTripAndValidate) {
  ModelQuantRequest q = request("resnet34_face", "ant");
  q.with_tensors = true;
  const ModelQuantResult r = quantize_model(q);
  const std::string bytes = write_safetensors(r.tensors, {{"format", "strata-trace-tensors"}});
  const SafeTensorMap back = parse_safetensors(bytes, "t.safetensors");
  EXPECT_EQ(back.size(), r.tensors.size());
  EXPECT_NO_THROW(check_trace_tensors(r.trace, back, "t.safetensors"));
  // Codes decode to the values the quantizer produced: check one layer against its scales.
  const auto& conv2 = r.trace.layers[1];
  const auto scales = f64_values(back.at("conv32_1/conv1.weight_scales"));
  EXPECT_EQ(scales, conv2.weight.scales);
  // Truncated file, wrong sizes, missing tensors.
  EXPECT_NE(error_of([&] {
              parse_safetensors(bytes.substr(0, bytes.size() - 10), "t.safetensors");
            }).find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parse_safetensors("abc", "t.safetensors"); }).find("byte 0"),
            std::string::npos);
  SafeTensorMap missing = back;
  missing.erase("conv32_1/conv1.weight_codes");
  EXPECT_EQ(error_of([&] { check_trace_tensors(r.trace, missing, "t.safetensors"); }),
            "t.safetensors: tensor 'conv32_1/conv1.weight_codes' missing");
  SafeTensorMap wide = back;
  wide.at("conv32_1/conv1.weight_codes").bytes[0] = static_cast<char>(0xF0);
  EXPECT_NE(error_of([&] {
              check_trace_tensors(r.trace, wide, "t.safetensors");
            }).find("does not fit 4 bits"),
            std::string::npos);
  // A NaN scale: bit-true runs would dequantize to NaN and report it as exact.
  SafeTensorMap nan_scale = back;
  const double nan = std::nan("");
  std::memcpy(nan_scale.at("conv32_1/conv1.weight_scales").bytes.data() + 8, &nan, 8);
  EXPECT_NE(error_of([&] {
              check_trace_tensors(r.trace, nan_scale, "t.safetensors");
            }).find("'conv32_1/conv1.weight_scales': scale 1 is nan; scales must be finite"),
            std::string::npos);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// BitFusion's mixed-int baseline: a tensor stays at 4 bits only where int is ANT's best 4-bit
// type for it, otherwise it runs 8-bit int; the PE never sees flint or PoT.
TEST(ModelQuantizer, Int48FollowsAntsTypeChoice) {
  const ModelQuantResult ant = quantize_model(request("faceres", "ant4-8"));
  const ModelQuantResult mixed = quantize_model(request("faceres", "int4-8"));
  ASSERT_EQ(ant.trace.layers.size(), mixed.trace.layers.size());
  int promoted = 0;
  for (size_t i = 0; i < ant.trace.layers.size(); ++i) {
    const TraceLayer& a = ant.trace.layers[i];
    const TraceLayer& m = mixed.trace.layers[i];
    EXPECT_EQ(m.weight.type, "int") << m.layer.name;
    EXPECT_EQ(m.activation.type, "int") << m.layer.name;
    const bool int_at_4 = a.weight.bits == 4 && a.weight.type == "int";
    EXPECT_EQ(m.weight.bits, int_at_4 ? 4 : 8) << m.layer.name;
    promoted += !int_at_4 && a.weight.bits == 4;
  }
  EXPECT_GT(promoted, 0);  // real MobileNet weights: flint wins on several layers
  EXPECT_LT(mixed.summary.low_bit_mac_share, ant.summary.low_bit_mac_share);
}

TEST(ModelQuantizer, PerLayerActivationDbbSchedule) {
  ModelQuantRequest q = request("resnet18", "rtn", 8);
  q.dbb = parse_dbb("4/8");
  q.activation_dbb_keep = 0.97;
  q.layer_activation_dbb["layer4.1.conv2"] = parse_dbb("2/8");
  const ModelQuantResult r = quantize_model(q);
  EXPECT_EQ(r.trace.layers.front().dbb.activation_nnz, 8);  // the image input is not cut
  for (const auto& tl : r.trace.layers) {
    if (tl.layer.name == "layer4.1.conv2") {
      EXPECT_EQ(tl.dbb.activation_nnz, 2);
    }
    if (&tl != &r.trace.layers.front() && tl.layer.name != "layer4.1.conv2") {
      // ReLU(normal) inputs: top-4 of 8 keeps over 98 % of the energy, top-3 about 95 %.
      EXPECT_EQ(tl.dbb.activation_nnz, 4) << tl.layer.name;
    }
  }
  q.layer_activation_dbb = {{"nope", parse_dbb("2/8")}};
  EXPECT_THROW(quantize_model(q), InputError);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Codes that contradict what the trace declares about them (density, the DBB bound) are refused.
TEST(Trace, CodesMustMatchTheDeclaredDensityAndDbbBound) {
  ModelQuantRequest q = request("resnet34_face", "ant");
  q.with_tensors = true;
  q.dbb = parse_dbb("4/8");
  const ModelQuantResult r = quantize_model(q);
  EXPECT_NO_THROW(check_trace_tensors(r.trace, r.tensors, "t.safetensors"));
  // A zero code made non-zero: the density no longer matches.
  const std::string name = "conv32_1/conv1.weight_codes";
  SafeTensorMap changed = r.tensors;
  std::string& bytes = changed.at(name).bytes;
  const TraceWeights& w = r.trace.layers[1].weight;
  const TypeCodec codec(make_type(parse_type_kind(w.type), w.bits, w.is_signed));
  size_t zero = 0;
  while (codec.decode_value(static_cast<uint8_t>(bytes[zero])) != 0) ++zero;
  bytes[zero] = 1;
  EXPECT_NE(error_of([&] {
              check_trace_tensors(r.trace, changed, "t.safetensors");
            }).find("its codes have density"),
            std::string::npos);
  // The same codes declared at the right density but with a DBB bound they break.
  Trace declared = r.trace;
  int64_t nonzero = 0;
  for (char c : bytes) nonzero += codec.decode_value(static_cast<uint8_t>(c)) != 0;
  declared.layers[1].weight.density = static_cast<double>(nonzero) / bytes.size();
  const std::string e = error_of([&] { check_trace_tensors(declared, changed, "t.safetensors"); });
  EXPECT_NE(e.find("more than 4 non-zeros"), std::string::npos) << e;
}

}  // namespace
}  // namespace strata
