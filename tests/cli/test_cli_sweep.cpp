// strata sweep: spec validation for the whole spec before anything runs, rows for every point,
// failures recorded, and nothing lost or duplicated when a sweep is killed and resumed.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_runner.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/sweep/worker_pool.h"
#include "support/csv_matches_json.h"
#include "support/spawn.h"

extern char** environ;

namespace strata::test {
namespace {

// 16 points x 2 workloads. ResNet-34-face's rows are the cheap second workload (MobileNet-V1's
// take five times longer); a test that must stop a sweep midway asks for the slower rows.
std::string spec_text(const std::string& base, const std::string& second = "resnet34_face") {
  return R"({"base": ")" + base + R"(", "workloads": ["resnet18", ")" + second + R"("],
    "axes": {"array.rows": [16, 32, 64], "array.cols": {"from": 16, "to": 64, "factor": 2},
             "array.dataflow": ["os", "ws"]},
    "constraints": ["array.rows * array.cols <= 2048"]})";
}

size_t lines_in(const std::string& path) {
  if (!std::filesystem::exists(path)) return 0;
  const std::string s = read_file(path);
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CliSweep, EveryPointRunsAndTheTableIsSortedByPointId) {
  const std::string d = make_temp_dir();
  const std::string spec =
      write_file(d, "s.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  const CliResult r = run_strata({"sweep", spec, "--out", d + "/out", "-j", "2", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 3 x 3 x 2 = 18 points, 64x64 (4096 PEs) and 64x32 / 32x64 (2048 kept) -> 64x64 dropped: 2
  // points; 16 points x 2 workloads.
  const auto manifest = nlohmann::json::parse(read_file(d + "/out/sweep.json"));
  EXPECT_EQ(manifest["points"], 16);
  EXPECT_EQ(manifest["dropped_by_constraints"], 2);
  EXPECT_EQ(lines_in(d + "/out/results.jsonl"), 32u);
  const std::string csv = read_file(d + "/out/results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 33);
  EXPECT_EQ(csv.rfind("point,workload,status,array.rows,array.cols,array.dataflow,macs,cycles", 0),
            0u);
  // results.csv and results.jsonl come from one column list.
  std::vector<nlohmann::json> rows = read_sweep_rows(d + "/out/results.jsonl");
  std::sort(rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::make_pair(a["point"].get<std::string>(), a["workload"].get<std::string>()) <
           std::make_pair(b["point"].get<std::string>(), b["workload"].get<std::string>());
  });
  expect_csv_matches_json(csv, nlohmann::json(rows),
                          [](const nlohmann::json& row, const std::string& column) {
                            if (row["axes"].contains(column)) return row["axes"][column];
                            return column == "error" ? nlohmann::json(nullptr) : row.at(column);
                          });
  std::vector<std::string> ids;
  size_t pos = csv.find('\n') + 1;
  while (pos < csv.size()) {
    ids.push_back(csv.substr(pos, 16));
    pos = csv.find('\n', pos) + 1;
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_FALSE(std::filesystem::exists(d + "/out/work"));
  // Rerunning into the same directory without --resume is refused.
  const CliResult again = run_strata({"sweep", spec, "--out", d + "/out", "-q"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
}

// A paper config prepares its workload (workload.* keys): the sweep prepares it once into its
// cache, and every row equals a lone run without the cache.
// --inputs: every row runs in functional mode on the same photographs and carries the measured
// columns; the inputs are part of the plan, so results on other inputs are not resumed.
TEST(CliSweep, RowsRunOnTheInputsAndTheInputsArePartOfThePlan) {
  const std::string d = make_temp_dir();
  std::filesystem::create_directories(d + "/photos");
  std::filesystem::create_directories(d + "/other");
  const std::string data = "/usr/lib/python3/dist-packages/skimage/data";
  std::filesystem::copy_file(data + "/chelsea.png", d + "/photos/chelsea.png");
  std::filesystem::copy_file(data + "/coffee.png", d + "/photos/coffee.png");
  std::filesystem::copy_file(data + "/coffee.png", d + "/other/coffee.png");
  const std::string spec =
      write_file(d, "s.json",
                 R"({"base": ")" + std::string(STRATA_SOURCE_DIR) +
                     R"(/configs/optics/camera_int8_16nm.json", "workloads": ["faceres"],
          "axes": {"sensor.white_electrons": [100, 1000]}})");
  const CliResult r =
      run_strata({"sweep", spec, "--out", d + "/out", "--inputs", d + "/photos", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(read_file(d + "/out/sweep.json"));
  EXPECT_EQ(manifest["inputs"], d + "/photos");
  std::vector<nlohmann::json> rows = read_sweep_rows(d + "/out/results.jsonl");
  ASSERT_EQ(rows.size(), 2u);
  std::map<double, double> sqnr;
  for (const auto& row : rows) {
    ASSERT_EQ(row["status"], "ok") << row.dump();
    EXPECT_TRUE(row["vs_float_cosine_similarity"].is_number());
    sqnr[row["axes"]["sensor.white_electrons"].get<double>()] = row["sensor_sqnr_db"];
  }
  EXPECT_GT(sqnr.at(1000), sqnr.at(100) + 5);  // more light, less noise
  // The same rows on other inputs are another plan.
  const CliResult other =
      run_strata({"sweep", spec, "--out", d + "/out", "--inputs", d + "/other", "--resume", "-q"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("come from a different spec, shard or --inputs"), std::string::npos)
      << other.err;
}

// Workers run row after row, each in a fresh SystemC context (the default), and give the bytes
// that one process per row gives: nothing of one simulation leaks into the next.
TEST(CliSweep, WorkersRunningManyRowsGiveTheBytesOfOneProcessPerRow) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(d, "s.json",
                                      R"({"base": ")" + std::string(STRATA_SOURCE_DIR) +
                                          R"(/configs/default.json", "workloads": ["resnet18"],
          "axes": {"array.rows": [8, 16, 32, 64, 128], "array.cols": [8, 16, 32, 64, 128],
                   "array.dataflow": ["os", "ws"]}})");
  const CliResult many = run_strata({"sweep", spec, "--out", d + "/many", "-j", "2", "-q"});
  ASSERT_EQ(many.exit_code, 0) << many.err;
  const CliResult one =
      run_strata({"sweep", spec, "--out", d + "/one", "-j", "2", "-q", "--process-per-run"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(lines_in(d + "/many/results.jsonl"), 50u);
  EXPECT_EQ(read_file(d + "/many/results.csv"), read_file(d + "/one/results.csv"));
}

// The pool's side of the worker protocol, with a stand-in worker: a job whose worker dies fails
// alone with the signal, a failed job carries its stderr's last line, and every job is reported
// once.
// A worker that dies in a job is not the job's fault by itself: the job runs once more in a fresh
// worker (a kill -9 left a permanent error row before), and fails alone if that one dies too; the
// same with a process per job.
TEST(CliSweep, AWorkerDyingInAJobIsRetriedOnceThenFailsThatJobAlone) {
  const std::string d = make_temp_dir();
  const std::string marker = write_file(d, "marker", "");
  const std::string worker = write_file(d, "worker.sh", R"sh(#!/bin/sh
while IFS= read -r line; do
  case "$line" in
    *die*) kill -9 $$ ;;
    *once*) if rm ")sh" + marker + R"sh(" 2>/dev/null; then kill -9 $$; fi; echo "exit 0" ;;
    *fail*) echo "strata: error: bad point" > "$(echo "$line" | sed 's/.*"stderr":"\([^"]*\)".*/\1/')"
            echo "exit 2" ;;
    *) echo "exit 0" ;;
  esac
done
)sh");
  const std::string process = write_file(d, "process.sh", R"sh(#!/bin/sh
case "$1" in
  die) kill -9 $$ ;;
  once) if rm ")sh" + marker + R"sh(" 2>/dev/null; then kill -9 $$; fi; exit 0 ;;
  fail) echo "strata: error: bad point" >&2; exit 2 ;;
esac
exit 0
)sh");
  for (const std::string& program : {worker, process}) {
    std::filesystem::permissions(program, std::filesystem::perms::owner_all);
    write_file(d, "marker", "");
    std::vector<WorkerJob> jobs;
    for (const char* what : {"ok", "die", "once", "fail", "ok", "die", "ok"}) {
      jobs.push_back({{what}, d + "/e" + std::to_string(jobs.size())});
    }
    if (program == worker) {
      for (auto& j : jobs) j.args.insert(j.args.begin(), "run");
    }
    std::map<size_t, WorkerResult> results;
    run_workers(
        program, jobs, 2,
        [&](const WorkerResult& r) {
          EXPECT_TRUE(results.emplace(r.index, r).second) << "job " << r.index << " reported twice";
        },
        nullptr, program == process);
    ASSERT_EQ(results.size(), jobs.size()) << program;
    for (size_t i = 0; i < jobs.size(); ++i) {
      const std::string what = jobs[i].args.back();
      const int expected = what == "fail" ? 2 : what == "die" ? -9 : 0;
      EXPECT_EQ(results[i].exit_code, expected) << program << " job " << i;
    }
    EXPECT_FALSE(std::filesystem::exists(marker)) << program << ": the job that dies once ran";
    EXPECT_EQ(results[3].error, "bad point") << program;
    EXPECT_EQ(results[1].error, "the worker died of signal 9 (Killed), twice (it was retried once)")
        << program;
  }
}

