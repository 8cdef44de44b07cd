#include "workloads/weight_file.h"

#include <algorithm>

#include "common/sha256.h"

namespace strata {

WeightFile weight_file(const std::string& path, const std::string& bytes) {
  const size_t slash = path.find_last_of('/');
  return {slash == std::string::npos ? path : path.substr(slash + 1), sha256_hex(bytes)};
}

void add_weight_file(std::vector<WeightFile>& files, WeightFile f) {
  const bool listed = std::any_of(files.begin(), files.end(), [&](const WeightFile& g) {
    return g.name == f.name && g.sha256 == f.sha256;
  });
  if (!listed) files.push_back(std::move(f));
}

}  // namespace strata
