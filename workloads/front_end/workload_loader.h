#pragma once
#include <string>

#include "workloads/layer.h"

namespace strata {

// Resolves a --workload argument: "*.json" is a strata trace (docs/trace-format.md) or a native
// layer list, "*.csv" a SCALE-Sim topology, "*.onnx" an ONNX model (its array layers),
// anything else a zoo spec ("resnet18", "bert_base:seq_len=128").
Workload load_workload(const std::string& spec);

}  // namespace strata
