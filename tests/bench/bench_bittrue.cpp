// Bit-true engine speed: every ResNet-18 layer (batch 1) with int8 codes, one core. Prints the
// engine's MAC rate beside a float GEMM on the same lowering (the reference the bit-true mode
// compares against), medians of N runs; compares nothing against a threshold.
// Usage: strata_bench_bittrue [runs=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "hw_models/array/bittrue.h"
#include "hw_models/array/im2col.h"
#include "workloads/zoo/zoo.h"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const Workload w = zoo_workload("resnet18");
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> code(0, 255);
  std::vector<BitTrueOperands> ops(w.layers.size());
  std::vector<std::vector<float>> xf(w.layers.size()), wf(w.layers.size());
  int64_t macs = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    ops[i].input.type = make_type(TypeKind::kInt, 8, false);
    ops[i].weight.type = make_type(TypeKind::kInt, 8, true);
    ops[i].input.codes.resize(static_cast<size_t>(l.input_elements()));
    ops[i].weight.codes.resize(static_cast<size_t>(l.weight_elements()));
    for (auto& c : ops[i].input.codes) c = static_cast<uint8_t>(code(rng));
    for (auto& c : ops[i].weight.codes) c = static_cast<uint8_t>(code(rng));
    xf[i].assign(ops[i].input.codes.begin(), ops[i].input.codes.end());
    wf[i].assign(ops[i].weight.codes.begin(), ops[i].weight.codes.end());
    macs += l.macs();
  }
  std::vector<double> engine, reference;
  int64_t checksum = 0;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < w.layers.size(); ++i)
      checksum += bittrue_layer(w.layers[i], ops[i]).sums[0];
    auto t1 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < w.layers.size(); ++i) {
      const Layer& l = w.layers[i];
      if (l.type != LayerType::kConv2d) continue;
      const int64_t pixels = l.batch * l.out_h() * l.out_w(), mg = l.out_c / l.groups;
      const int64_t depth = l.kernel_h * l.kernel_w * (l.in_c / l.groups);
      std::vector<float> out(static_cast<size_t>(pixels * l.out_c)), a, b;
      for (int64_t g = 0; g < l.groups; ++g) {
        im2col_group(l, xf[i], g, a);
        filter_rows_group(l, wf[i], g, b);
        gemm_nt<float, float>(gemm_span(std::as_const(a)), gemm_span(std::as_const(b)), pixels, mg,
                              depth, gemm_span(out, g * mg), l.out_c);
      }
      checksum += static_cast<int64_t>(out[0]);
    }
    auto t2 = std::chrono::steady_clock::now();
    engine.push_back(std::chrono::duration<double>(t1 - t0).count());
    reference.push_back(std::chrono::duration<double>(t2 - t1).count());
  }
  const double e = median(engine), f = median(reference);
  std::printf(
      "strata_bench_bittrue: ResNet-18 int8, %.3f GMAC, %d runs, one core (checksum %lld)\n",
      macs * 1e-9, runs, static_cast<long long>(checksum));
  std::printf("%-36s %10s %10s\n", "", "ms", "GMAC/s");
  std::printf("%-36s %10.1f %10.2f\n", "bit-true engine (exact int sums)", e * 1e3,
              macs * 1e-9 / e);
  std::printf("%-36s %10.1f %10.2f\n", "float GEMM, same lowering", f * 1e3, macs * 1e-9 / f);
  std::printf("engine / float time ratio: %.2f\n", e / f);
  return 0;
}
