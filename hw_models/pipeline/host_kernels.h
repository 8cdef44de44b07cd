#pragma once
// The host CPU's non-DNN kernels and what each costs (docs/pipeline.md, "Host kernels"): cycles
// = fixed + per element x elements, on one core; energy = cycles x the core's pJ per cycle, plus
// its DRAM traffic. The per-kernel figures are strata's estimates from operation counts (each
// entry says how it was derived), not measurements of a particular CPU: override them in the
// config (host.kernels.<name>.*) with figures for the CPU at hand.
#include <cstdint>
#include <map>
#include <string>

namespace strata {

struct HostKernel {
  std::string element;  // what one element is: "pixel", "point", "update", ...
  double cycles_per_element = 0;
  double fixed_cycles = 0;  // per call (setup, matrix work independent of the element count)
  std::string derivation;   // how the figure was reached
};

// The built-in table, by kernel name.
const std::map<std::string, HostKernel>& host_kernel_table();

struct HostParams {
  int cores = 4;
  double freq_mhz = 2000;
  double pj_per_cycle = 300;  // one core, busy (dynamic energy; idle cores cost nothing here)
  std::map<std::string, HostKernel> kernels = host_kernel_table();
};

// Cycles of one call of `kernel` on `elements` elements; throws std::overflow_error when the
// figure does not fit (documented ranges keep it far below).
int64_t host_kernel_cycles(const HostKernel& kernel, int64_t elements);

}  // namespace strata
