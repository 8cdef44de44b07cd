#pragma once
// Which files a model's weights were read from, by content: the provenance a trace and a report
// carry, so a figure says whether it came from real or synthetic weights, and which real ones.
#include <string>
#include <vector>

namespace strata {

struct WeightFile {
  std::string name;    // file name, without its directory (reports carry no machine paths)
  std::string sha256;  // of the bytes read, lowercase hex
};

// `path`'s file name and the SHA-256 of `bytes`.
WeightFile weight_file(const std::string& path, const std::string& bytes);

// Appends `f` unless a file of the same name and digest is listed already.
void add_weight_file(std::vector<WeightFile>& files, WeightFile f);

}  // namespace strata
