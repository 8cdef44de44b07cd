#pragma once
// Reads one JSON object's keys, each once, with one-line errors naming where the object is
// ("<file>: nodes[2] \"control\""); finish() refuses the keys nobody read. For config sections
// that are lists or free-form maps the key table (param_specs.h) cannot describe.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/input_error.h"

namespace strata {

class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) fail("", "must be an object, got " + obj_.dump());
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(where_ + (key.empty() ? "" : "." + key) + ": " + what);
  }
  const nlohmann::json* get(const std::string& key) {
    read_.insert(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  std::string string(const std::string& key, const char* fallback = nullptr) {
    const nlohmann::json* v = get(key);
    if (!v) {
      if (!fallback) fail(key, "missing (a string)");
      return fallback;
    }
    if (!v->is_string() || v->get<std::string>().empty())
      fail(key, "must be a non-empty string, got " + v->dump());
    return v->get<std::string>();
  }
  double number(const std::string& key, double min, double max, double fallback) {
    const nlohmann::json* v = get(key);
    if (!v) return fallback;
    if (!v->is_number() || !(v->get<double>() >= min && v->get<double>() <= max)) {
      char b[96];
      std::snprintf(b, sizeof b, "must be a number in [%g, %g], got ", min, max);
      fail(key, b + v->dump());
    }
    return v->get<double>();
  }
  int64_t integer(const std::string& key, int64_t min, int64_t max, int64_t fallback,
                  bool required = false) {
    const nlohmann::json* v = get(key);
    if (!v) {
      if (required) fail(key, "missing (an integer)");
      return fallback;
    }
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      fail(key, "must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                    "], got " + v->dump());
    }
    return v->get<int64_t>();
  }
  bool boolean(const std::string& key, bool fallback) {
    const nlohmann::json* v = get(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(key, "must be true or false, got " + v->dump());
    return v->get<bool>();
  }
  void finish() const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      if (!read_.count(it.key())) {
        std::string known;
        for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
        fail(it.key(), "unknown key (known here: " + known + ")");
      }
    }
  }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& obj_;
  std::string where_;
  std::set<std::string> read_;
};

}  // namespace strata