// The disk fills while rows are appended (a 4 KiB file size limit, SIGXFSZ ignored): one line
// naming the reason (it said "Success" before), only whole rows kept, and --resume completes the
// table of an uninterrupted sweep.
TEST(CliSweep, AFullDiskKeepsWholeRowsAndResumeCompletesTheTable) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(
      d, "spec.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/whole", "-q"}).exit_code, 0);
  const auto full = spawn_shell("trap '' XFSZ; ulimit -f 4; exec " + std::string(STRATA_BINARY) +
                                    " sweep " + spec + " --out " + d + "/out -q",
                                STRATA_SOURCE_DIR, d + "/full.out", d + "/full.err");
  const std::string err = read_file(d + "/full.err");
  EXPECT_EQ(full.exit_code, 2) << err;
  EXPECT_NE(err.find("results.jsonl: cannot append a row: File too large"), std::string::npos)
      << err;
  const std::string rows = read_file(d + "/out/results.jsonl");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back(), '\n') << "a cut-off row was left";
  const CliResult resumed = run_strata({"sweep", spec, "--out", d + "/out", "--resume", "-q"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_file(d + "/out/results.csv"), read_file(d + "/whole/results.csv"));
}

// A real sweep whose worker is killed in a job gives the table of an uninterrupted one.
TEST(CliSweep, AKilledWorkerLeavesTheTableOfAnUninterruptedSweep) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(
      d, "spec.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/whole", "-j", "2", "-q"}).exit_code, 0);
  const std::string marker = write_file(d, "kill_marker", "");
  setenv("STRATA_FAULT_KILL_WORKER", marker.c_str(), 1);
  const CliResult killed = run_strata({"sweep", spec, "--out", d + "/killed", "-j", "2", "-q"});
  unsetenv("STRATA_FAULT_KILL_WORKER");
  ASSERT_EQ(killed.exit_code, 0) << killed.err;
  EXPECT_TRUE(std::filesystem::exists(marker + ".claimed")) << "no worker was killed";
  EXPECT_EQ(read_file(d + "/killed/results.csv"), read_file(d + "/whole/results.csv"));
}

