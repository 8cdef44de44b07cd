// Mapping-search speed: every layer of a zoo network searched exhaustively for latency on the
// scratchpad hierarchy (Gemmini's 16x16 and a 32x32 array with the same memories), one core.
// Prints per network and array the time, the candidates costed, and the cycles of the best
// mappings against strata's own (docs/performance.md); compares nothing against a threshold.
// Usage: strata_bench_map_search [network...]   (default: resnet50 mobilenet_v2 resnet18)
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hw_models/mapping/mapping_search.h"
#include "workloads/zoo/zoo.h"

int main(int argc, char** argv) {
  using namespace strata;
  std::vector<std::string> nets = {"resnet50", "mobilenet_v2", "resnet18"};
  if (argc > 1) nets.assign(argv + 1, argv + argc);
  std::printf("%-14s %-7s %8s %12s %14s %14s %8s\n", "network", "array", "ms", "candidates",
              "default cyc", "searched cyc", "gain");
  for (const std::string& net : nets) {
    const Workload w = zoo_workload(net);
    for (const int64_t dim : {16, 32}) {
      MappedHierarchyParams hw;
      hw.array = {dim, dim};
      hw.scratchpad_bytes = 256 * 1024;
      hw.scratchpad_row_bytes = dim;
      hw.accumulator_bytes = 64 * 1024;
      hw.walk = TileWalk::kGemmini;
      int64_t candidates = 0, base = 0, best = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (const Layer& l : w.layers) {
        const MapSearchResult r =
            exhaustive_map_search(l, hw, {}, MapObjective::kLatency, {}, l.name);
        candidates += r.evaluated;
        best += r.plan.cycles;
        base += cost_mapped_layer(l, default_mapping(l, hw, {}, l.name), hw, {}, l.name).cycles;
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::printf("%-14s %3lldx%-3lld %8.1f %12lld %14lld %14lld %7.2fx\n", net.c_str(),
                  static_cast<long long>(dim), static_cast<long long>(dim), ms,
                  static_cast<long long>(candidates), static_cast<long long>(base),
                  static_cast<long long>(best), static_cast<double>(base) / best);
    }
  }
  return 0;
}
