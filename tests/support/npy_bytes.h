#pragma once
// The bytes of a little-endian float32 .npy file (format 1.0, C order) with the given shape and
// raw data, for tests that write inputs and weights.
#include <cstdint>
#include <string>
#include <vector>

namespace strata::test {

// `shape` as the header spells it inside the parentheses ("1000, 512"; "4," for one dim): tests
// of bad files give dims no integer type holds.
inline std::string npy_bytes(const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string npy = std::string("\x93NUMPY\x01\x00", 8);
  npy += static_cast<char>(header.size() & 0xFF);
  npy += static_cast<char>(header.size() >> 8);
  return npy + header + data;
}

inline std::string npy_bytes(const std::vector<int64_t>& shape, const std::vector<float>& data) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  return npy_bytes(
      dims, std::string(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float)));
}

}  // namespace strata::test
