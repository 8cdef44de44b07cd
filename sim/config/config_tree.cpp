#include "sim/config/config_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "common/input_error.h"
#include "common/utf8.h"
#include "sim/config/param_specs.h"
#include "workloads/json_file.h"

namespace strata {
namespace {

constexpr size_t kMaxIncludeDepth = 16;

std::string dir_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string join_path(const std::string& dir, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return rel;
  return dir == "." ? rel : dir + "/" + rel;
}

void collect_leaves(const nlohmann::json& node, const std::string& prefix,
                    std::vector<std::pair<std::string, const nlohmann::json*>>& out) {
  if (node.is_object() && !node.empty()) {
    for (const auto& item : node.items()) {
      collect_leaves(item.value(), prefix.empty() ? item.key() : prefix + "." + item.key(), out);
    }
    return;
  }
  out.emplace_back(prefix, &node);
}

}  // namespace

std::string builtin_config_file(const std::string& path) {
  if (path.empty() || path[0] == '/') return "";
  // Docs and examples name the built-in configs from the project root: "configs/x.json".
  const std::string prefix = "configs/";
  const std::string rel =
      path.compare(0, prefix.size(), prefix) == 0 ? path.substr(prefix.size()) : path;
  const std::string builtin = builtin_config_dir() + "/" + rel;
  std::error_code ec;
  return std::filesystem::is_regular_file(builtin, ec) ? builtin : "";
}

std::string resolve_config_path(const std::string& path) {
  std::error_code ec;
  if (path.empty() || path[0] == '/' || std::filesystem::exists(path, ec)) return path;
  const std::string builtin = builtin_config_file(path);
  if (!builtin.empty()) return builtin;
  throw InputError(path +
                   ": no such config, in the working directory or among the built-in "
                   "configs (" +
                   builtin_config_dir() + ")");
}

std::string resolve_config_path_from(const std::string& dir, const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  const std::string beside = dir.empty() || dir == "." ? path : dir + "/" + path;
  std::error_code ec;
  if (std::filesystem::exists(beside, ec)) return beside;
  const std::string builtin = builtin_config_file(path);
  return builtin.empty() ? beside : builtin;
}

ConfigTree ConfigTree::load(const std::string& path) {
  ConfigTree t;
  const std::string resolved = resolve_config_path(path);
  t.top_file_ = resolved;
  t.given_name_ = path;
  std::vector<std::string> stack;
  t.merge_file(resolved, stack);
  return t;
}

ConfigTree ConfigTree::from_json(const nlohmann::json& doc, const std::string& origin) {
  ConfigTree t;
  t.top_file_ = origin;
  t.given_name_ = origin;
  if (!doc.is_object()) throw InputError(origin + ": top level must be a JSON object");
  t.merge_into(t.doc_, doc, "", origin);
  return t;
}

void ConfigTree::merge_file(const std::string& path, std::vector<std::string>& stack) {
  // A file is known by its device and inode, so "a.json" and "./x/../a.json" are one file.
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    const std::string id = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    if (std::find(stack.begin(), stack.end(), id) != stack.end()) {
      throw InputError(path + ": include: include cycle through this file");
    }
    stack.push_back(id);
  } else {
    stack.push_back(path);  // load_json_file reports why it cannot be read
  }
  if (stack.size() > kMaxIncludeDepth) {
    throw InputError(path + ": include: includes nested deeper than " +
                     std::to_string(kMaxIncludeDepth) + " files");
  }
  nlohmann::json doc = load_json_file(path);
  if (!doc.is_object()) throw InputError(path + ": top level must be a JSON object");
  if (doc.contains("include")) {
    const auto& inc = doc["include"];
    std::vector<std::string> files;
    if (inc.is_string()) {
      files.push_back(inc.get<std::string>());
    } else if (inc.is_array() &&
               std::all_of(inc.begin(), inc.end(), [](const auto& v) { return v.is_string(); })) {
      for (const auto& v : inc) files.push_back(v.get<std::string>());
    } else {
      throw InputError(path +
                       ": include: must be a path or a list of paths (relative to this file)");
    }
    for (const auto& f : files) merge_file(join_path(dir_of(path), f), stack);
    doc.erase("include");
  }
  merge_into(doc_, doc, "", path);
  stack.pop_back();
}

void ConfigTree::merge_into(nlohmann::json& dst, const nlohmann::json& src,
                            const std::string& prefix, const std::string& origin) {
  for (const auto& item : src.items()) {
    const std::string path = prefix.empty() ? item.key() : prefix + "." + item.key();
    if (item.value().is_object() && !item.value().empty()) {
      if (!dst.contains(item.key()) || !dst[item.key()].is_object())
        dst[item.key()] = nlohmann::json::object();
      merge_into(dst[item.key()], item.value(), path, origin);
    } else {
      dst[item.key()] = item.value();
      origins_[path] = origin;
    }
  }
}

void ConfigTree::set_override(const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--set '" + assignment + "': expected <key.path>=<value>, e.g. array.rows=64");
  }
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  if (!valid_utf8(assignment)) {
    throw InputError("--set '" + path + "=...': the value is not valid UTF-8 text");
  }
  nlohmann::json value;
  if (nlohmann::json::accept(text)) {
    value = parse_json_text(text, "--set " + path);  // bounded depth, numbers in range
  } else {
    value = text;  // bare words are strings: array.dataflow=ws
  }
  nlohmann::json* node = &doc_;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty()) throw InputError("--set '" + assignment + "': empty component in key path");
    if (dot == std::string::npos) {
      (*node)[key] = value;
      break;
    }
    if (!node->contains(key) || !(*node)[key].is_object()) (*node)[key] = nlohmann::json::object();
    node = &(*node)[key];
    start = dot + 1;
  }
  origins_[path] = "--set";
}

std::string ConfigTree::origin(const std::string& key_path) const {
  auto it = origins_.find(key_path);
  return it == origins_.end() ? top_file_ : it->second;
}

std::string ConfigTree::origin_dir(const std::string& key_path) const {
  const std::string o = origin(key_path);
  return o == "--set" ? "." : dir_of(o);
}

std::vector<std::pair<std::string, const nlohmann::json*>> ConfigTree::leaves() const {
  std::vector<std::pair<std::string, const nlohmann::json*>> out;
  collect_leaves(doc_, "", out);
  return out;
}

}  // namespace strata
