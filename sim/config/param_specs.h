#pragma once
// Every config key strata accepts, declared once with its type, unit, default, range and meaning.
// Validation, defaults and docs/config.md all come from this table.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/config/config_tree.h"

namespace strata {

enum class ParamKind { kInt, kFloat, kBool, kString, kChoice, kPath };

struct ParamSpec {
  std::string path;
  ParamKind kind;
  std::string unit;
  nlohmann::json default_value;  // null: optional, no default
  double min = 0, max = 0;       // inclusive range for kInt / kFloat
  bool min_exclusive = false;
  std::vector<std::string> choices;
  std::string description;
};

// The accelerator's keys (strata run).
const std::vector<ParamSpec>& param_specs();
const ParamSpec* find_param_spec(const std::string& path);
// "array.rows" -> the JSON pointer "/array/rows".
nlohmann::json::json_pointer pointer_of(const std::string& dotted);
const ParamSpec* find_param_spec(const std::string& path, const std::vector<ParamSpec>& specs);
// "; did you mean 'array.rows'?" for a misspelled key, or "".
std::string suggest_param_key(const std::string& path, const std::vector<ParamSpec>& specs);
std::string suggest_param_key(const std::string& path);

// Declaration helpers for spec tables. A null default (a json() value) means optional: filled
// in by the component from other keys (a preset).
ParamSpec int_param(std::string path, std::string unit, int64_t def, int64_t min, int64_t max,
                    std::string description);
ParamSpec float_param(std::string path, std::string unit, double def, double min, double max,
                      bool min_exclusive, std::string description);
ParamSpec choice_param(std::string path, std::string def, std::vector<std::string> choices,
                       std::string description);
ParamSpec bool_param(std::string path, bool def, std::string description);
ParamSpec string_param(std::string path, std::string def, std::string description);

// A config with every key validated and every default filled in.
struct ResolvedConfig {
  nlohmann::json values;        // nested, as written to <out>/config.resolved.json
  std::string tech_table_path;  // energy.tech_table resolved against its file
  std::string source;           // the top config file
  // The keys the config set (the rest are defaults), each with the file that set it.
  std::map<std::string, std::string> given;
  bool is_given(const std::string& path) const { return given.count(path) > 0; }
  int64_t get_int(const std::string& path) const;
  double get_float(const std::string& path) const;
  bool get_bool(const std::string& path) const;
  std::string get_string(const std::string& path) const;
  const nlohmann::json& at(const std::string& path) const;
};

// Throws InputError "<file>: <key.path>: <what was expected>" for unknown keys, wrong types and
// out-of-range values.
ResolvedConfig resolve_config(const ConfigTree& tree);
// The same against another key table (strata sync: the accelerator's keys and the sync keys).
ResolvedConfig resolve_config(const ConfigTree& tree, const std::vector<ParamSpec>& specs);

// Where the example configs and tech tables live: $STRATA_CONFIG_DIR, else the source tree's
// configs/, else an installed strata's share/strata/configs (docs/embedding.md).
std::string builtin_config_dir();

}  // namespace strata
