#include "workloads/mappings_file.h"

#include <vector>

#include "common/input_error.h"
#include "common/suggest.h"
#include "workloads/json_file.h"

namespace strata {

std::map<std::string, Mapping> parse_mappings_file(const nlohmann::json& doc,
                                                   const std::string& file_name) {
  if (!doc.is_object() || !doc.contains("mappings")) {
    throw InputError(file_name +
                     ": must be an object {\"mappings\": {\"<layer>\": \"<mapping>\", "
                     "...}}");
  }
  for (const auto& item : doc.items()) {
    if (item.key() != "mappings" && item.key() != "format_version") {
      throw InputError(file_name + ": " + item.key() +
                       ": is not a known key (expected mappings, format_version)");
    }
  }
  if (doc.contains("format_version") && doc["format_version"] != 1) {
    throw InputError(file_name + ": format_version: must be 1, got " +
                     doc["format_version"].dump());
  }
  const auto& m = doc["mappings"];
  if (!m.is_object()) {
    throw InputError(file_name + ": mappings: must be an object of layer name to mapping, got " +
                     json_type_name(m));
  }
  std::map<std::string, Mapping> out;
  for (const auto& item : m.items()) {
    out[item.key()] = mapping_from_json(item.value(), file_name + ": mappings." + item.key());
  }
  return out;
}

void apply_mappings(Workload& w, const std::map<std::string, Mapping>& mappings,
                    const std::string& file_name) {
  std::vector<std::string> names;
  for (const auto& l : w.layers) names.push_back(l.name);
  for (const auto& [name, mapping] : mappings) {
    bool found = false;
    for (auto& l : w.layers) {
      if (l.name != name) continue;
      check_mapping_covers(mapping, mapping_dims(l), file_name + ": mappings." + name);
      l.mapping = mapping;
      found = true;
    }
    if (!found) {
      throw InputError(file_name + ": mappings." + name + ": the workload has no array layer '" +
                       name + "'" + did_you_mean(name, names));
    }
  }
}

void apply_mappings_file(Workload& w, const std::string& path) {
  apply_mappings(w, parse_mappings_file(load_json_file(path), path), path);
}

}  // namespace strata