TEST(CliSweep, PreparedWorkloadsAreSharedByThePoints) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(d, "s.json",
                                      R"({"base": ")" + std::string(STRATA_SOURCE_DIR) +
                                          R"(/configs/int8_sa_16nm.json", "workloads": ["resnet18"],
          "axes": {"array.rows": [16, 32], "array.dataflow": ["os", "ws"]}})");
  const CliResult r = run_strata({"sweep", spec, "--out", d + "/out", "-j", "2", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(list_dir(d + "/out/cache").size(), 1u);
  const std::vector<nlohmann::json> rows = read_sweep_rows(d + "/out/results.jsonl");
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    const std::string out = d + "/lone_" + row["point"].get<std::string>();
    const CliResult lone =
        run_strata({"run", "--config", "configs/int8_sa_16nm.json", "--workload", "resnet18",
                    "--set", "array.rows=" + row["axes"]["array.rows"].dump(), "--set",
                    "array.dataflow=" + row["axes"]["array.dataflow"].get<std::string>(),
                    "--no-cache", "--out", out, "-q"});
    ASSERT_EQ(lone.exit_code, 0) << lone.err;
    const auto report = nlohmann::json::parse(read_file(out + "/report.json"));
    EXPECT_EQ(row["cycles"], report["totals"]["cycles"]);
    EXPECT_EQ(row["energy_pj"], report["totals"]["energy_pj"]);
  }
}

