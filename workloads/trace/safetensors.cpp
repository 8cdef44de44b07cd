#include "workloads/trace/safetensors.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/weights/named_tensor.h"

namespace strata {

int64_t SafeTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) throw std::overflow_error("shape overflows");
  }
  return n;
}

int dtype_size(const std::string& dtype) {
  if (dtype == "U8" || dtype == "I8" || dtype == "BOOL") return 1;
  if (dtype == "F16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  return 0;
}

std::string write_safetensors(const SafeTensorMap& tensors,
                              const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  std::string data;
  for (const auto& [name, t] : tensors) {
    header[name] = {{"dtype", t.dtype},
                    {"shape", t.shape},
                    {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
    data += t.bytes;
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0) text += ' ';  // keeps the data 8-byte aligned
  std::string out(8, '\0');
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out + text + data;
}

SafeTensorMap parse_safetensors(const std::string& bytes, const std::string& file) {
  auto fail = [&](size_t offset, const std::string& what) -> void {
    throw InputError(file + ": byte " + std::to_string(offset) + ": " + what);
  };
  if (bytes.size() < 8) fail(0, "truncated: no 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  if (n > bytes.size() - 8)
    fail(0, "header length " + std::to_string(n) + " runs past the end of the file");
  nlohmann::json header;
  try {
    header = parse_json_text(bytes.substr(8, n), file + " header");
  } catch (const InputError& e) {
    fail(8, std::string("header is not JSON: ") + e.what());
  }
  if (!header.is_object()) fail(8, "header is not a JSON object");
  const size_t data_start = 8 + n, data_size = bytes.size() - data_start;
  SafeTensorMap out;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto& item : header.items()) {
    if (item.key() == "__metadata__") continue;
    const std::string where = "tensor '" + item.key() + "'";
    const auto& e = item.value();
    if (!e.is_object() || !e.contains("dtype") || !e["dtype"].is_string() || !e.contains("shape") ||
        !e["shape"].is_array() || !e.contains("data_offsets") || !e["data_offsets"].is_array() ||
        e["data_offsets"].size() != 2) {
      fail(8, where + ": needs dtype, shape and data_offsets [begin, end]");
    }
    SafeTensor t;
    t.dtype = e["dtype"];
    if (dtype_size(t.dtype) == 0) fail(8, where + ": unknown dtype '" + t.dtype + "'");
    for (const auto& d : e["shape"]) {
      if (!d.is_number_unsigned() || d.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
        fail(8, where + ": shape dimensions must be non-negative integers");
      t.shape.push_back(d.get<int64_t>());
    }
    const auto& o = e["data_offsets"];
    if (!o[0].is_number_unsigned() || !o[1].is_number_unsigned())
      fail(8, where + ": data_offsets must be integers");
    const uint64_t b = o[0], end = o[1];
    if (b > end || end > data_size) {
      fail(data_start + std::min<uint64_t>(b, data_size),
           where + ": bytes " + std::to_string(b) + ".." + std::to_string(end) + " outside the " +
               std::to_string(data_size) + "-byte data section (truncated file?)");
    }
    const int64_t elements = checked_elements(t.shape, file + ": byte 8: " + where);
    const uint64_t expected = static_cast<uint64_t>(elements) * dtype_size(t.dtype);
    if (end - b != expected) {
      fail(data_start + b, where + ": " + std::to_string(end - b) + " bytes for shape of " +
                               std::to_string(elements) + " " + t.dtype + " elements (" +
                               std::to_string(expected) + " expected)");
    }
    t.bytes = bytes.substr(data_start + b, end - b);
    ranges.emplace_back(b, end);
    out.emplace(item.key(), std::move(t));
  }
  std::sort(ranges.begin(), ranges.end());
  uint64_t covered = 0;
  for (const auto& [b, e] : ranges) {
    if (b < covered) fail(data_start + b, "tensor byte ranges overlap");
    covered = e;
  }
  if (covered != data_size)
    fail(data_start + covered,
         "data section has " + std::to_string(data_size - covered) + " bytes no tensor describes");
  return out;
}

SafeTensor make_u8_tensor(const std::vector<uint8_t>& values, std::vector<int64_t> shape) {
  return {"U8", std::move(shape), std::string(values.begin(), values.end())};
}

SafeTensor make_f64_tensor(const std::vector<double>& values, std::vector<int64_t> shape) {
  std::string b(values.size() * 8, '\0');
  std::memcpy(b.data(), values.data(), b.size());  // little-endian host (x86-64, aarch64)
  return {"F64", std::move(shape), std::move(b)};
}

std::vector<double> f64_values(const SafeTensor& t) {
  std::vector<double> v(t.bytes.size() / 8);
  std::memcpy(v.data(), t.bytes.data(), v.size() * 8);
  return v;
}

}  // namespace strata
