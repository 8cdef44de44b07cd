#pragma once
// NumPy .npy reader (format versions 1-3): little-endian float16/32/64, C order. Errors are
// InputErrors naming the file and the byte offset of what is wrong.
#include <string>

#include "workloads/weights/named_tensor.h"

namespace strata {

NamedTensor parse_npy(const std::string& bytes, const std::string& file_name);
NamedTensor load_npy(const std::string& path);

}  // namespace strata
