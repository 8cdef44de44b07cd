#include "workloads/layer_list_json.h"

#include <set>

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

class LayerReader {
 public:
  LayerReader(const nlohmann::json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  int64_t integer(const std::string& key, int64_t fallback, bool required) {
    if (!obj_.contains(key)) {
      if (required) fail(key, "is required (an integer) but not given");
      return fallback;
    }
    const auto& v = obj_.at(key);
    if (!v.is_number_integer()) fail(key, "must be an integer, got " + json_type_name(v));
    return v.get<int64_t>();
  }

  // An integer or an [h, w] pair.
  std::pair<int64_t, int64_t> pair(const std::string& key, int64_t fallback, bool required) {
    if (!obj_.contains(key)) {
      if (required) fail(key, "is required (an integer or [h, w]) but not given");
      return {fallback, fallback};
    }
    const auto& v = obj_.at(key);
    if (v.is_number_integer()) return {v.get<int64_t>(), v.get<int64_t>()};
    if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer()) {
      return {v[0].get<int64_t>(), v[1].get<int64_t>()};
    }
    fail(key, "must be an integer or an [h, w] pair of integers, got " + v.dump());
  }

  std::string string(const std::string& key) {
    if (!obj_.contains(key)) fail(key, "is required (a string) but not given");
    const auto& v = obj_.at(key);
    if (!v.is_string()) fail(key, "must be a string, got " + json_type_name(v));
    return v.get<std::string>();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(where_ + "." + key + ": " + what);
  }

 private:
  const nlohmann::json& obj_;
  std::string where_;
};

}  // namespace

Layer parse_layer_shape(const nlohmann::json& obj, const std::string& where,
                        const std::string& type_key, const std::set<std::string>& extra_keys) {
  if (!obj.is_object()) throw InputError(where + ": must be an object, got " + json_type_name(obj));
  LayerReader r(obj, where);
  Layer l;
  l.name = r.string("name");
  const std::string type = r.string(type_key);
  // Unknown keys first: a misspelt key reads better than the "required" error it causes.
  static const std::set<std::string> conv_keys = {"name",    "batch",  "in_h",    "in_w",
                                                  "in_c",    "out_c",  "kernel",  "stride",
                                                  "padding", "groups", "dilation"};
  static const std::set<std::string> gemm_keys = {"name", "batch", "m", "n", "k"};
  const auto& known = type == "conv2d" ? conv_keys : gemm_keys;
  for (const auto& item : obj.items()) {
    if (!known.count(item.key()) && item.key() != type_key && !extra_keys.count(item.key()) &&
        (type == "conv2d" || type == "gemm" || type == "matmul")) {
      r.fail(item.key(), "is not a known " + type + " layer key");
    }
  }
  l.batch = r.integer("batch", 1, false);
  if (type == "conv2d") {
    l.type = LayerType::kConv2d;
    l.in_h = r.integer("in_h", 0, true);
    l.in_w = r.integer("in_w", 0, true);
    l.in_c = r.integer("in_c", 0, true);
    l.out_c = r.integer("out_c", 0, true);
    std::tie(l.kernel_h, l.kernel_w) = r.pair("kernel", 1, true);
    std::tie(l.stride_h, l.stride_w) = r.pair("stride", 1, false);
    std::tie(l.pad_h, l.pad_w) = r.pair("padding", 0, false);
    l.groups = r.integer("groups", 1, false);
    std::tie(l.dilation_h, l.dilation_w) = r.pair("dilation", 1, false);
  } else if (type == "gemm" || type == "matmul") {
    l.type = LayerType::kGemm;
    l.m = r.integer("m", 0, true);
    l.n = r.integer("n", 0, true);
    l.k = r.integer("k", 0, true);
  } else {
    r.fail(type_key, "must be one of \"conv2d\", \"gemm\", \"matmul\", got \"" + type + "\"");
  }
  validate_layer(l, where);
  return l;
}

nlohmann::json layer_shape_json(const Layer& l, const std::string& type_key) {
  nlohmann::json j;
  j["name"] = l.name;
  j["batch"] = l.batch;
  if (l.type == LayerType::kGemm) {
    j[type_key] = l.batch > 1 ? "matmul" : "gemm";
    j["m"] = l.m;
    j["n"] = l.n;
    j["k"] = l.k;
    return j;
  }
  j[type_key] = "conv2d";
  j["in_h"] = l.in_h;
  j["in_w"] = l.in_w;
  j["in_c"] = l.in_c;
  j["out_c"] = l.out_c;
  j["kernel"] = {l.kernel_h, l.kernel_w};
  j["stride"] = {l.stride_h, l.stride_w};
  j["padding"] = {l.pad_h, l.pad_w};
  j["groups"] = l.groups;
  if (l.dilation_h != 1 || l.dilation_w != 1) j["dilation"] = {l.dilation_h, l.dilation_w};
  return j;
}

Workload parse_layer_list(const nlohmann::json& doc, const std::string& file_name) {
  if (!doc.is_object())
    throw InputError(file_name + ": top level must be an object with \"layers\"");
  Workload w;
  w.source = file_name;
  w.name = base_name_without_extension(file_name);
  for (const auto& item : doc.items()) {
    if (item.key() == "name") {
      if (!item.value().is_string()) throw InputError(file_name + ": name: must be a string");
      w.name = item.value().get<std::string>();
    } else if (item.key() != "layers" && item.key() != "format_version") {
      throw InputError(file_name + ": " + item.key() +
                       ": is not a known key (expected name, layers, format_version)");
    }
  }
  if (doc.contains("format_version") && doc["format_version"] != 1) {
    throw InputError(file_name + ": format_version: must be 1, got " +
                     doc["format_version"].dump());
  }
  if (!doc.contains("layers") || !doc["layers"].is_array() || doc["layers"].empty()) {
    throw InputError(file_name + ": layers: required, a non-empty array of layer objects");
  }
  std::set<std::string> names;
  const auto& layers = doc["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string where = file_name + ": layers[" + std::to_string(i) + "]";
    Layer l = parse_layer_shape(layers[i], where, "type", {"mapping"});
    if (layers[i].contains("mapping")) {
      l.mapping = mapping_from_json(layers[i]["mapping"], where + ".mapping");
      check_mapping_covers(l.mapping, mapping_dims(l), where + ".mapping");
    }
    if (!names.insert(l.name).second) {
      throw InputError(where + ".name: duplicate layer name '" + l.name + "'");
    }
    w.layers.push_back(std::move(l));
  }
  return w;
}

Workload load_layer_list(const std::string& path) {
  return parse_layer_list(load_json_file(path), path);
}

}  // namespace strata