TEST(CliSweep, SpecProblemsAreAllReportedBeforeAnythingRuns) {
  const std::string d = make_temp_dir();
  const std::string base = std::string(STRATA_SOURCE_DIR) + "/configs/default.json";
  const std::string bad =
      write_file(d, "bad.json", R"({"base": ")" + base + R"(", "workloads": ["resnet18"],
          "axes": {"array.rows": [16, -4, 32], "array.dataflow": ["os", "xs"]}})");
  const CliResult r = run_strata({"sweep", bad, "--out", d + "/out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2 problems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("axes.array.rows[1] (-4)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("axes.array.dataflow[1] (\"xs\")"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d + "/out"));
  const std::string unknown = write_file(
      d, "unknown.json",
      R"({"base": ")" + base + R"(", "workloads": ["resnet18"], "axes": {"array.rowz": [16]}})");
  EXPECT_NE(run_strata({"sweep", unknown, "--out", d + "/o2"}).err.find("axes.array.rowz[0]"),
            std::string::npos);
  const std::string constraint = write_file(
      d, "c.json",
      R"({"base": ")" + base + R"(", "workloads": ["resnet18"], "axes": {"array.rows": [16]},
          "constraints": ["array.rows <= (4"]})");
  const CliResult c = run_strata({"sweep", constraint, "--out", d + "/o3"});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("constraints[0]: expected ')' at offset"), std::string::npos) << c.err;
}

