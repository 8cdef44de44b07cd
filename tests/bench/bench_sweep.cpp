// Sweep throughput: `strata sweep` on generated specs (ResNet-18 on the paper config
// int8_sa_16nm, whose workload.* keys run the front end: 24 points, goal >= 20 points/s; ResNet-18
// on the default config: 144 points; ResNet-50: 1,000 points), all cores, beside the wall time of
// one lone `strata run` of the same workload without the workload cache, so the per-point
// overhead shows as a ratio. Prints figures; compares nothing against a threshold.
// Usage: strata_bench_sweep [runs=1]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/spawn.h"

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/strata_bench_sweep.XXXXXX";
  return mkdtemp(tmpl);
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
  const std::string configs = std::string(STRATA_SOURCE_DIR) + "/configs/";
  struct Case {
    std::string config, workload, axes;
    int points;
  };
  const std::vector<Case> cases = {
      {"int8_sa_16nm.json", "resnet18",
       R"("array.rows": [16, 32, 64], "array.cols": [16, 32, 64, 128],
          "array.dataflow": ["os", "ws"])",
       24},
      {"default.json", "resnet18",
       R"("array.rows": [8, 16, 24, 32, 48, 64], "array.cols": [8, 16, 32, 64],
          "array.dataflow": ["os", "ws", "is"], "buffers.weight.size_kib": [128, 256])",
       144},
      {"default.json", "resnet50",
       R"("array.rows": [8, 16, 24, 32, 40, 48, 56, 64, 96, 128],
          "array.cols": [8, 16, 24, 32, 40, 48, 56, 64, 96, 128],
          "buffers.weight.size_kib": [64, 128, 256, 512, 1024], "array.dataflow": ["os", "ws"])",
       1000}};
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  std::printf("strata_bench_sweep: %ld cores, %d run(s) each, best wall time\n", cores, runs);
  std::printf("%-18s %-10s %8s %10s %10s %16s %14s\n", "config", "workload", "points", "sweep s",
              "points/s", "lone run ms", "overhead x");
  for (const auto& c : cases) {
    const std::string base = configs + c.config;
    const std::string dir = temp_dir();
    const std::string spec = dir + "/spec.json";
    std::ofstream(spec) << R"({"base": ")" << base << R"(", "workloads": [")" << c.workload
                        << R"("], "axes": {)" << c.axes << "}}";
    double best = 1e30, lone = 1e30;
    for (int r = 0; r < runs; ++r) {
      const std::string out = dir + "/out" + std::to_string(r);
      const auto s = strata::test::spawn_strata({"sweep", spec, "--out", out, "-q"}, ".",
                                                "/dev/null", "/dev/stderr");
      if (s.exit_code != 0) {
        std::fprintf(stderr, "strata_bench_sweep: sweep failed (exit %d)\n", s.exit_code);
        return 1;
      }
      best = std::min(best, s.wall_s);
      const auto one = strata::test::spawn_strata(
          {"run", "--config", base, "--workload", c.workload, "-q", "--no-cache"}, ".", "/dev/null",
          "/dev/stderr");
      lone = std::min(lone, one.wall_s);
    }
    // Overhead: wall per point x cores against a lone run (1.0 = no cost beyond the runs).
    const double per_point = best / c.points;
    std::printf("%-18s %-10s %8d %10.2f %10.1f %16.1f %14.2f\n", c.config.c_str(),
                c.workload.c_str(), c.points, best, c.points / best, lone * 1e3,
                per_point * static_cast<double>(cores) / lone);
    std::system(("rm -rf " + dir).c_str());
  }
  return 0;
}
