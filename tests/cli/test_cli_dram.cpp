// The banked DRAM through the CLI (docs/dram.md): same inputs give the same bytes, the energy
// split adds up, a memory-bound layer runs at the streaming closed form, a simple DRAM's report
// leaves the banked columns null, and a pipeline's engines share the banked channels.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace strata::test {
namespace {

const std::vector<std::string> kBanked = {
    "--set", "dram.model=banked", "--set", "dram.preset=lpddr4_3200", "--set", "dram.channels=4"};

nlohmann::json run_report(const std::string& out, std::vector<std::string> args) {
  args.insert(args.end(), {"--out", out, "-q"});
  const CliResult r = run_strata(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(read_file(out + "/report.json"));
}

TEST(BankedDram, RunsAreByteIdenticalAndTheEnergySplitAddsUp) {
  const std::string a = make_temp_dir(), b = make_temp_dir();
  std::vector<std::string> args = {"run", "--workload", "resnet18"};
  args.insert(args.end(), kBanked.begin(), kBanked.end());
  const auto report = run_report(a, args);
  run_report(b, args);
  EXPECT_EQ(read_file(a + "/report.json"), read_file(b + "/report.json"));
  EXPECT_EQ(read_file(a + "/layers.csv"), read_file(b + "/layers.csv"));
  EXPECT_EQ(report["totals"]["dram_peak_bandwidth_gbps"], 25.6);
  for (const auto& row : report["layers"]) {
    const double split =
        row["energy_dram_activate_pj"].get<double>() + row["energy_dram_read_pj"].get<double>() +
        row["energy_dram_write_pj"].get<double>() + row["energy_dram_refresh_pj"].get<double>() +
        row["energy_dram_standby_pj"].get<double>();
    EXPECT_NEAR(split, row["energy_dram_pj"].get<double>(), 1e-6 * split) << row["name"];
    EXPECT_LE(row["dram_achieved_bandwidth_gbps"].get<double>(), 25.6) << row["name"];
    EXPECT_GT(row["dram_row_hits"].get<int64_t>(), 0) << row["name"];
  }
  // Every burst is a hit, a miss or a conflict.
  int64_t bursts = 0;
  for (const auto& s : report["stats"]) {
    if (s["path"] == "soc.dram.read_bursts" || s["path"] == "soc.dram.write_bursts") {
      bursts += s["value"].get<int64_t>();
    }
  }
  const auto& t = report["totals"];
  EXPECT_EQ(t["dram_row_hits"].get<int64_t>() + t["dram_row_misses"].get<int64_t>() +
                t["dram_row_conflicts"].get<int64_t>(),
            bursts);
}

// A GEMV streams 16 MiB of weights through one LPDDR4 channel: the layer runs at the streaming
// closed form, peak x (1 - (tRTP + tRP + tRFC + tRCD - tBURST) / tREFI) = 6.4 x (1 - 510 / 6246).
TEST(BankedDram, AMemoryBoundLayerRunsAtTheStreamingClosedForm) {
  const std::string d = make_temp_dir();
  write_file(d, "gemv.json",
             R"({"name": "gemv", "layers": [{"name": "fc", "type": "gemm", "m": 1, "k": 4096,
                 "n": 4096}]})");
  const auto report = run_report(d + "/out", {"run", "--workload", d + "/gemv.json", "--set",
                                              "dram.model=banked", "--set", "dram.channels=1"});
  const double closed_form = 6.4 * (1.0 - 510.0 / 6246.0);
  EXPECT_NEAR(report["totals"]["dram_achieved_bandwidth_gbps"].get<double>() / closed_form, 1.0,
              0.02);
}

TEST(BankedDram, ASimpleDramLeavesTheBankedColumnsNull) {
  const std::string d = make_temp_dir();
  const auto report = run_report(d, {"run", "--workload", "alexnet"});
  for (const char* column :
       {"dram_row_hits", "dram_row_misses", "dram_row_conflicts", "dram_refresh_ns",
        "dram_mean_queue_delay_ns", "energy_dram_activate_pj", "energy_dram_standby_pj"}) {
    EXPECT_TRUE(report["totals"][column].is_null()) << column;
  }
  EXPECT_EQ(report["totals"]["dram_peak_bandwidth_gbps"], 25.6);
  EXPECT_GT(report["totals"]["dram_achieved_bandwidth_gbps"].get<double>(), 0);
}

TEST(BankedDram, APipelinesEnginesShareTheBankedChannels) {
  const std::string d = make_temp_dir();
  write_file(d, "pipe.json",
             R"({"include": ")" + (kSourceDir / "configs/pipelines/drone.json").string() +
                 R"(", "dram": {"model": "banked", "preset": "hbm2", "channels": 2}})");
  const CliResult r = run_strata({"pipeline", d + "/pipe.json", "--out", d + "/out", "--duration-s",
                                  "0.2", "--no-plots", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(read_file(d + "/out/pipeline_report.json"));
  EXPECT_EQ(report["dram"]["type"], "hbm2");
  EXPECT_EQ(report["dram"]["bandwidth_gbps"], 32.0);
  EXPECT_GT(report["dram"]["read_bytes"].get<int64_t>(), 0);
}

}  // namespace
}  // namespace strata::test
