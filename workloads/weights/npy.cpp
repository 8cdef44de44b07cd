#include "workloads/weights/npy.h"

#include <cctype>
#include <cstring>

#include "common/input_error.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

[[noreturn]] void fail(const std::string& file, size_t offset, const std::string& what) {
  throw InputError(file + ": byte " + std::to_string(offset) + ": " + what);
}

uint32_t read_le(const std::string& b, size_t offset, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[offset + i]);
  return v;
}

}  // namespace

NamedTensor parse_npy(const std::string& b, const std::string& file) {
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0)
    fail(file, 0, "not a .npy file (magic \\x93NUMPY missing)");
  const int major = static_cast<unsigned char>(b[6]);
  if (major < 1 || major > 3)
    fail(file, 6, "unsupported .npy version " + std::to_string(major) + " (expected 1-3)");
  const int len_bytes = major == 1 ? 2 : 4;
  const size_t header_start = 8 + len_bytes;
  if (b.size() < header_start) fail(file, 8, "truncated header length");
  const size_t header_len = read_le(b, 8, len_bytes);
  if (header_start + header_len > b.size()) {
    fail(file, 8,
         "header length " + std::to_string(header_len) + " runs past the end of the file (" +
             std::to_string(b.size()) + " bytes)");
  }
  const std::string header = b.substr(header_start, header_len);
  // The header is a Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3),
  // }
  auto value_of = [&](const std::string& key) -> std::string {
    const size_t k = header.find("'" + key + "'");
    if (k == std::string::npos) fail(file, header_start, "header has no '" + key + "'");
    size_t v = header.find(':', k);
    if (v == std::string::npos)
      fail(file, header_start + k, "header entry '" + key + "' has no value");
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    const char open = v < header.size() ? header[v] : '\0';
    const char close = open == '\'' ? '\'' : open == '(' ? ')' : '\0';
    if (close) {
      const size_t end = header.find(close, v + 1);
      if (end == std::string::npos)
        fail(file, header_start + v, "unterminated value of '" + key + "'");
      return header.substr(v + 1, end - v - 1);
    }
    const size_t end = header.find_first_of(",}", v);
    return header.substr(v, end == std::string::npos ? std::string::npos : end - v);
  };
  const std::string descr = value_of("descr");
  if (value_of("fortran_order") == "True") {
    fail(file, header_start, "fortran_order arrays are not supported; save with C order");
  }
  NamedTensor t;
  const std::string dims = value_of("shape");
  for (size_t p = 0; p < dims.size();) {
    if (std::isdigit(static_cast<unsigned char>(dims[p]))) {
      size_t end = p;
      while (end < dims.size() && std::isdigit(static_cast<unsigned char>(dims[end]))) ++end;
      if (end - p > 12) {
        fail(file, header_start,
             "shape '(" + dims + ")': dimension " + dims.substr(p, end - p) + " is out of range");
      }
      t.shape.push_back(std::stoll(dims.substr(p, end - p)));
      p = end;
    } else if (dims[p] == ',' || dims[p] == ' ') {
      ++p;
    } else {
      fail(file, header_start, "shape '(" + dims + ")' is not a tuple of integers");
    }
  }
  int width = 0;
  if (descr == "<f4")
    width = 4;
  else if (descr == "<f8")
    width = 8;
  else if (descr == "<f2")
    width = 2;
  else
    fail(file, header_start, "dtype '" + descr + "' not supported (expected <f2, <f4 or <f8)");
  const size_t data_start = header_start + header_len;
  const int64_t elements =
      checked_elements(t.shape, file + ": byte " + std::to_string(header_start));
  const size_t need = static_cast<size_t>(elements) * width;
  if (b.size() - data_start != need) {
    fail(file, data_start,
         "shape " + t.shape_string() + " of " + descr + " needs " + std::to_string(need) +
             " data bytes, the file has " + std::to_string(b.size() - data_start));
  }
  t.data.resize(static_cast<size_t>(elements));
  const char* p = b.data() + data_start;
  for (size_t i = 0; i < t.data.size(); ++i) {
    if (width == 4) {
      std::memcpy(&t.data[i], p + 4 * i, 4);
    } else if (width == 8) {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      t.data[i] = static_cast<float>(d);
    } else {
      uint16_t h;
      std::memcpy(&h, p + 2 * i, 2);
      t.data[i] = half_to_float(h);
    }
  }
  require_finite(t.data, file);
  return t;
}

NamedTensor load_npy(const std::string& path) { return parse_npy(read_text_file(path), path); }

}  // namespace strata
