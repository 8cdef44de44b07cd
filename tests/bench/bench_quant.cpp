// Front-end speed: ANT type selection and SQuant on a ResNet-50-sized synthetic weight set (one
// core), and MobileNet-V1 on its real weights end to end (load, quantize, write the trace) as a
// `strata quantize` process. Prints medians; compares nothing against a threshold.
// Usage: strata_bench_quant [runs=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "support/spawn.h"
#include "workloads/models/real_weights.h"
#include "workloads/quant/quantizers.h"
#include "workloads/quant/synthetic_weights.h"
#include "workloads/zoo/zoo.h"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename Fn>
double time_s(Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  std::vector<WeightTensor> weights;
  int64_t params = 0;
  for (const Layer& l : zoo_workload("resnet50").layers) {
    WeightTensor w;
    if (!expected_weight_shape(l, &w)) continue;
    SyntheticSpec s;
    s.seed = layer_seed(1, l.name);
    generate_weights(w, s);
    params += w.size();
    weights.push_back(std::move(w));
  }
  QuantSpec spec;
  spec.bits = 4;
  std::vector<double> ant, squant;
  for (int r = 0; r < runs; ++r) {
    ant.push_back(time_s([&] {
      for (const auto& w : weights) AntQuantizer().quantize(w, spec);
    }));
    squant.push_back(time_s([&] {
      for (const auto& w : weights) SquantQuantizer().quantize(w, spec);
    }));
  }
  std::printf("strata_bench_quant: median of %d runs, one core\n", runs);
  std::printf("ResNet-50-sized synthetic weights (%.1f M params, %zu layers), 4-bit:\n",
              params / 1e6, weights.size());
  std::printf("  ANT type selection + clip search   %8.1f ms\n", median(ant) * 1e3);
  std::printf("  SQuant                             %8.1f ms\n", median(squant) * 1e3);
  std::printf(
      "  ANT + SQuant                       %8.1f ms   (SQuant paper: 188 ms on an A100 GPU)\n",
      (median(ant) + median(squant)) * 1e3);
  std::vector<double> e2e;
  const std::string out = "/tmp/strata_bench_quant_mnv1.json";
  for (int r = 0; r < std::max(runs, 5); ++r) {
    const auto s = test::spawn_strata(
        {"quantize", "--model", "faceres", "--scheme", "ant", "--bits", "4", "--out", out, "-q"},
        ".", "/dev/null", "/dev/stderr");
    if (s.exit_code != 0) {
      std::fprintf(
          stderr,
          "strata_bench_quant: strata quantize failed (exit %d); are the weights fetched?\n",
          s.exit_code);
      return 1;
    }
    e2e.push_back(s.wall_s);
  }
  std::remove(out.c_str());
  std::printf(
      "MobileNet-V1 real weights, ANT 4-bit, end to end (strata quantize process, layers on all "
      "cores): %.1f ms\n",
      median(e2e) * 1e3);
  return 0;
}
