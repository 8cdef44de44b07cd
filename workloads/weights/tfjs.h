#pragma once
// TF.js weights (docs/references.md §8): a model.json with "weightsManifest", or a bare weights
// manifest (an array of groups, as face-api ships). Each group's shards are concatenated in order
// and its tensors read back to back, little-endian: float32, int32, or quantized uint8/uint16
// (value = q * scale + min) and float16. Errors are InputErrors naming the file, the tensor and
// the byte offset.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "workloads/weights/named_tensor.h"
#include "workloads/weight_file.h"

namespace strata {

using ShardReader = std::function<std::string(const std::string& relative_path)>;

TensorMap parse_tfjs(const nlohmann::json& manifest, const std::string& manifest_name,
                     const ShardReader& read_shard);
// With `files`, appends the manifest and each shard read, by content.
TensorMap load_tfjs(const std::string& manifest_path, std::vector<WeightFile>* files = nullptr);

}  // namespace strata
