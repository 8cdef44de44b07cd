#include "workloads/weights/tfjs.h"

#include <cstring>

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

const J& groups_of(const J& manifest, const std::string& file) {
  if (manifest.is_array()) return manifest;
  if (manifest.is_object() && manifest.contains("weightsManifest") &&
      manifest["weightsManifest"].is_array()) {
    return manifest["weightsManifest"];
  }
  throw InputError(file + ": not a TF.js model (expected \"weightsManifest\" or a manifest array)");
}

template <typename T>
T read(const std::string& bytes, size_t offset) {
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

}  // namespace

TensorMap parse_tfjs(const J& manifest, const std::string& file, const ShardReader& read_shard) {
  TensorMap tensors;
  const J& groups = groups_of(manifest, file);
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string where = file + ": weightsManifest[" + std::to_string(g) + "]";
    const J& group = groups[g];
    if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() ||
        !group.contains("weights") || !group["weights"].is_array()) {
      throw InputError(where + ": expected {\"paths\": [...], \"weights\": [...]}");
    }
    std::string bytes;
    for (const auto& p : group["paths"]) {
      if (!p.is_string()) throw InputError(where + ".paths: shard paths must be strings");
      bytes += read_shard(p.get<std::string>());
    }
    size_t offset = 0;
    for (size_t i = 0; i < group["weights"].size(); ++i) {
      const J& w = group["weights"][i];
      const std::string wwhere = where + ".weights[" + std::to_string(i) + "]";
      if (!w.is_object() || !w.contains("name") || !w["name"].is_string() || !w.contains("shape") ||
          !w["shape"].is_array() || !w.contains("dtype") || !w["dtype"].is_string()) {
        throw InputError(wwhere + ": expected name, shape and dtype");
      }
      const std::string name = w["name"];
      NamedTensor t;
      for (const auto& d : w["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0)
          throw InputError(wwhere + " (" + name +
                           ").shape: dimensions must be non-negative integers");
        t.shape.push_back(d.get<int64_t>());
      }
      std::string dtype = w["dtype"];
      double scale = 1, min = 0;
      const bool quantized = w.contains("quantization");
      if (quantized) {
        const J& q = w["quantization"];
        if (!q.is_object() || !q.contains("dtype") || !q["dtype"].is_string()) {
          throw InputError(wwhere + " (" + name + ").quantization: expected {\"dtype\": ...}");
        }
        dtype = q["dtype"];
        if (dtype != "float16") {
          if (!q.contains("scale") || !q["scale"].is_number() || !q.contains("min") ||
              !q["min"].is_number()) {
            throw InputError(wwhere + " (" + name + ").quantization: " + dtype +
                             " needs numeric scale and min");
          }
          scale = q["scale"];
          min = q["min"];
        }
      }
      size_t width = 0;
      if (dtype == "float32" || dtype == "int32")
        width = 4;
      else if (dtype == "uint16" || dtype == "float16")
        width = 2;
      else if (dtype == "uint8" || dtype == "bool")
        width = 1;
      else
        throw InputError(wwhere + " (" + name + "): dtype '" + dtype + "' not supported");
      const int64_t elements = checked_elements(t.shape, wwhere + " (" + name + ")");
      const size_t need = static_cast<size_t>(elements) * width;
      if (need > bytes.size() - offset) {
        throw InputError(wwhere + " (" + name + "): needs bytes " + std::to_string(offset) + ".." +
                         std::to_string(offset + need) + " but the shards hold " +
                         std::to_string(bytes.size()) + " bytes (truncated shard?)");
      }
      t.data.resize(static_cast<size_t>(elements));
      for (size_t e = 0; e < t.data.size(); ++e) {
        const size_t at = offset + e * width;
        if (dtype == "float32")
          t.data[e] = read<float>(bytes, at);
        else if (dtype == "int32")
          t.data[e] = static_cast<float>(read<int32_t>(bytes, at));
        else if (dtype == "float16")
          t.data[e] = half_to_float(read<uint16_t>(bytes, at));
        else if (dtype == "uint16")
          t.data[e] = static_cast<float>(read<uint16_t>(bytes, at) * scale + min);
        else
          t.data[e] = static_cast<float>(
              static_cast<unsigned char>(bytes[at]) * (quantized ? scale : 1.0) + min);
      }
      require_finite(t.data, wwhere + " (" + name + ")");
      offset += need;
      if (!tensors.emplace(name, std::move(t)).second)
        throw InputError(wwhere + ": duplicate tensor name '" + name + "'");
    }
    if (offset != bytes.size()) {
      throw InputError(where + ": the weights use " + std::to_string(offset) +
                       " bytes but the shards hold " + std::to_string(bytes.size()));
    }
  }
  return tensors;
}

TensorMap load_tfjs(const std::string& manifest_path, std::vector<WeightFile>* files) {
  const size_t slash = manifest_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : manifest_path.substr(0, slash);
  const std::string manifest = read_text_file(manifest_path);
  if (files) add_weight_file(*files, weight_file(manifest_path, manifest));
  return parse_tfjs(parse_json_text(manifest, manifest_path), manifest_path,
                    [&](const std::string& rel) {
                      std::string bytes = read_text_file(dir + "/" + rel);
                      if (files) add_weight_file(*files, weight_file(rel, bytes));
                      return bytes;
                    });
}

}  // namespace strata
