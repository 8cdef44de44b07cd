// strata pipeline as a user runs it, checked against independent figures: one engine and one node
// reproduce strata sync's pipeline and strata run; engines whose traffic never meets are
// independent; two memory-bound engines on one DRAM channel share its bandwidth as the closed form
// says; the same inputs give the same bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_runner.h"

namespace strata::test {
namespace {

using J = nlohmann::json;

const std::string kSource = STRATA_SOURCE_DIR;

// frames.csv as rows of column -> text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream header(line);
  for (std::string f; std::getline(header, f, ',');) names.push_back(f);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::map<std::string, std::string> row;
    std::stringstream fields(line);
    size_t i = 0;
    for (std::string f; std::getline(fields, f, ',') && i < names.size(); ++i) row[names[i]] = f;
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::map<std::string, std::string>> jobs_of(const std::string& out,
                                                        const std::string& node) {
  std::vector<std::map<std::string, std::string>> jobs;
  for (auto& row : read_csv(out + "/frames.csv"))
    if (row["node"] == node && row["state"] == "done") jobs.push_back(row);
  return jobs;
}

double num(const std::map<std::string, std::string>& row, const std::string& key) {
  return std::stod(row.at(key));
}

J dnn_node(const std::string& name, const std::string& engine, const std::string& workload,
           const std::string& input) {
  return {{"name", name},         {"kind", "dnn"},     {"engine", engine},
          {"workload", workload}, {"inputs", {input}}, {"queue_depth", 1}};
}

J engine(const std::string& name) {
  return {{"name", name}, {"config", kSource + "/configs/default.json"}};
}

// A config with the camera alone (or with a LiDAR at `lidar_phase_us`), one second.
J base_config(double lidar_phase_us = -1) {
  J sensors = {{"imu", {{"enabled", false}}}, {"lidar", {{"enabled", false}}}};
  if (lidar_phase_us >= 0) sensors["lidar"] = {{"rate_hz", 30}, {"phase_us", lidar_phase_us}};
  return {{"timesync", {{"duration_s", 1}}}, {"sensors", sensors}};
}

std::string run_pipeline(const std::string& dir, const std::string& name, const J& config) {
  const std::string path = write_file(dir, name + ".json", config.dump());
  const std::string out = dir + "/" + name;
  const CliResult r = run_strata({"pipeline", path, "--out", out, "--no-plots", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

TEST(CliPipeline, OneEngineOneNodeReproducesStrataSyncAndStrataRun) {
  const std::string d = make_temp_dir();
  J pipe = base_config();
  pipe["engines"] = J::array({engine("npu")});
  pipe["nodes"] = J::array({dnn_node("infer", "npu", "mobilenet_v1", "camera")});
  pipe["sink"] = "infer";
  const std::string out = run_pipeline(d, "pipe", pipe);

  J sync = base_config();
  sync["include"] = kSource + "/configs/default.json";
  sync["pipeline"] = {{"enabled", true}, {"workload", "mobilenet_v1"}};
  const std::string sync_path = write_file(d, "sync.json", sync.dump());
  ASSERT_EQ(run_strata({"sync", sync_path, "--out", d + "/sync", "--no-plots", "-q"}).exit_code, 0);
  const CliResult run = run_strata({"run", "--config", "configs/default.json", "--workload",
                                    "mobilenet_v1", "--out", d + "/run", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // Frame by frame, the same start and end as strata sync's.
  std::map<std::string, std::map<std::string, std::string>> by_frame;
  for (auto& row : read_csv(d + "/sync/frames.csv")) by_frame[row["frame"]] = row;
  const auto jobs = jobs_of(out, "infer");
  ASSERT_GE(jobs.size(), 29u);
  for (const auto& j : jobs) {
    ASSERT_TRUE(by_frame.count(j.at("frame"))) << j.at("frame");
    const auto& s = by_frame[j.at("frame")];
    EXPECT_NEAR(num(j, "start_s"), num(s, "start_s"), 1e-9) << j.at("frame");
    EXPECT_NEAR(num(j, "end_s"), num(s, "end_s"), 1e-9) << j.at("frame");
  }
  // Each job: strata run's latency and energy.
  const J totals = J::parse(read_file(d + "/run/report.json"))["totals"];
  const double latency_s = totals["latency_ms"].get<double>() * 1e-3;
  const double energy_uj = totals["energy_per_inference_uj"];
  for (const auto& j : jobs) {
    EXPECT_NEAR(num(j, "end_s") - num(j, "start_s"), latency_s, 2e-9);
    EXPECT_NEAR(num(j, "energy_uj"), energy_uj, 1e-5 * energy_uj);
  }
  const J report = J::parse(read_file(out + "/pipeline_report.json"));
  const J sync_report = J::parse(read_file(d + "/sync/sync_report.json"));
  EXPECT_EQ(report["frames"]["actuated"], sync_report["pipeline"]["inferred"]);
}

// A layer streaming 16 MiB of weights for 16 M MACs: DRAM-bound on the 32x32 array.
std::string memory_bound_workload(const std::string& dir) {
  return write_file(
      dir, "fc.json",
      J{{"name", "fc"},
        {"format_version", 1},
        {"layers", {{{"name", "fc"}, {"type", "gemm"}, {"m", 1}, {"k", 4096}, {"n", 4096}}}}}
          .dump());
}

TEST(CliPipeline, TwoMemoryBoundEnginesShareTheBandwidthAsTheClosedFormSays) {
  const std::string d = make_temp_dir();
  const std::string fc = memory_bound_workload(d);
  J alone = base_config();
  alone["engines"] = J::array({engine("a")});
  alone["nodes"] = J::array({dnn_node("x", "a", fc, "camera")});
  alone["sink"] = "x";
  J pair = base_config();
  pair["engines"] = J::array({engine("a"), engine("b")});
  pair["nodes"] = J::array({dnn_node("x", "a", fc, "camera"), dnn_node("y", "b", fc, "camera")});
  pair["sink"] = "x";
  const std::string one = run_pipeline(d, "alone", alone);
  const std::string two = run_pipeline(d, "pair", pair);

  const auto solo = jobs_of(one, "x");
  const auto x = jobs_of(two, "x"), y = jobs_of(two, "y");
  ASSERT_FALSE(solo.empty());
  ASSERT_EQ(x.size(), solo.size());
  ASSERT_EQ(y.size(), solo.size());
  const double t_alone = num(solo[0], "end_s") - num(solo[0], "start_s");
  // Alone, the layer takes its bytes over the channel's bandwidth (25.6 GB/s) and little more.
  const double bytes = 4096.0 * 4096.0 + 4096.0 + 4096.0;
  const double transfer_s = bytes / 25.6e9;
  EXPECT_GT(t_alone, transfer_s);
  EXPECT_LT(t_alone, 1.05 * transfer_s);
  for (size_t i = 0; i < x.size(); ++i) {
    // Together, both start at once and the bus carries both streams: the pair ends when twice
    // the bytes are through, each at about half the bandwidth.
    const double start = std::min(num(x[i], "start_s"), num(y[i], "start_s"));
    const double end = std::max(num(x[i], "end_s"), num(y[i], "end_s"));
    EXPECT_NEAR(end - start, 2 * t_alone, 0.03 * t_alone) << i;
    for (const auto* job : {&x[i], &y[i]}) {
      const double t = num(*job, "end_s") - num(*job, "start_s");
      EXPECT_GT(t, 1.9 * t_alone) << i;
      EXPECT_LT(t, 2.03 * t_alone) << i;
    }
  }
}

TEST(CliPipeline, EnginesWhoseTrafficNeverMeetsAreIndependent) {
  const std::string d = make_temp_dir();
  const std::string fc = memory_bound_workload(d);
  J alone = base_config(16000);
  alone["engines"] = J::array({engine("a")});
  alone["nodes"] = J::array({dnn_node("x", "a", fc, "camera")});
  alone["sink"] = "x";
  // The LiDAR's data lands ~4 ms after the camera's: engine b runs when a is idle.
  J pair = base_config(16000);
  pair["engines"] = J::array({engine("a"), engine("b")});
  pair["nodes"] = J::array({dnn_node("x", "a", fc, "camera"), dnn_node("y", "b", fc, "lidar")});
  pair["sink"] = "x";
  const std::string one = run_pipeline(d, "alone", alone);
  const std::string two = run_pipeline(d, "pair", pair);
  const auto solo = jobs_of(one, "x"), x = jobs_of(two, "x"), y = jobs_of(two, "y");
  ASSERT_EQ(x.size(), solo.size());
  ASSERT_FALSE(y.empty());
  const double t_alone = num(solo[0], "end_s") - num(solo[0], "start_s");
  for (size_t i = 0; i < x.size(); ++i) {
    for (const char* k : {"start_s", "end_s", "energy_uj"}) EXPECT_EQ(x[i].at(k), solo[i].at(k));
  }
  for (const auto& job : y) EXPECT_NEAR(num(job, "end_s") - num(job, "start_s"), t_alone, 2e-9);
}

TEST(CliPipeline, SameConfigSameBytes) {
  const std::string d = make_temp_dir();
  for (const char* out : {"a", "b"}) {
    const CliResult r = run_strata({"pipeline", "configs/pipelines/drone.json", "--out",
                                    d + "/" + out, "--duration-s", "1", "--no-plots", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const char* f :
       {"pipeline_report.json", "frames.csv", "trace.json", "config.resolved.json"}) {
    const std::string a = read_file(d + "/a/" + f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_EQ(a, read_file(d + "/b/" + f)) << f;
  }
  // The trace is Chrome trace-event JSON: complete events with a start and a duration.
  const J trace = J::parse(read_file(d + "/a/trace.json"));
  int complete = 0;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    ++complete;
    EXPECT_GE(e["dur"].get<double>(), 0);
  }
  EXPECT_GT(complete, 100);
  // The trace covers pipeline.trace_s of simulated time: no sample or release after it.
  const CliResult r =
      run_strata({"pipeline", "configs/pipelines/drone.json", "--out", d + "/w", "--duration-s",
                  "1", "--no-plots", "-q", "--set", "pipeline.trace_s=0.1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const J window = J::parse(read_file(d + "/w/trace.json"));
  EXPECT_EQ(window["otherData"]["window_s"], 0.1);
  size_t samples = 0;
  for (const auto& e : window["traceEvents"]) {
    if (e.value("cat", "") != "sensor") continue;
    ++samples;
    EXPECT_LE(e["ts"].get<double>(), 1e5);
  }
  EXPECT_GT(samples, 40u);  // 400 Hz IMU and 30 Hz camera over 0.1 s
  EXPECT_LT(read_file(d + "/w/trace.json").size(), read_file(d + "/a/trace.json").size() / 5);
}

// Every example in configs/pipelines/ runs (briefly), actuates frames and draws its Gantt chart.
TEST(CliPipeline, EveryExampleConfigRuns) {
  const std::string d = make_temp_dir();
  const std::vector<std::string> configs = {"drone", "drone_software_stamps", "video_lidar_motion",
                                            "video_lidar_motion_software_stamps",
                                            "video_optical_flow"};
  const bool plots = std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") == 0;
  for (const auto& c : configs) {
    const std::string out = d + "/" + c;
    const CliResult r = run_strata(
        {"pipeline", "configs/pipelines/" + c + ".json", "--out", out, "--duration-s", "0.5"});
    ASSERT_EQ(r.exit_code, 0) << c << ": " << r.err;
    const J report = J::parse(read_file(out + "/pipeline_report.json"));
    EXPECT_EQ(report["name"], c);
    EXPECT_GE(report["frames"]["actuated"].get<int>(), 10) << c;
    EXPECT_EQ(report["timestamps"],
              c.find("software") != std::string::npos ? "software" : "hardware");
    if (plots) {
      EXPECT_EQ(read_file(out + "/gantt.png").substr(1, 3), "PNG") << c;
    }
  }
}

// Frames arriving faster than they are served: at 59 Hz and above the drone's camera outruns its
// engines. Each wake was re-armed for every pending time on every wake, so the kernel's event
// queue grew without bound (59 Hz never ended); any documented rate finishes, with drops counted.
TEST(CliPipeline, AFasterCameraThanTheEnginesFinishesWithDrops) {
  const std::string d = make_temp_dir();
  for (const std::string rate : {"59", "1000"}) {
    const std::string out = d + "/r" + rate;
    const CliResult r =
        run_strata({"pipeline", "configs/pipelines/drone.json", "--out", out, "--duration-s", "0.3",
                    "--set", "sensors.camera.rate_hz=" + rate, "--no-plots", "-q"});
    ASSERT_EQ(r.exit_code, 0) << rate << ": " << r.err;
    const J frames = J::parse(read_file(out + "/pipeline_report.json"))["frames"];
    EXPECT_GE(frames["sampled"].get<int>(), rate == "59" ? 17 : 299) << frames.dump();
    EXPECT_EQ(frames["sampled"].get<int>(), frames["actuated"].get<int>() +
                                                frames["dropped"].get<int>() +
                                                frames["in_flight_at_end"].get<int>())
        << frames.dump();
    if (rate == "1000") {
      EXPECT_GT(frames["dropped"].get<int>(), 200) << frames.dump();
    }
  }
}

// Engines without DNN nodes: one unused, one serving vector work alone (an internal error before).
TEST(CliPipeline, EnginesWithoutDnnNodes) {
  const std::string d = make_temp_dir();
  J pipe = base_config();
  pipe["engines"] = J::array({engine("npu"), engine("spare"), engine("vec")});
  J warp = {{"name", "warp"}, {"kind", "vector"},   {"engine", "vec"},
            {"op", "warp"},   {"elements", 100000}, {"inputs", {"camera"}}};
  pipe["nodes"] = J::array({dnn_node("infer", "npu", "alexnet", "camera"), warp});
  pipe["sink"] = "infer";
  const std::string out = run_pipeline(d, "pipe", pipe);
  const J report = J::parse(read_file(out + "/pipeline_report.json"));
  std::map<std::string, double> utilization;
  for (const auto& r : report["resources"]) {
    if (r.contains("utilization")) utilization[r["name"]] = r["utilization"];
  }
  EXPECT_EQ(utilization.at("spare"), 0.0);
  EXPECT_GT(utilization.at("vec"), 0.0);
  EXPECT_GE(jobs_of(out, "warp").size(), 29u);
}

// A chain of 1,000 host nodes after the camera: delivery finds a producer's readers directly and
// each resource picks among its queued nodes only (every node was scanned on every delivery and
// every dispatch: over 120 s for 1 s of simulated time).
TEST(CliPipeline, AThousandNodeChainRuns) {
  const std::string d = make_temp_dir();
  J pipe = base_config();
  pipe["engines"] = J::array({engine("npu")});  // unused: host nodes alone
  J nodes = J::array();
  for (int i = 0; i < 1000; ++i) {
    nodes.push_back({{"name", "h" + std::to_string(i)},
                     {"kind", "host"},
                     {"kernel", "ekf_update"},
                     {"elements", 1},
                     {"inputs", {i == 0 ? std::string("camera") : "h" + std::to_string(i - 1)}}});
  }
  pipe["nodes"] = nodes;
  pipe["sink"] = "h999";
  pipe["timesync"]["duration_s"] = 0.2;
  const std::string out = run_pipeline(d, "chain", pipe);
  const J report = J::parse(read_file(out + "/pipeline_report.json"));
  EXPECT_GE(report["frames"]["actuated"].get<int>(), 5) << report["frames"].dump();
  EXPECT_EQ(report["nodes"].size(), 1000u);
}

}  // namespace
}  // namespace strata::test
