// strata pipeline's speed: the example pipelines of configs/pipelines/ for one simulated minute
// each, beside one simulated second of the drone (set-up: loading, preparing the workloads,
// elaborating). Prints figures; the goal (one simulated minute of the drone under 30 s on 2 cores)
// is read off them, never asserted.
// Usage: strata_bench_pipeline [runs=3]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/spawn.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  struct Case {
    const char* config;
    const char* seconds;
  };
  const std::vector<Case> cases = {
      {"drone", "1"},
      {"drone", "60"},
      {"drone_software_stamps", "60"},
      {"video_lidar_motion", "60"},
      {"video_optical_flow", "60"},
  };
  std::printf("strata_bench_pipeline: configs/pipelines/, %d run(s), median wall\n", runs);
  std::printf("%-24s %10s %10s %16s %10s\n", "config", "sim s", "wall s", "x drone 1 s",
              "peak MiB");
  double baseline = 0;
  for (const auto& c : cases) {
    const std::string config = std::string("configs/pipelines/") + c.config + ".json";
    const auto s = strata::test::spawn_strata_median(
        {"pipeline", config, "--out", "/tmp/strata_bench_pipeline_out", "--duration-s", c.seconds,
         "--no-plots", "-q"},
        STRATA_SOURCE_DIR, runs);
    if (s.exit_code != 0) {
      std::fprintf(stderr, "strata_bench_pipeline: %s failed (exit %d)\n", c.config, s.exit_code);
      return 1;
    }
    const double wall = s.wall_s;
    const long rss = s.peak_rss_kib;
    if (baseline == 0) baseline = wall;
    std::printf("%-24s %10s %10.2f %16.1f %10.1f\n", c.config, c.seconds, wall, wall / baseline,
                rss / 1024.0);
  }
  std::system("rm -rf /tmp/strata_bench_pipeline_out");
  return 0;
}
