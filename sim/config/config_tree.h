#pragma once
// A JSON config as loaded: sub-files merged by "include" (relative paths, included first, the
// including file's keys win), every leaf remembering the file it came from, and --set overrides.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace strata {

// Where a config named on the command line (or to the Python API) is read from: the path as given
// when it exists (absolute, or relative to the working directory); else the built-in configs
// (builtin_config_dir()), so "configs/s2ta_aw_16nm.json" or "s2ta_aw_16nm.json" works from any
// directory; else an InputError naming both places. A file in the working directory wins.
std::string resolve_config_path(const std::string& path);
// A config named inside another file (a sweep's base, a pipeline's engine): relative to `dir`
// (that file's directory) when it exists there, else a built-in config of that name, else the
// path beside the file (whose reading then names the failure).
std::string resolve_config_path_from(const std::string& dir, const std::string& path);
// The built-in config `path` names ("x.json" or "configs/x.json"), or "" if there is none.
std::string builtin_config_file(const std::string& path);

class ConfigTree {
 public:
  // `path` goes through resolve_config_path; includes resolve relative to their including file.
  static ConfigTree load(const std::string& path);
  static ConfigTree from_json(const nlohmann::json& doc, const std::string& origin);

  // "array.rows=64": the value is parsed as JSON when it is valid JSON, else taken as a string.
  void set_override(const std::string& assignment);

  const nlohmann::json& doc() const { return doc_; }
  nlohmann::json& doc() { return doc_; }
  // The file (or "--set") that gave a key path its value; the top file if unknown.
  std::string origin(const std::string& key_path) const;
  std::string origin_dir(const std::string& key_path) const;
  // The file read (after resolve_config_path) and the name it was given by (what reports show).
  const std::string& top_file() const { return top_file_; }
  const std::string& given_name() const { return given_name_; }

  // Every leaf path ("array.rows") with its value, in document order.
  std::vector<std::pair<std::string, const nlohmann::json*>> leaves() const;

 private:
  void merge_file(const std::string& path, std::vector<std::string>& stack);
  void merge_into(nlohmann::json& dst, const nlohmann::json& src, const std::string& prefix,
                  const std::string& origin);

  nlohmann::json doc_ = nlohmann::json::object();
  std::map<std::string, std::string> origins_;
  std::string top_file_, given_name_;
};

}  // namespace strata
