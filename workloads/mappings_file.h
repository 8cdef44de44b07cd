#pragma once
// A mappings file (--mappings): explicit mappings pinned on a workload's layers by name, whatever
// the workload's source (zoo, ONNX, layer list, topology CSV):
//   {"mappings": {"conv1": "L3[WIO] K4 - L2[WI] K16X - L1[O] P56 Q56 C3X - L0[W]",
//                 "fc": {"levels": [...]}}}
// Each value is a mapping string or its JSON form (workloads/mapping/mapping.h). strata map's
// output and every run's layers.csv `mapping` column are in this syntax.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "workloads/layer.h"

namespace strata {

// Throws InputError "<file>: ..." naming the key for anything but an object of mappings.
std::map<std::string, Mapping> parse_mappings_file(const nlohmann::json& doc,
                                                   const std::string& file_name);

// Sets each named layer's mapping; throws InputError naming the file, the layer (with the
// nearest layer name when it has none of that name) and, for a mapping that does not cover its
// layer, the dimension.
void apply_mappings(Workload& w, const std::map<std::string, Mapping>& mappings,
                    const std::string& file_name);
void apply_mappings_file(Workload& w, const std::string& path);

}  // namespace strata
