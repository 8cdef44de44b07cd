#pragma once
// strata's native workload file: a JSON layer list.
//   {"name": "tiny", "layers": [
//     {"name": "c1", "type": "conv2d", "batch": 1, "in_h": 32, "in_w": 32, "in_c": 3, "out_c": 16,
//      "kernel": 3, "stride": 1, "padding": 1, "groups": 1},
//     {"name": "fc", "type": "gemm", "m": 1, "k": 1024, "n": 10, "batch": 1}]}
// kernel/stride/padding take an integer or an [h, w] pair. "matmul" is a gemm whose operands are
// both activations (e.g. attention's QK^T); it has the same keys. A layer may carry "mapping": an
// explicit mapping (workloads/mapping/mapping.h: the string or its JSON form) it runs with.
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "workloads/layer.h"

namespace strata {

// One layer's shape keys (the op named by `type_key`); keys in `extra_keys` are left to the caller.
Layer parse_layer_shape(const nlohmann::json& obj, const std::string& where,
                        const std::string& type_key, const std::set<std::string>& extra_keys);
nlohmann::json layer_shape_json(const Layer& l, const std::string& type_key);

Workload parse_layer_list(const nlohmann::json& doc, const std::string& file_name);
Workload load_layer_list(const std::string& path);

}  // namespace strata
