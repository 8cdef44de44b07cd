// strata quantize as a user runs it: bad input of every kind (one line, exit 2, no output), and
// quantize -> run end to end.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "sim/report/compare_columns.h"
#include "support/npy_bytes.h"

namespace strata::test {
namespace {

std::string weights_dir() { return std::string(STRATA_SOURCE_DIR) + "/.cache/weights"; }

// A scratch copy of faceres-deep with one defect.
std::string broken_faceres(const std::string& defect) {
  const std::string d = make_temp_dir();
  std::string manifest = read_file(weights_dir() + "/faceres-deep.json");
  std::string bin = read_file(weights_dir() + "/faceres-deep.bin");
  if (defect == "truncated") bin.resize(bin.size() / 2);
  if (defect == "shape") {
    const std::string from = "\"name\":\"conv1/convolution/merged_input\",\"shape\":[3,3,3,32]";
    auto j = nlohmann::json::parse(manifest);
    for (auto& w : j["weightsManifest"][0]["weights"]) {
      if (w["name"] == "conv1/convolution/merged_input")
        w["shape"] = {3, 3, 32, 3};  // same size, wrong layout
    }
    manifest = j.dump();
  }
  if (defect == "corrupt") manifest = manifest.substr(0, 100);
  write_file(d, "faceres-deep.json", manifest);
  write_file(d, "faceres-deep.bin", bin);
  return d + "/faceres-deep.json";
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  std::string expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class QuantizeErrors : public ::testing::TestWithParam<Case> {};

TEST_P(QuantizeErrors, OneLineExitTwoNoOutputs) {
  const std::string out_dir = make_temp_dir();
  std::vector<std::string> args = {"quantize"};
  for (const auto& a : GetParam().args) {
    if (a == "$TRUNCATED")
      args.push_back(broken_faceres("truncated"));
    else if (a == "$SHAPE")
      args.push_back(broken_faceres("shape"));
    else if (a == "$CORRUPT")
      args.push_back(broken_faceres("corrupt"));
    else
      args.push_back(a);
  }
  if (std::find(args.begin(), args.end(), "--out") == args.end()) {
    args.push_back("--out");
    args.push_back(out_dir + "/t.json");
  }
  const CliResult r = run_strata(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  ASSERT_EQ(r.err.rfind("strata: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(GetParam().expected), std::string::npos) << r.err;
  EXPECT_TRUE(list_dir(out_dir).empty()) << "partial output";
  record_bad_input(GetParam().name, args, r.err, out_dir);
  expect_catalogued(GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, QuantizeErrors,
    ::testing::Values(Case{"UnknownScheme",
                           {"--model", "resnet18", "--scheme", "gptq"},
                           "--scheme: unknown scheme 'gptq'"},
                      Case{"BitsOutOfRange",
                           {"--model", "resnet18", "--scheme", "ant", "--bits", "9"},
                           "--bits: must be in [2, 8], got 9"},
                      Case{"NnzAboveBz",
                           {"--model", "resnet18", "--scheme", "ant", "--dbb", "9/8"},
                           "--dbb: DBB NNZ must be in 1..BZ (8), got 9"},
                      Case{"BadDbbSyntax",
                           {"--model", "resnet18", "--scheme", "ant", "--dbb", "half"},
                           "--dbb: DBB must be <nnz>/<bz>"},
                      Case{"BadSkim",
                           {"--model", "bert_base", "--scheme", "rtn", "--skim", "1,0"},
                           "--skim: keep fractions must be numbers in (0, 1]"},
                      Case{"SkimOnCnn",
                           {"--model", "resnet18", "--scheme", "rtn", "--skim", "1,0.5"},
                           "apply to bert_base only"},
                      Case{"UnknownModel",
                           {"--model", "resnet19", "--scheme", "ant"},
                           "workload 'resnet19': not a zoo model"},
                      Case{"MissingScheme", {"--model", "resnet18"}, "--scheme is required"},
                      Case{"OutNotJson",
                           {"--model", "resnet18", "--scheme", "ant", "--out", "/tmp/x.txt"},
                           "--out: the trace file must end in .json"},
                      Case{"LayerBitsSyntax",
                           {"--model", "resnet18", "--scheme", "ant", "--layer-bits", "conv1"},
                           "--layer-bits: expected NAME=BITS"},
                      Case{"TruncatedTfjsShard",
                           {"--model", "faceres", "--scheme", "ant", "--weights", "$TRUNCATED"},
                           "(truncated shard?)"},
                      Case{"CorruptTfjsManifest",
                           {"--model", "faceres", "--scheme", "ant", "--weights", "$CORRUPT"},
                           "malformed JSON"},
                      Case{"ShapeMismatch",
                           {"--model", "faceres", "--scheme", "ant", "--weights", "$SHAPE"},
                           "but layer 'conv0' expects 32x3x3x3"},
                      Case{
                          "WeightsForSyntheticModel",
                          {"--model", "resnet18", "--scheme", "ant", "--weights", "/tmp/none.json"},
                          "has no TF.js mapping"}),
    [](const auto& info) { return info.param.name; });

TEST(CliQuantize, NpyDirectoryWeightsAndErrors) {
  const std::string d = make_temp_dir();
  // A PyTorch-layout fc weight for resnet18 (1000 x 512) as .npy; the other layers stay synthetic.
  const std::string npy = npy_bytes("1000, 512", std::string(1000 * 512 * 4, '\0'));
  write_file(d, "fc.npy", npy);
  const CliResult ok = run_strata({"quantize", "--model", "resnet18", "--scheme", "rtn",
                                   "--weights", d, "--out", d + "/t.json", "-q"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto trace = nlohmann::json::parse(read_file(d + "/t.json"));
  EXPECT_EQ(trace["layers"].back()["weight"]["source"], "real: fc.npy");
  EXPECT_EQ(trace["layers"].back()["weight"]["synthetic"], false);
  // Truncated .npy: one line naming the byte.
  write_file(d, "fc.npy", npy.substr(0, npy.size() - 100));
  const CliResult bad = run_strata({"quantize", "--model", "resnet18", "--scheme", "rtn",
                                    "--weights", d, "--out", d + "/u.json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("fc.npy: byte 128: shape [1000, 512] of <f4 needs 2048000 data bytes"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(std::ifstream(d + "/u.json").good());
}

TEST(CliQuantize, QuantizeThenRunTheTrace) {
  const std::string d = make_temp_dir();
  const CliResult q =
      run_strata({"quantize", "--model", "faceres", "--scheme", "ant", "--bits", "4", "--dbb",
                  "4/8", "--out", d + "/mnv1.json", "--with-tensors"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("conv13_pw"), std::string::npos);
  EXPECT_NE(q.out.find("weight SQNR"), std::string::npos);
  EXPECT_EQ(list_dir(d), (std::vector<std::string>{"mnv1.json", "mnv1.safetensors"}));
  const auto trace = nlohmann::json::parse(read_file(d + "/mnv1.json"));
  EXPECT_EQ(trace["format"], "strata-trace");
  EXPECT_EQ(trace["tensors"], "mnv1.safetensors");
  // ANT picked flint for some layers: the default int PE cannot read them, the ANT PE can.
  const CliResult on_int =
      run_strata({"run", "--workload", d + "/mnv1.json", "--out", d + "/run_int", "-q"});
  EXPECT_EQ(on_int.exit_code, 2);
  EXPECT_NE(on_int.err.find("\"flint\""), std::string::npos) << on_int.err;
  EXPECT_NE(on_int.err.find("array.pe"), std::string::npos) << on_int.err;
  EXPECT_FALSE(std::filesystem::exists(d + "/run_int/report.json"));
  const CliResult run4 = run_strata(
      {"run", "--workload", d + "/mnv1.json", "--set", "array.pe=ant", "--out", d + "/run4", "-q"});
  ASSERT_EQ(run4.exit_code, 0) << run4.err;
  const CliResult run8 = run_strata(
      {"run", "--workload", "faceres", "--set", "array.pe=ant", "--out", d + "/run8", "-q"});
  ASSERT_EQ(run8.exit_code, 0) << run8.err;
  const auto r4 = nlohmann::json::parse(read_file(d + "/run4/report.json"));
  const auto r8 = nlohmann::json::parse(read_file(d + "/run8/report.json"));
  EXPECT_EQ(r4["totals"]["macs"], r8["totals"]["macs"]);
  // 4-bit weights and activations move less data and spend less MAC energy than 8-bit ones.
  EXPECT_LT(r4["totals"]["dram_read_bytes"].get<double>(),
            r8["totals"]["dram_read_bytes"].get<double>());
  EXPECT_LT(r4["totals"]["energy_mac_pj"].get<double>(),
            r8["totals"]["energy_mac_pj"].get<double>());
  // The fused PE runs 4x4-bit products four to a cycle: pointwise layers with long K (conv6_pw
  // on, K >= 256) take well under half the 8-bit cycles; shorter K is bound by the OS array's
  // output drain (one row per cycle, docs/timing.md), never slower.
  int pointwise = 0;
  for (size_t i = 0; i < r4["layers"].size(); ++i) {
    const std::string name = r4["layers"][i]["name"];
    if (name.size() < 3 || name.substr(name.size() - 3) != "_pw") continue;
    ++pointwise;
    const double c4 = r4["layers"][i]["compute_cycles"].get<double>();
    const double c8 = r8["layers"][i]["compute_cycles"].get<double>();
    EXPECT_LE(c4, c8) << name;
    if (pointwise >= 6) {
      EXPECT_LT(c4, 0.5 * c8) << name;
    }
  }
  EXPECT_EQ(pointwise, 13);
  EXPECT_GT(r4["totals"]["energy_decoder_pj"].get<double>(), 0.0);
  // A damaged tensors file is caught when the trace is run.
  std::string st = read_file(d + "/mnv1.safetensors");
  write_file(d, "mnv1.safetensors", st.substr(0, st.size() / 2));
  const CliResult broken =
      run_strata({"run", "--workload", d + "/mnv1.json", "--out", d + "/run_broken"});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("mnv1.safetensors: byte"), std::string::npos) << broken.err;
  // Same inputs, byte-identical traces.
  const CliResult again = run_strata({"quantize", "--model", "faceres", "--scheme", "ant", "--bits",
                                      "4", "--dbb", "4/8", "--out", d + "/again.json", "-q"});
  ASSERT_EQ(again.exit_code, 0);
  auto a = nlohmann::json::parse(read_file(d + "/again.json"));
  auto b = trace;
  a.erase("tensors");
  b.erase("tensors");
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// A config names the quantization and sparsity its hardware expects: given a zoo name, strata run
// runs the front end itself; the report says how the workload was prepared.
TEST(CliConfigs, ConfigsCarryTheirWorkloadPreparation) {
  const std::string d = make_temp_dir();
  const CliResult aw = run_strata({"run", "--config", "configs/s2ta_aw_16nm.json", "--workload",
                                   "mobilenet_v1", "--out", d + "/aw", "-q"});
  ASSERT_EQ(aw.exit_code, 0) << aw.err;
  const auto r = nlohmann::json::parse(read_file(d + "/aw/report.json"));
  EXPECT_EQ(r["workload"]["preparation"]["settings"],
            "rtn 8-bit, W-DBB 4/8, A-DBB auto (keep 0.99)");
  EXPECT_EQ(r["hardware"]["sparsity"], "dbb");
  EXPECT_GT(r["totals"]["energy_topk_pj"].get<double>(), 0);
  EXPECT_GT(r["totals"]["energy_mux_pj"].get<double>(), 0);
  EXPECT_LT(r["stats"].size(), 1000u);
  // The same config with its hardware's A-DBB switched off rejects the A-DBB trace it prepares.
  const CliResult no_topk =
      run_strata({"run", "--config", "configs/s2ta_aw_16nm.json", "--workload", "mobilenet_v1",
                  "--set", "array.dbb.activation_dbb=false", "--out", d + "/none", "-q"});
  EXPECT_EQ(no_topk.exit_code, 2);
  EXPECT_NE(no_topk.err.find("top-k unit this array does not have"), std::string::npos)
      << no_topk.err;
  EXPECT_FALSE(std::filesystem::exists(d + "/none/report.json"));
  // A bad preparation key is named.
  const CliResult bad =
      run_strata({"run", "--config", "configs/s2ta_w_16nm.json", "--workload", "resnet18", "--set",
                  "workload.weight_dbb=9/8", "--out", d + "/bad", "-q"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("workload.weight_dbb"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// Bit-true mode: every layer's outputs computed from codes, with their SQNR against the float
// model; int8 is far more accurate than ANT 4-bit, which is above DBB-pruned weights.
TEST(CliBitTrue, ReportsEveryLayersOutputSqnr) {
  const std::string d = make_temp_dir();
  auto run = [&](const std::string& config, const std::string& out) {
    const CliResult r = run_strata({"run", "--config", config, "--workload", "resnet18", "--set",
                                    "sim.mode=bittrue", "--out", d + "/" + out, "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(read_file(d + "/" + out + "/report.json"));
  };
  const auto int8 = run("configs/int8_sa_16nm.json", "int8");
  const auto ant = run("configs/ant_os_28nm.json", "ant");
  const auto dbb = run("configs/s2ta_aw_16nm.json", "dbb");
  ASSERT_EQ(int8["layers"].size(), 21u);
  for (size_t i = 0; i < int8["layers"].size(); ++i) {
    const double s8 = int8["layers"][i]["output_sqnr_db"].get<double>();
    EXPECT_GT(s8, 30.0) << i;
    EXPECT_EQ(int8["layers"][i]["output_sqnr_reference"], "float weights");
    if (i == 0 || i + 1 == int8["layers"].size()) continue;  // ANT4-8 edges run 8-bit
    EXPECT_LT(ant["layers"][i]["output_sqnr_db"].get<double>(), s8 - 10) << i;
    EXPECT_GT(ant["layers"][i]["output_sqnr_db"].get<double>(), 12.0) << i;
    EXPECT_LT(dbb["layers"][i]["output_sqnr_db"].get<double>(),
              ant["layers"][i]["output_sqnr_db"].get<double>())
        << i;
  }
  // The top-k unit cuts the activations the trace's A-DBB bound says: 2 of 8 loses ~4 dB more
  // than the config's 5/8 on every layer but the image input (which stays dense).
  const auto adbb2 = [&] {
    const CliResult r = run_strata({"run", "--config", "configs/s2ta_aw_16nm.json", "--workload",
                                    "resnet18", "--set", "sim.mode=bittrue", "--set",
                                    "workload.activation_dbb=2/8", "--out", d + "/adbb2", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(read_file(d + "/adbb2/report.json"));
  }();
  for (size_t i = 1; i < adbb2["layers"].size(); ++i) {
    EXPECT_LT(adbb2["layers"][i]["output_sqnr_db"].get<double>(),
              dbb["layers"][i]["output_sqnr_db"].get<double>() - 2)
        << i;
  }
  // A trace file with tensors runs bit-true against its dequantized weights; without codes the
  // run is refused before anything is written.
  const CliResult q = run_strata({"quantize", "--model", "faceres", "--scheme", "ant", "--bits",
                                  "4", "--out", d + "/m.json", "--with-tensors", "-q"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const CliResult from_trace =
      run_strata({"run", "--workload", d + "/m.json", "--set", "array.pe=ant", "--set",
                  "sim.mode=bittrue", "--out", d + "/trace", "-q"});
  ASSERT_EQ(from_trace.exit_code, 0) << from_trace.err;
  const auto t = nlohmann::json::parse(read_file(d + "/trace/report.json"));
  EXPECT_EQ(t["layers"][3]["output_sqnr_reference"], "dequantized weights");
  EXPECT_GT(t["layers"][3]["output_sqnr_db"].get<double>(), 10.0);
  const CliResult no_codes = run_strata(
      {"run", "--workload", "resnet18", "--set", "sim.mode=bittrue", "--out", d + "/none", "-q"});
  EXPECT_EQ(no_codes.exit_code, 2);
  EXPECT_NE(no_codes.err.find("needs operand codes"), std::string::npos) << no_codes.err;
  EXPECT_FALSE(std::filesystem::exists(d + "/none"));
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// sim.fidelity = cycle: the cycle-by-cycle array's compute cycles for small layers, within one
// pipeline fill of the tile-level model's; SCALE-Sim's convention has no cycle model.
TEST(CliCycleFidelity, AgreesWithTheTileModelOnSmallLayers) {
  const std::string d = make_temp_dir();
  {
    std::ofstream f(d + "/small.json");
    f << R"({"name": "small", "layers": [
      {"name": "c1", "type": "conv2d", "in_h": 8, "in_w": 8, "in_c": 8, "out_c": 12,
       "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1]},
      {"name": "g1", "type": "gemm", "m": 20, "k": 30, "n": 10}]})";
  }
  auto run = [&](const std::string& fidelity) {
    const CliResult r = run_strata({"run", "--workload", d + "/small.json", "--set", "array.rows=8",
                                    "--set", "array.cols=8", "--set", "sim.fidelity=" + fidelity,
                                    "--out", d + "/" + fidelity, "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(read_file(d + "/" + fidelity + "/report.json"));
  };
  const auto tile = run("tile"), cycle = run("cycle");
  for (size_t i = 0; i < 2; ++i) {
    const int64_t t = tile["layers"][i]["compute_cycles"], c = cycle["layers"][i]["compute_cycles"];
    EXPECT_LE(std::abs(t - c), 16) << i;  // 8 + 8: one fill of the 8x8 array
    EXPECT_EQ(tile["layers"][i]["macs"], cycle["layers"][i]["macs"]);
  }
  const CliResult ws = run_strata({"run", "--workload", d + "/small.json", "--set",
                                   "array.dataflow=ws", "--set", "sim.fidelity=cycle", "-q"});
  EXPECT_EQ(ws.exit_code, 0) << ws.err;
  const CliResult scalesim =
      run_strata({"run", "--workload", d + "/small.json", "--set", "timing.convention=scalesim",
                  "--set", "sim.fidelity=cycle", "-q"});
  EXPECT_EQ(scalesim.exit_code, 2);
  EXPECT_NE(scalesim.err.find("sim.fidelity"), std::string::npos) << scalesim.err;
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

TEST(CliCompare, RatiosAgainstABaselineAndNamedFailures) {
  const CliResult same = run_strata({"compare", "-b", "configs/default.json", "-c",
                                     "configs/default.json", "-w", "resnet18,alexnet", "-j", "2"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  // The baseline's cycles are strata run's (the golden report's: the same config and workload).
  const nlohmann::json golden = nlohmann::json::parse(read_file(
      std::string(STRATA_SOURCE_DIR) + "/tests/regression/golden/resnet18_default.report.json"));
  const std::string cycles = std::to_string(golden["totals"]["cycles"].get<int64_t>());
  EXPECT_NE(same.out.find("| resnet18 | " + cycles + " |"), std::string::npos) << same.out;
  // A config against itself: every ratio is 1.
  EXPECT_NE(same.out.find("| geometric mean | | | | **1.00** | **1.00** | **1.00** | **1.00** |"),
            std::string::npos)
      << same.out;
  const CliResult bad = run_strata(
      {"compare", "-b", "configs/default.json", "-c", "configs/default.json", "-w", "nonet"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("configs/default.json on nonet:"), std::string::npos) << bad.err;
  const CliResult missing = run_strata({"compare", "-c", "configs/default.json", "-w", "resnet18"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--baseline is required"), std::string::npos) << missing.err;
}

// Every report says where its weights came from, the terminal summary too, and compare marks
// the weight SQNR of synthetic weights as such.
TEST(CliCompare, WeightProvenanceIsReportedAndMarked) {
  const std::string d = make_temp_dir();
  const CliResult run =
      run_strata({"run", "-c", "configs/s2ta_aw_16nm.json", "-w", "resnet50", "--out", d + "/r50"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("\nweights synthetic: gaussian, std 1.414/sqrt(fan_in)"),
            std::string::npos)
      << run.out;
  const nlohmann::json w =
      nlohmann::json::parse(read_file(d + "/r50/report.json"))["workload"]["weights"];
  EXPECT_EQ(w["provenance"], "synthetic");
  EXPECT_EQ(w["real_layers"], 0);
  EXPECT_EQ(w["synthetic_layers"], 54);
  EXPECT_EQ(w["files"], nlohmann::json::array());
  const CliResult face = run_strata({"run", "-c", "configs/s2ta_aw_16nm.json", "-w",
                                     "resnet34_face", "--out", d + "/face", "-q"});
  ASSERT_EQ(face.exit_code, 0) << face.err;
  const nlohmann::json f =
      nlohmann::json::parse(read_file(d + "/face/report.json"))["workload"]["weights"];
  EXPECT_EQ(f["provenance"], "real");
  EXPECT_TRUE(f["synthetic"].is_null());
  ASSERT_EQ(f["files"].size(), 2u);
  EXPECT_EQ(f["files"][1]["name"], "face_recognition_model.bin");
  EXPECT_EQ(f["files"][1]["sha256"].get<std::string>().size(), 64u);
  // Shapes alone (no front end): no weights at all.
  const CliResult plain = run_strata({"run", "-w", "resnet18", "--out", d + "/plain", "-q"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(nlohmann::json::parse(
                read_file(d + "/plain/report.json"))["workload"]["weights"]["provenance"],
            "none");
  const CliResult c = run_strata({"compare", "-b", "configs/sa_zvcg_16nm.json", "-c",
                                  "configs/s2ta_aw_16nm.json", "-w", "resnet50,resnet34_face"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const size_t row = c.out.find("\n| s2ta_aw_16nm | 1000 | ");
  ASSERT_NE(row, std::string::npos) << c.out;
  EXPECT_NE(c.out.find("| 9.87 (synthetic) | 10.69 (real) |\n", row), std::string::npos) << c.out;
}

// --out keeps the comparison: compare.csv (its columns the one list compare_columns declares)
// and each run's own outputs, the same files strata run writes.
TEST(CliCompare, OutKeepsTheTableAndEveryRun) {
  const std::string d = make_temp_dir();
  const CliResult r =
      run_strata({"compare", "-b", "configs/int8_sa_16nm.json", "-c", "configs/ant_os_28nm.json",
                  "-w", "alexnet,resnet18:batch=2", "--out", d + "/c", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("outputs written to " + d + "/c/"), std::string::npos) << r.out;
  const std::string csv = read_file(d + "/c/compare.csv");
  std::string header;
  for (const auto& c : compare_columns()) header += (header.empty() ? "" : ",") + c.name;
  EXPECT_EQ(csv.substr(0, csv.find('\n')), header);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 2 designs x 2 workloads
  // The design's row: its speedup is the ratio of the two runs' latencies.
  const CliResult alone = run_strata(
      {"run", "-c", "configs/ant_os_28nm.json", "-w", "alexnet", "--out", d + "/alone", "-q"});
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_EQ(read_file(d + "/c/ant_os_28nm/alexnet/layers.csv"), read_file(d + "/alone/layers.csv"));
  EXPECT_EQ(read_file(d + "/c/ant_os_28nm/alexnet/report.json"),
            read_file(d + "/alone/report.json"));
  for (const char* f : {"report.json", "layers.csv", "vector_layers.csv", "config.resolved.json"}) {
    EXPECT_TRUE(std::filesystem::exists(d + "/c/int8_sa_16nm/resnet18_batch_2/" + f)) << f;
  }
  const nlohmann::json base =
      nlohmann::json::parse(read_file(d + "/c/int8_sa_16nm/alexnet/report.json"))["totals"];
  const nlohmann::json ant = nlohmann::json::parse(read_file(d + "/alone/report.json"))["totals"];
  const size_t row = csv.find("\nant_os_28nm,configs/ant_os_28nm.json,alexnet,500");
  ASSERT_NE(row, std::string::npos) << csv;
  const size_t speedup_field = 9;  // design,config,workload,freq,cycles,latency,compute,e,e_chip
  std::string line = csv.substr(row + 1, csv.find('\n', row + 1) - row - 1);
  for (size_t k = 0; k < speedup_field; ++k) line = line.substr(line.find(',') + 1);
  EXPECT_NEAR(std::stod(line.substr(0, line.find(','))),
              base["latency_ms"].get<double>() / ant["latency_ms"].get<double>(), 1e-9);
  // --input-shape reaches the ONNX workloads, and names its misuse.
  const CliResult no_onnx =
      run_strata({"compare", "-b", "configs/int8_sa_16nm.json", "-c", "configs/ant_os_28nm.json",
                  "-w", "alexnet", "--input-shape", "x=1x3x64x64"});
  EXPECT_EQ(no_onnx.exit_code, 2);
  EXPECT_NE(no_onnx.err.find("--input-shape: no workload is an ONNX model (.onnx)"),
            std::string::npos)
      << no_onnx.err;
  const CliResult onnx = run_strata(
      {"compare", "-b", "configs/int8_sa_16nm.json", "-c", "configs/ant_os_28nm.json", "-w",
       ".cache/weights/ch_PP-OCRv4_det_infer.onnx", "--input-shape", "x=1x3x64x64", "-q"});
  ASSERT_EQ(onnx.exit_code, 0) << onnx.err;
  EXPECT_NE(onnx.out.find("| .cache/weights/ch_PP-OCRv4_det_infer.onnx | "), std::string::npos)
      << onnx.out;
  const CliResult help = run_strata({"compare", "--help"});
  EXPECT_NE(help.out.find("ONNX model (.onnx)"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--input-shape"), std::string::npos) << help.out;
}

// The same design at half the clock: its cycles barely change (DRAM stalls shrink), its time
// doubles. A speedup is a ratio of time, so it is about 0.5, where the cycle ratio is about 1.1.
TEST(CliCompare, SpeedupsAreLatencyRatiosAcrossClocks) {
  const std::string d = make_temp_dir();
  const std::string slow =
      write_file(d, "slow.json",
                 R"({"include": ")" + std::string(STRATA_SOURCE_DIR) +
                     R"(/configs/int8_sa_16nm.json", "name": "slow", "clock": {"freq_mhz": 500}})");
  const CliResult r =
      run_strata({"compare", "-b", "configs/int8_sa_16nm.json", "-c", slow, "-w", "resnet18"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto totals = [&](const std::string& config, const std::string& out) {
    const CliResult run =
        run_strata({"run", "-c", config, "-w", "resnet18", "--out", d + "/" + out, "-q"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(read_file(d + "/" + out + "/report.json"))["totals"];
  };
  const nlohmann::json fast_totals = totals("configs/int8_sa_16nm.json", "fast");
  const nlohmann::json slow_totals = totals(slow, "slow");
  const double speedup =
      fast_totals["latency_ms"].get<double>() / slow_totals["latency_ms"].get<double>();
  const double cycle_ratio =
      fast_totals["cycles"].get<double>() / slow_totals["cycles"].get<double>();
  ASSERT_LT(speedup, 0.6);
  ASSERT_GT(cycle_ratio, 1.0);
  char row[64];
  std::snprintf(row, sizeof row, "| %.2f | %.2f |", speedup,
                (fast_totals["compute_cycles"].get<double>() / 1000.0) /
                    (slow_totals["compute_cycles"].get<double>() / 500.0));
  EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
  EXPECT_NE(r.out.find("| slow | 500 |"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strata::test
