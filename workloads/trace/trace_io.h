#pragma once
// Reading and writing trace v1 (docs/trace-format.md). The reader validates every field and, when
// the trace names a tensors file, that file's header, sizes and per-layer contents.
#include <nlohmann/json.hpp>
#include <string>

#include "workloads/trace/safetensors.h"
#include "workloads/trace/trace.h"

namespace strata {

nlohmann::json trace_to_json(const Trace& t);
bool is_trace_document(const nlohmann::json& doc);
// Throws InputError "<file>: <key path>: <what was expected>".
Trace trace_from_json(const nlohmann::json& doc, const std::string& file);
// Loads, validates, and checks the companion tensors file if the trace names one; `tensors`
// (optional) receives that file's tensors.
Trace load_trace(const std::string& path, SafeTensorMap* tensors = nullptr);
void check_trace_tensors(const Trace& t, const SafeTensorMap& tensors, const std::string& file);

// Tensor names inside the companion file.
std::string codes_tensor_name(const std::string& layer);   // "<layer>.weight_codes"
std::string scales_tensor_name(const std::string& layer);  // "<layer>.weight_scales"
std::string zero_points_tensor_name(const std::string& layer);

// The workload the simulator runs: shapes plus per-layer bits and densities.
Workload trace_workload(const Trace& t, const std::string& source);

}  // namespace strata
