#pragma once
// The safetensors container (8-byte little-endian header length, a JSON header naming every
// tensor's dtype, shape and byte range, then the raw little-endian data), so that any tool
// (Python's safetensors, numpy, ...) can read strata's integer codes.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace strata {

struct SafeTensor {
  std::string dtype;  // "U8", "I8", "F32", "F64"
  std::vector<int64_t> shape;
  std::string bytes;  // little-endian data
  int64_t elements() const;
};

using SafeTensorMap = std::map<std::string, SafeTensor>;

int dtype_size(const std::string& dtype);  // 0 if unknown
std::string write_safetensors(const SafeTensorMap& tensors,
                              const std::map<std::string, std::string>& metadata);
// Validates the header, every dtype, shape and byte range; throws InputError naming the file and
// the byte offset or tensor.
SafeTensorMap parse_safetensors(const std::string& bytes, const std::string& file);

SafeTensor make_u8_tensor(const std::vector<uint8_t>& values, std::vector<int64_t> shape);
SafeTensor make_f64_tensor(const std::vector<double>& values, std::vector<int64_t> shape);
std::vector<double> f64_values(const SafeTensor& t);

}  // namespace strata
