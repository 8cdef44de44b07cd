// Wall time and peak memory of whole-network simulations, each a fresh `strata run` process as a
// user (or a sweep worker) would start it. Prints one line per network; medians of N runs.
// Usage: strata_bench [runs=5] [SCALE-Sim topology dir]
// ResNet-50 and BERT-base (seq 384) also run with the vector unit off: the ratio of the medians is
// what simulating the vector work costs (goal: at most 1.3x, docs/performance.md).
// The directory (else $STRATA_SCALESIM_TOPOLOGIES) holds scalesim_resnet18.csv and
// scalesim_resnet50.csv, made as docs/references.md §7.1 describes; without it those cases are
// skipped.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/spawn.h"

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const char* env_dir = std::getenv("STRATA_SCALESIM_TOPOLOGIES");
  const std::string data = argc > 2 ? argv[2] : env_dir ? env_dir : "";
  const std::string config = std::string(STRATA_SOURCE_DIR) + "/configs/default.json";
  struct Case {
    std::string label, workload, convention;
    double scalesim_s;  // SCALE-Sim v2 on this kind of machine, 0 if not measured
  };
  std::vector<Case> cases;
  if (data.empty()) {
    std::printf(
        "strata_bench: no SCALE-Sim topology directory given: SCALE-Sim cases skipped "
        "(docs/references.md section 7.1)\n");
  } else if (!exists(data + "/scalesim_resnet18.csv") || !exists(data + "/scalesim_resnet50.csv")) {
    std::fprintf(stderr,
                 "strata_bench: %s: expected scalesim_resnet18.csv and scalesim_resnet50.csv\n",
                 data.c_str());
    return 2;
  } else {
    cases.push_back(
        {"SCALE-Sim ResNet-18 topology", data + "/scalesim_resnet18.csv", "scalesim", 241});
    cases.push_back(
        {"SCALE-Sim ResNet-50 topology", data + "/scalesim_resnet50.csv", "scalesim", 573});
  }
  for (const char* zoo : {"resnet18", "resnet50", "mobilenet_v2", "vgg16", "bert_base"}) {
    cases.push_back({std::string("zoo ") + zoo, zoo, "strata", 0});
  }
  std::printf(
      "strata_bench: %d runs each, 32x32 OS array (configs/default.json), median wall time, max "
      "peak RSS\n",
      runs);
  std::printf("%-32s %12s %12s %16s\n", "network", "wall ms", "peak MB", "vs SCALE-Sim v2");
  for (const auto& c : cases) {
    std::vector<double> walls;
    long peak = 0;
    for (int i = 0; i < runs; ++i) {
      std::vector<std::string> args = {"run",
                                       "--config",
                                       config,
                                       "--workload",
                                       c.workload,
                                       "--set",
                                       "timing.convention=" + c.convention,
                                       "-q"};
      const auto s = strata::test::spawn_strata(args, ".", "/dev/null", "/dev/stderr");
      if (s.exit_code != 0) {
        std::fprintf(stderr, "strata_bench: %s failed (exit %d)\n", c.label.c_str(), s.exit_code);
        return 1;
      }
      walls.push_back(s.wall_s);
      peak = std::max(peak, s.peak_rss_kib);
    }
    std::sort(walls.begin(), walls.end());
    const double median = walls[walls.size() / 2];
    char ratio[64] = "";
    if (c.scalesim_s > 0) std::snprintf(ratio, sizeof ratio, "%.0fx faster", c.scalesim_s / median);
    std::printf("%-32s %12.2f %12.1f %16s\n", c.label.c_str(), median * 1e3, peak / 1024.0, ratio);
  }
  // What simulating the vector work costs: each run with the unit on, then off, alternating, so
  // both see the same machine; the ratio of the medians.
  for (const char* zoo : {"resnet50", "bert_base"}) {
    std::vector<double> walls[2];
    for (int i = 0; i < runs; ++i) {
      for (int on = 1; on >= 0; --on) {
        const auto s = strata::test::spawn_strata(
            {"run", "--config", config, "--workload", zoo, "--set",
             std::string("vector.enabled=") + (on ? "true" : "false"), "-q"},
            ".", "/dev/null", "/dev/stderr");
        if (s.exit_code != 0) {
          std::fprintf(stderr, "strata_bench: %s failed (exit %d)\n", zoo, s.exit_code);
          return 1;
        }
        walls[on].push_back(s.wall_s);
      }
    }
    for (auto& w : walls) std::sort(w.begin(), w.end());
    const double on = walls[1][walls[1].size() / 2], off = walls[0][walls[0].size() / 2];
    std::printf("vector unit on / off, %s: %.2f / %.2f ms = %.2fx wall time (goal <= 1.3x)\n", zoo,
                on * 1e3, off * 1e3, on / off);
  }
  // What the banked DRAM costs: four LPDDR4-3200 channels (the default config's 25.6 GB/s) against
  // the simple model, alternating runs; the ratio of the medians (docs/dram.md).
  for (const char* zoo : {"resnet50", "bert_base:seq_len=384"}) {
    std::vector<double> walls[2];
    for (int i = 0; i < runs; ++i) {
      for (int banked = 1; banked >= 0; --banked) {
        std::vector<std::string> args = {"run", "--config", config, "--workload", zoo, "-q"};
        if (banked) {
          for (const char* kv : {"dram.model=banked", "dram.preset=lpddr4_3200", "dram.channels=4"})
            args.insert(args.end(), {"--set", kv});
        }
        const auto s = strata::test::spawn_strata(args, ".", "/dev/null", "/dev/stderr");
        if (s.exit_code != 0) {
          std::fprintf(stderr, "strata_bench: %s failed (exit %d)\n", zoo, s.exit_code);
          return 1;
        }
        walls[banked].push_back(s.wall_s);
      }
    }
    for (auto& w : walls) std::sort(w.begin(), w.end());
    const double banked = walls[1][walls[1].size() / 2], simple = walls[0][walls[0].size() / 2];
    std::printf("banked LPDDR4 / simple DRAM, %s: %.2f / %.2f ms = %.2fx wall time (goal <= 3x)\n",
                zoo, banked * 1e3, simple * 1e3, banked / simple);
  }
  return 0;
}
