// Time-sync simulation speed: one simulated hour of a 30 Hz camera + 400 Hz IMU + 10 Hz LiDAR rig
// on the TCXO sync unit with GPS (hardware triggers and stamps, software stamps beside them, no
// inference), as `strata sync` runs it, beside the same rig free-running with software stamps
// only (no sync unit: the baseline) and a 1 s run (process start-up and output). Prints figures;
// the goal (under 10 s wall for the hour) is read off them, never asserted.
// Usage: strata_bench_sync [runs=1]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "support/spawn.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
  char tmpl[] = "/tmp/strata_bench_sync.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string rig = dir + "/rig.json";
  std::ofstream(rig) << R"({"timesync": {"mode": "hardware"}, "oscillator": {"preset": "tcxo"},
    "sensors": {"camera": {"rate_hz": 30}, "imu": {"rate_hz": 400}, "lidar": {"rate_hz": 10}}})";
  struct Case {
    const char* name;
    std::vector<std::string> extra;
    double seconds;
  };
  const std::vector<Case> cases = {
      {"hardware sync, 1 h", {}, 3600},
      {"software only, 1 h", {"--set", "timesync.mode=software_only"}, 3600},
      {"hardware sync, 1 s", {}, 1},
  };
  const double samples_per_s = 30 + 400 + 10;
  std::printf("strata_bench_sync: 30 Hz camera + 400 Hz IMU + 10 Hz LiDAR, %d run(s), best wall\n",
              runs);
  std::printf("%-20s %10s %12s %14s %14s %10s\n", "case", "sim s", "wall s", "sim s / wall s",
              "samples / s", "peak MiB");
  double hour_wall = 0, baseline_wall = 0;
  for (const auto& c : cases) {
    double best = 1e30;
    long rss = 0;
    for (int r = 0; r < runs; ++r) {
      std::vector<std::string> args = {
          "sync",       rig,  "--out",        dir + "/out",
          "--no-plots", "-q", "--duration-s", std::to_string(c.seconds)};
      args.insert(args.end(), c.extra.begin(), c.extra.end());
      const auto s = strata::test::spawn_strata(args, ".", "/dev/null", "/dev/stderr");
      if (s.exit_code != 0) {
        std::fprintf(stderr, "strata_bench_sync: %s failed (exit %d)\n", c.name, s.exit_code);
        return 1;
      }
      best = std::min(best, s.wall_s);
      rss = std::max(rss, s.peak_rss_kib);
    }
    if (c.seconds == 3600 && c.extra.empty()) hour_wall = best;
    if (!c.extra.empty()) baseline_wall = best;
    std::printf("%-20s %10.0f %12.2f %14.0f %14.0f %10.1f\n", c.name, c.seconds, best,
                c.seconds / best, c.seconds * samples_per_s / best, rss / 1024.0);
  }
  std::printf("hardware sync / software-only wall: %.2fx; goal: 1 h under 10 s wall (%s)\n",
              hour_wall / baseline_wall, hour_wall < 10 ? "met" : "NOT met");
  std::system(("rm -rf " + dir).c_str());
  return 0;
}
