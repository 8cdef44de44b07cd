#pragma once
// SCALE-Sim v2 topology CSV import. Two forms, told apart by the header:
//   conv: "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
//          Num Filter, Strides," (IFMAP sizes already padded; imported with padding 0)
//   gemm: "Layer, M, N, K," ((M x K) * (K x N))
#include <string>

#include "workloads/layer.h"

namespace strata {

Workload parse_topology_csv(const std::string& text, const std::string& file_name);
Workload load_topology_csv(const std::string& path);

}  // namespace strata
