// Sweep throughput: `strata sweep` on generated specs (ResNet-18 on the paper config
// int8_sa_16nm, whose workload.* keys run the front end: 24 points, goal >= 20 points/s; ResNet-18
// on the default config: 144 points; ResNet-50: 1,000 points), all cores, beside the wall time of
// one lone `strata run` of the same workload without the workload cache, so the per-point
// overhead shows as a ratio; and configs/sweeps/array_shape_resnet18.json as shipped (goal: >= 150
// points/s on 2 cores). Every sweep runs twice: with workers that run point after point in one
// process each (the default) and with one process per point (--process-per-run), so the gain of
// many simulations per process shows as a ratio in one run. Prints figures; compares nothing
// against a threshold.
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
    std::string config, workload, axes;  // a generated spec, or the spec file in `config`
    int points;
  };
  const std::vector<Case> cases = {
      {"sweeps/array_shape_resnet18.json", "resnet18", "", 0},
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
  std::printf("%-34s %-9s %6s %8s %9s %13s %9s %12s %10s\n", "config", "workload", "points",
              "sweep s", "points/s", "per-run pts/s", "gain x", "lone run ms", "overhead x");
  for (const auto& c : cases) {
    const bool file = c.axes.empty();
    const std::string dir = temp_dir();
    std::string spec = configs + c.config, base = spec;
    int points = c.points;
    if (!file) {
      spec = dir + "/spec.json";
      std::ofstream(spec) << R"({"base": ")" << base << R"(", "workloads": [")" << c.workload
                          << R"("], "axes": {)" << c.axes << "}}";
    } else {
      base = configs + "default.json";
    }
    double best = 1e30, best_per_run = 1e30, lone = 1e30;
    for (int r = 0; r < runs; ++r) {
      for (const bool per_run : {false, true}) {
        const std::string out = dir + "/out" + std::to_string(r) + (per_run ? "p" : "w");
        std::vector<std::string> args = {"sweep", spec, "--out", out, "-q"};
        if (per_run) args.push_back("--process-per-run");
        const auto s = strata::test::spawn_strata(args, ".", "/dev/null", "/dev/stderr");
        if (s.exit_code != 0) {
          std::fprintf(stderr, "strata_bench_sweep: sweep failed (exit %d)\n", s.exit_code);
          return 1;
        }
        (per_run ? best_per_run : best) = std::min(per_run ? best_per_run : best, s.wall_s);
        if (points == 0) {
          std::ifstream rows(out + "/results.jsonl");
          for (std::string line; std::getline(rows, line);) points += !line.empty();
        }
      }
      const auto one = strata::test::spawn_strata(
          {"run", "--config", base, "--workload", c.workload, "-q", "--no-cache"}, ".", "/dev/null",
          "/dev/stderr");
      lone = std::min(lone, one.wall_s);
    }
    // Overhead: wall per point x cores against a lone run (1.0 = no cost beyond the runs).
    const double per_point = best / points;
    std::printf("%-34s %-9s %6d %8.2f %9.1f %13.1f %9.2f %12.1f %10.2f\n", c.config.c_str(),
                c.workload.c_str(), points, best, points / best, points / best_per_run,
                best_per_run / best, lone * 1e3, per_point * static_cast<double>(cores) / lone);
    std::system(("rm -rf " + dir).c_str());
  }
  return 0;
}
