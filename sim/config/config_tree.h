#pragma once
// A JSON config as loaded: sub-files merged by "include" (relative paths, included first, the
// including file's keys win), every leaf remembering the file it came from, and --set overrides.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace strata {

class ConfigTree {
 public:
  static ConfigTree load(const std::string& path);
  static ConfigTree from_json(const nlohmann::json& doc, const std::string& origin);

  // "array.rows=64": the value is parsed as JSON when it is valid JSON, else taken as a string.
  void set_override(const std::string& assignment);

  const nlohmann::json& doc() const { return doc_; }
  nlohmann::json& doc() { return doc_; }
  // The file (or "--set") that gave a key path its value; the top file if unknown.
  std::string origin(const std::string& key_path) const;
  std::string origin_dir(const std::string& key_path) const;
  const std::string& top_file() const { return top_file_; }

  // Every leaf path ("array.rows") with its value, in document order.
  std::vector<std::pair<std::string, const nlohmann::json*>> leaves() const;

 private:
  void merge_file(const std::string& path, std::vector<std::string>& stack);
  void merge_into(nlohmann::json& dst, const nlohmann::json& src, const std::string& prefix,
                  const std::string& origin);

  nlohmann::json doc_ = nlohmann::json::object();
  std::map<std::string, std::string> origins_;
  std::string top_file_;
};

}  // namespace strata
