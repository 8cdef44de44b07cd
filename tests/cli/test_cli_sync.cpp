// strata sync as a user runs it: outputs, determinism per seed, plots, and the pipeline's
// inference time against strata run on the same accelerator and workload.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace strata::test {
namespace {

using J = nlohmann::json;
const std::string kOutage = "configs/timesync/tcxo_gps_outage.json";

std::vector<std::string> data_files() {
  return {"sync_report.json", "time_error.csv", "skew_histogram.csv", "waveform.vcd",
          "config.resolved.json"};
}

TEST(CliSync, WritesEveryOutputAndTheReportFieldsScriptsUse) {
  const std::string out = make_temp_dir();
  const CliResult r = run_strata({"sync", kOutage, "--out", out, "--duration-s", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : data_files()) EXPECT_FALSE(read_file(out + "/" + f).empty()) << f;
  const J report = J::parse(read_file(out + "/sync_report.json"));
  ASSERT_EQ(report["pairs"].size(), 6u);  // 3 pairs x hardware, software
  for (const auto& p : report["pairs"]) {
    ASSERT_EQ(p["sensors"].size(), 2u);
    EXPECT_TRUE(p["method"] == "hardware" || p["method"] == "software");
    for (const char* k : {"mean", "p50", "p99", "max"})
      EXPECT_TRUE(p["skew_ns"][k].is_number()) << k;
  }
  ASSERT_EQ(report["holdover"].size(), 1u);
  EXPECT_TRUE(report["holdover"][0]["reconvergence_s"].is_number());
  // One time-error row per second of [0, 200), plus the header.
  const std::string csv = read_file(out + "/time_error.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 201);
  const std::string vcd = read_file(out + "/waveform.vcd");
  for (const char* s : {"$enddefinitions", "gnss_pps", "camera_trigger", "imu_trigger",
                        "lidar_trigger", "sync_counter_ns"}) {
    EXPECT_NE(vcd.find(s), std::string::npos) << s;
  }
  // Plots, where Debian's matplotlib is installed (scripts/setup.sh installs it).
  if (std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") == 0) {
    for (const char* png : {"time_error.png", "skew.png"}) {
      const std::string data = read_file(out + "/" + png);
      ASSERT_GT(data.size(), 1000u) << png;
      EXPECT_EQ(data.substr(1, 3), "PNG") << png;
    }
  }
}

TEST(CliSync, SameSeedSameBytesOtherSeedOtherNumbers) {
  const std::string a = make_temp_dir(), b = make_temp_dir(), c = make_temp_dir();
  for (const auto& dir : {a, b}) {
    ASSERT_EQ(
        run_strata({"sync", kOutage, "--out", dir, "--duration-s", "150", "--no-plots"}).exit_code,
        0);
  }
  ASSERT_EQ(run_strata({"sync", kOutage, "--out", c, "--duration-s", "150", "--no-plots", "--set",
                        "timesync.seed=2"})
                .exit_code,
            0);
  for (const auto& f : data_files()) {
    EXPECT_EQ(read_file(a + "/" + f), read_file(b + "/" + f)) << f;
  }
  EXPECT_NE(read_file(a + "/time_error.csv"), read_file(c + "/time_error.csv"));
  EXPECT_NE(J::parse(read_file(a + "/sync_report.json"))["pairs"],
            J::parse(read_file(c + "/sync_report.json"))["pairs"]);
}

// The same accelerator and workload, simulated alone by strata run and per frame by strata sync:
// the same inference time and energy.
TEST(CliSync, PipelineInferenceTimeAndEnergyEqualAStandaloneRun) {
  const std::string d = make_temp_dir();
  const std::string config =
      write_file(d, "pipe.json",
                 J{{"include", std::string(STRATA_SOURCE_DIR) + "/configs/default.json"},
                   {"timesync", {{"duration_s", 1}}},
                   {"sensors", {{"imu", {{"enabled", false}}}, {"lidar", {{"enabled", false}}}}},
                   {"pipeline", {{"enabled", true}, {"workload", "mobilenet_v1"}}}}
                     .dump());
  const CliResult s = run_strata({"sync", config, "--out", d + "/sync", "--no-plots"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const CliResult r = run_strata({"run", "--config", "configs/default.json", "--workload",
                                  "mobilenet_v1", "--out", d + "/run", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const J pipeline = J::parse(read_file(d + "/sync/sync_report.json"))["pipeline"];
  const J run = J::parse(read_file(d + "/run/report.json"));
  EXPECT_GE(pipeline["inferred"].get<int>(), 29);
  EXPECT_NEAR(pipeline["inference_ms"]["mean"].get<double>(),
              run["totals"]["latency_ms"].get<double>(), 1e-6);
  EXPECT_NEAR(pipeline["inference_ms"]["max"].get<double>(),
              run["totals"]["latency_ms"].get<double>(), 1e-6);
  // Energy per frame: the same counts x table as strata run's.
  const double energy = run["totals"]["energy_per_inference_uj"];
  EXPECT_NEAR(pipeline["energy_per_inference_uj"]["mean"].get<double>(), energy, 1e-6 * energy);
  EXPECT_NEAR(pipeline["energy_per_inference_uj"]["max"].get<double>(), energy, 1e-6 * energy);
  const std::string frames = read_file(d + "/sync/frames.csv");
  EXPECT_EQ(frames.rfind("frame,exposure_s,stamp_s,arrival_s,start_s,end_s,latency_ms", 0), 0u);
}

// Every example in configs/timesync/ runs (briefly) and reports what it was written to show.
TEST(CliSync, EveryExampleConfigRuns) {
  const std::string d = make_temp_dir();
  const std::vector<std::string> configs = {"tcxo_gps_outage", "xo_no_gps", "software_only",
                                            "camera_pipeline_s2ta"};
  for (const auto& c : configs) {
    const std::string out = d + "/" + c;
    const CliResult r = run_strata({"sync", "configs/timesync/" + c + ".json", "--out", out,
                                    "--duration-s", "2", "--no-plots", "-q"});
    ASSERT_EQ(r.exit_code, 0) << c << ": " << r.err;
    const J report = J::parse(read_file(out + "/sync_report.json"));
    EXPECT_EQ(report["mode"], c == "software_only" ? "software_only" : "hardware") << c;
    EXPECT_EQ(report.contains("pipeline"), c == "camera_pipeline_s2ta") << c;
  }
  EXPECT_EQ(list_dir(d).size(), configs.size());
}

}  // namespace
}  // namespace strata::test