TEST(CliSweep, FailedPointsAreRecordedAndTheSweepGoesOn) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(
      d, "s.json", R"({"base": ")" + std::string(STRATA_SOURCE_DIR) + R"(/configs/default.json",
          "workloads": ["resnet18", "no_such_model"], "axes": {"array.rows": [16, 32]}})");
  const CliResult r = run_strata({"sweep", spec, "--out", d + "/out", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = read_file(d + "/out/results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(csv.find(",no_such_model,error,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("not a zoo model"), std::string::npos) << csv;
}

// kill -9 at some moment, then --resume: the final table equals an uninterrupted run's.
// A sweep's workers die with it: one whose pool is already gone when it starts exits at once
// without running (and the kernel kills running ones when the pool dies: PR_SET_PDEATHSIG), so a
// resume never races an orphan writing into work/.
TEST(CliSweep, AWorkerWhosePoolIsGoneDoesNotRun) {
  const std::string d = make_temp_dir();
  const auto r =
      spawn_shell("STRATA_WORKER_PARENT=1 " STRATA_BINARY " run -w resnet18 --out " + d + "/o", d,
                  d + "/out.txt", d + "/err.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(d + "/o"));
}

TEST(CliSweep, KilledAndResumedSweepGivesTheSameTable) {
  const std::string d = make_temp_dir();
  const std::string spec = write_file(
      d, "s.json",
      spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json", "mobilenet_v1"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/whole", "-j", "2", "-q"}).exit_code, 0);
  for (size_t kill_after : {1u, 9u, 20u}) {
    const std::string out = d + "/killed" + std::to_string(kill_after);
    std::vector<std::string> args = {STRATA_BINARY, "sweep", spec, "--out", out, "-j", "2", "-q"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, STRATA_BINARY, nullptr, nullptr, argv.data(), environ), 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (lines_in(out + "/results.jsonl") < kill_after &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const size_t before = lines_in(out + "/results.jsonl");
    EXPECT_GE(before, kill_after);
    EXPECT_LT(before, 32u);  // it was stopped before the end
    // The killed run's scratch (its workers' directories) goes with the resume.
    std::filesystem::create_directories(out + "/work/12345_deadbeef_0");
    const CliResult resumed =
        run_strata({"sweep", spec, "--out", out, "--resume", "-j", "2", "-q"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(lines_in(out + "/results.jsonl"), 32u) << "killed after " << before;
    EXPECT_EQ(read_file(out + "/results.csv"), read_file(d + "/whole/results.csv"));
    EXPECT_FALSE(std::filesystem::exists(out + "/work"));
  }
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// Three shards run apart and merged give the table of the whole sweep; a missing or doubled shard,
// or one from another plan, is refused.
TEST(CliSweep, ShardsMergeIntoTheWholeTable) {
  const std::string d = make_temp_dir();
  const std::string spec =
      write_file(d, "s.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/whole", "-q"}).exit_code, 0);
  std::vector<std::string> shards;
  size_t rows = 0;
  for (int i = 0; i < 3; ++i) {
    shards.push_back(d + "/shard" + std::to_string(i));
    const CliResult r = run_strata(
        {"sweep", spec, "--out", shards.back(), "--shard", std::to_string(i) + "/3", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows += lines_in(shards.back() + "/results.jsonl");
  }
  EXPECT_EQ(rows, 32u);
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), shards.begin(), shards.end());
  args.insert(args.end(), {"--out", d + "/merged"});
  const CliResult m = run_strata(args);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(read_file(d + "/merged/results.csv"), read_file(d + "/whole/results.csv"));
  const CliResult missing = run_strata({"merge", shards[0], shards[2], "--out", d + "/m2"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("shard 1/3 is missing"), std::string::npos) << missing.err;
  const CliResult twice =
      run_strata({"merge", shards[0], shards[1], shards[1], "--out", d + "/m3"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("is given twice"), std::string::npos) << twice.err;
  const CliResult shard_arg = run_strata({"sweep", spec, "--out", d + "/bad", "--shard", "3/3"});
  EXPECT_EQ(shard_arg.exit_code, 2);
  EXPECT_NE(shard_arg.err.find("--shard: expected i/N"), std::string::npos) << shard_arg.err;
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

TEST(CliSweep, ParetoFrontOfTheResults) {
  const std::string d = make_temp_dir();
  const std::string spec =
      write_file(d, "s.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/out", "-q"}).exit_code, 0);
  const CliResult p = run_strata(
      {"pareto", d + "/out/results.csv", "--x", "energy_per_inference_uj", "--y", "latency_ms"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.out.find("resnet18: "), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("resnet34_face: "), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("| point | array.rows | array.cols | array.dataflow | "
                       "energy_per_inference_uj | latency_ms |"),
            std::string::npos)
      << p.out;
  const CliResult bad =
      run_strata({"pareto", d + "/out/results.csv", "--x", "speed", "--y", "latency_ms"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no column 'speed'"), std::string::npos) << bad.err;
  // One clock: a cycles axis needs no note.
  const CliResult cycles =
      run_strata({"pareto", d + "/out/results.csv", "--x", "energy_pj", "--y", "cycles"});
  ASSERT_EQ(cycles.exit_code, 0) << cycles.err;
  EXPECT_EQ(cycles.err, "");
}

// Rows at two clocks ranked by cycles: ranked as asked, with a note that cycles are not time.
TEST(CliSweep, ParetoNotesACyclesAxisOverClocks) {
  const std::string d = make_temp_dir();
  const std::string csv = write_file(d, "results.csv",
                                     "point,workload,status,clock.freq_mhz,macs,cycles,latency_ms,"
                                     "energy_pj,freq_mhz\n"
                                     "0,w,ok,500,10,100,0.2,5,500\n"
                                     "1,w,ok,1000,10,150,0.15,4,1000\n");
  const CliResult c = run_strata({"pareto", csv, "--x", "cycles", "--y", "energy_pj"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.err.find("cycles is counted at each design's clock and the rows run at 2 clocks"),
            std::string::npos)
      << c.err;
  EXPECT_NE(c.out.find("2 of 2 points"), std::string::npos) << c.out;
  const CliResult t = run_strata({"pareto", csv, "--x", "latency_ms", "--y", "energy_pj"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(t.err, "");
  EXPECT_NE(t.out.find("1 of 2 points"), std::string::npos) << t.out;
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// The multi-host recipe of docs/sweeps.md, run locally: GNU parallel starts the shards, merge joins
// them into the table of the whole sweep.
TEST(CliSweep, GnuParallelShardsMergeIntoTheWholeTable) {
  const std::string d = make_temp_dir();
  const std::string spec =
      write_file(d, "s.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/whole", "-q"}).exit_code, 0);
  const std::string command = "parallel --halt now,fail=1 '" + std::string(STRATA_BINARY) +
                              " sweep " + spec + " --out " + d + "/shard{} --shard {}/4 -j 1 -q'" +
                              " ::: 0 1 2 3 > " + d + "/parallel.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_file(d + "/parallel.log");
  const CliResult m = run_strata({"merge", d + "/shard0", d + "/shard1", d + "/shard2",
                                  d + "/shard3", "--out", d + "/merged"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(read_file(d + "/merged/results.csv"), read_file(d + "/whole/results.csv"));
}

}  // namespace
}  // namespace strata::test

namespace strata::test {
namespace {

// scripts/plot_sweep.py draws the scatter with the front and the per-axis trends as PNG files.
TEST(CliSweep, PlotScriptWritesPngs) {
  const std::string d = make_temp_dir();
  const std::string spec =
      write_file(d, "s.json", spec_text(std::string(STRATA_SOURCE_DIR) + "/configs/default.json"));
  ASSERT_EQ(run_strata({"sweep", spec, "--out", d + "/out", "-q"}).exit_code, 0);
  const std::string command = std::string("/usr/bin/python3 ") + STRATA_SOURCE_DIR +
                              "/scripts/plot_sweep.py " + d + "/out/results.csv --x " +
                              "energy_per_inference_uj --y latency_ms --out " + d + "/plots " +
                              "--strata " + STRATA_BINARY + " > " + d + "/plot.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_file(d + "/plot.log");
  for (const char* png : {"pareto.png", "trends.png"}) {
    const std::string bytes = read_file(d + "/plots/" + png);
    EXPECT_GT(bytes.size(), 10000u) << png;
    EXPECT_EQ(bytes.substr(1, 3), "PNG") << png;
  }
  // Titled by the sweep's spec (s.json), not the output folder ("out"); axes say which way is
  // better rather than "(min)", which reads as minutes.
  const std::string pareto = read_file(d + "/plots/pareto.png");
  EXPECT_NE(pareto.find("s: 16 design points (resnet18, resnet34_face)"), std::string::npos);
  EXPECT_NE(
      read_file(d + "/plots/trends.png").find("s: best and median latency_ms along each axis"),
      std::string::npos);
  const std::string titled =
      std::string("/usr/bin/python3 ") + STRATA_SOURCE_DIR + "/scripts/plot_sweep.py " + d +
      "/out/results.csv --x " + "energy_per_inference_uj --y latency_ms --title 'array shapes' " +
      "--out " + d + "/plots2 --strata " + STRATA_BINARY + " > " + d + "/plot2.log 2>&1";
  ASSERT_EQ(std::system(titled.c_str()), 0) << read_file(d + "/plot2.log");
  EXPECT_NE(read_file(d + "/plots2/pareto.png").find("array shapes: 16 design points"),
            std::string::npos);
  const std::string bad = std::string("/usr/bin/python3 ") + STRATA_SOURCE_DIR +
                          "/scripts/plot_sweep.py " + d + "/out/results.csv --x speed --y " +
                          "latency_ms --out " + d + "/p2 > " + d + "/bad.log 2>&1";
  EXPECT_NE(std::system(bad.c_str()), 0);
  EXPECT_NE(read_file(d + "/bad.log").find("no column 'speed'"), std::string::npos);
}

}  // namespace
}  // namespace strata::test
