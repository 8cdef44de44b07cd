#pragma once
// A node's attributes by name, with the defaults the ONNX operator specs give.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_graph.h"

namespace strata {

inline const onnx::AttributeProto* onnx_attr(const OnnxNode& n, const char* name) {
  for (const auto& a : n.proto->attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

inline int64_t onnx_attr_int(const OnnxNode& n, const char* name, int64_t fallback) {
  const auto* a = onnx_attr(n, name);
  return a ? a->i() : fallback;
}

inline double onnx_attr_float(const OnnxNode& n, const char* name, double fallback) {
  const auto* a = onnx_attr(n, name);
  return a ? a->f() : fallback;
}

inline std::string onnx_attr_string(const OnnxNode& n, const char* name,
                                    const std::string& fallback) {
  const auto* a = onnx_attr(n, name);
  return a ? a->s() : fallback;
}

inline std::vector<int64_t> onnx_attr_ints(const OnnxNode& n, const char* name) {
  const auto* a = onnx_attr(n, name);
  if (!a) return {};
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

}  // namespace strata
