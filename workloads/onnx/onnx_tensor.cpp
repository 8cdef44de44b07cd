#include "workloads/onnx/onnx_tensor.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>

#include "common/checked_math.h"
#include "common/input_error.h"
#include "common/printable.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using onnx::TensorProto;

double half_to_double(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint32_t bits = 0;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalize
      int e = -1;
      uint32_t m = mant;
      do {
        ++e;
        m <<= 1;
      } while ((m & 0x400) == 0);
      bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (m & 0x3ff) << 13;
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | mant << 13;
  } else {
    bits = sign | (exp + 127 - 15) << 23 | mant << 13;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// bfloat16 is the top half of a float32.
double bfloat16_to_double(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Bytes per element of the types read, 0 for the others.
int64_t width_of(int type) {
  switch (type) {
    case TensorProto::DOUBLE:
    case TensorProto::INT64:
    case TensorProto::UINT64:
      return 8;
    case TensorProto::FLOAT:
    case TensorProto::INT32:
    case TensorProto::UINT32:
      return 4;
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
    case TensorProto::INT16:
    case TensorProto::UINT16:
      return 2;
    case TensorProto::INT8:
    case TensorProto::UINT8:
    case TensorProto::BOOL:
      return 1;
    default:
      return 0;
  }
}

double element(int type, const char* p) {
  auto as = [p](auto sample) {
    decltype(sample) x;
    std::memcpy(&x, p, sizeof x);
    return static_cast<double>(x);
  };
  switch (type) {
    case TensorProto::DOUBLE:
      return as(double{});
    case TensorProto::INT64:
      return as(int64_t{});
    case TensorProto::UINT64:
      return as(uint64_t{});
    case TensorProto::FLOAT:
      return as(float{});
    case TensorProto::INT32:
      return as(int32_t{});
    case TensorProto::UINT32:
      return as(uint32_t{});
    case TensorProto::FLOAT16: {
      uint16_t h;
      std::memcpy(&h, p, 2);
      return half_to_double(h);
    }
    case TensorProto::BFLOAT16: {
      uint16_t h;
      std::memcpy(&h, p, 2);
      return bfloat16_to_double(h);
    }
    case TensorProto::INT16:
      return as(int16_t{});
    case TensorProto::UINT16:
      return as(uint16_t{});
    case TensorProto::INT8:
      return as(int8_t{});
    default:
      return as(uint8_t{});
  }
}

// A decimal offset or length of external data; -1 if absent.
int64_t external_number(const std::string& what, const std::string& key, const std::string& text) {
  int64_t v = 0;
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw InputError(what + ": external data " + key + " '" + text +
                     "' is not a non-negative integer");
  }
  for (char c : text) v = v * 10 + (c - '0');
  return v;
}

struct ExternalSlice {
  std::string path;
  int64_t offset = 0;
};

// Where a tensor's external data lies, checked against the file's size (`want` bytes from the
// offset) before anything is read.
ExternalSlice external_slice(const TensorProto& t, const std::string& model_file, int64_t want,
                             const std::string& what) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& e : t.external_data()) {
    if (e.key() == "location") location = e.value();
    if (e.key() == "offset") offset = external_number(what, "offset", e.value());
    if (e.key() == "length") length = external_number(what, "length", e.value());
  }
  const std::string base = location.substr(location.find_last_of('/') + 1);
  if (location.empty() || location[0] == '/' || location.find("..") != std::string::npos ||
      base.empty() || base == "." || location.find('\0') != std::string::npos) {
    throw InputError(what + ": external data location '" + printable(location) +
                     "' must name a file beside the model");
  }
  const size_t slash = model_file.find_last_of('/');
  const std::string path =
      (slash == std::string::npos ? std::string() : model_file.substr(0, slash + 1)) + location;
  if (length >= 0 && length != want) {
    throw InputError(what + ": external length " + std::to_string(length) + " is not " +
                     std::to_string(want) + " bytes");
  }
  int64_t size = 0;
  try {
    size = input_file_size(path, INT64_MAX);
  } catch (const InputError& e) {
    throw InputError(what + ": external data " + e.what());
  }
  if (offset > size || size - offset < want) {
    throw InputError(what + ": " + path + " holds " + std::to_string(size) +
                     " bytes, fewer than offset " + std::to_string(offset) + " + " +
                     std::to_string(want));
  }
  return {path, offset};
}

std::string external_bytes(const TensorProto& t, const std::string& model_file, int64_t want) {
  const ExternalSlice slice =
      external_slice(t, model_file, want, "tensor '" + printable(t.name()) + "'");
  std::ifstream f(slice.path, std::ios::binary);
  std::string raw(static_cast<size_t>(want), '\0');
  f.seekg(slice.offset);
  if (!f || !f.read(raw.data(), want)) {
    throw InputError("tensor '" + t.name() + "': cannot read its external data " + slice.path);
  }
  return raw;
}

// The elements a tensor's dims give (at most max_elements), or InputError.
int64_t element_count(const TensorProto& t, int64_t max_elements, const std::string& what) {
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    const auto next = d < 0 ? std::nullopt : checked_product({count, d}, max_elements);
    if (!next) {
      throw InputError(what + ": dims give more than " + std::to_string(max_elements) +
                       " elements");
    }
    count = *next;
  }
  return count;
}

// The elements a typed repeated field holds for the tensor's type (raw_data empty).
int64_t typed_field_size(const TensorProto& t) {
  switch (t.data_type()) {
    case TensorProto::FLOAT:
      return t.float_data_size();
    case TensorProto::DOUBLE:
      return t.double_data_size();
    case TensorProto::INT64:
      return t.int64_data_size();
    case TensorProto::UINT64:
    case TensorProto::UINT32:
      return t.uint64_data_size();
    default:  // int32, int16, int8, uint16, uint8, bool, float16, bfloat16: in int32_data
      return t.int32_data_size();
  }
}

}  // namespace

std::string onnx_type_name(int32_t data_type) {
  if (!onnx::TensorProto_DataType_IsValid(data_type)) return "type " + std::to_string(data_type);
  return onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(data_type));
}

void check_onnx_tensor_storage(const TensorProto& t, const std::string& model_file,
                               int64_t max_elements, const char* kind) {
  const std::string what = std::string(kind) + " '" + printable(t.name()) + "'";
  const int type = t.data_type();
  if (!onnx::TensorProto_DataType_IsValid(type) || type == TensorProto::UNDEFINED) {
    throw InputError(what + ": data type " + std::to_string(type) + " is not an ONNX type");
  }
  const int64_t count = element_count(t, max_elements, what);
  const int64_t width = width_of(type);
  if (width == 0) return;  // strings and the like: read by nobody, sized by nobody
  if (t.data_location() == TensorProto::EXTERNAL) {
    external_slice(t, model_file, count * width, what);
    return;
  }
  if (!t.raw_data().empty() || typed_field_size(t) == 0) {
    if (static_cast<int64_t>(t.raw_data().size()) != count * width) {
      throw InputError(what + " holds " + std::to_string(t.raw_data().size()) +
                       " bytes of data, not the " + std::to_string(count * width) + " its dims (" +
                       std::to_string(count) + " elements of " + onnx_type_name(type) + ") need");
    }
    return;
  }
  if (typed_field_size(t) != count) {
    throw InputError(what + " holds " + std::to_string(typed_field_size(t)) + " values, not the " +
                     std::to_string(count) + " its dims need");
  }
}

std::vector<double> onnx_tensor_values(const TensorProto& t, const std::string& model_file,
                                       int64_t max_elements) {
  const std::string what = "tensor '" + printable(t.name()) + "'";
  const int type = t.data_type();
  const int64_t width = width_of(type);
  if (width == 0) {
    throw InputError(what + ": its data type (" + onnx_type_name(type) +
                     ") is not one strata reads (float, float16, bfloat16, double, bool and the "
                     "8- to 64-bit integers)");
  }
  // Every size is checked against the bytes the tensor holds before anything is allocated.
  check_onnx_tensor_storage(t, model_file, max_elements);
  const int64_t count = element_count(t, max_elements, what);
  const std::string raw = t.data_location() == TensorProto::EXTERNAL
                              ? external_bytes(t, model_file, count * width)
                              : t.raw_data();
  std::vector<double> out(static_cast<size_t>(count));
  if (t.data_location() == TensorProto::EXTERNAL || !t.raw_data().empty() || count == 0) {
    for (int64_t i = 0; i < count; ++i)
      out[static_cast<size_t>(i)] = element(type, raw.data() + i * width);
    return out;
  }
  auto copy = [&](const auto& field, auto convert) {
    for (int64_t i = 0; i < count; ++i) {
      out[static_cast<size_t>(i)] = convert(field.Get(static_cast<int>(i)));
    }
  };
  const auto same = [](auto x) { return static_cast<double>(x); };
  switch (type) {
    case TensorProto::FLOAT:
      copy(t.float_data(), same);
      break;
    case TensorProto::DOUBLE:
      copy(t.double_data(), same);
      break;
    case TensorProto::INT64:
      copy(t.int64_data(), same);
      break;
    case TensorProto::UINT64:
    case TensorProto::UINT32:
      copy(t.uint64_data(), same);
      break;
    case TensorProto::FLOAT16:
      copy(t.int32_data(), [](int32_t h) { return half_to_double(static_cast<uint16_t>(h)); });
      break;
    case TensorProto::BFLOAT16:
      copy(t.int32_data(), [](int32_t h) { return bfloat16_to_double(static_cast<uint16_t>(h)); });
      break;
    default:  // int32, int16, int8, uint16, uint8, bool: in int32_data
      copy(t.int32_data(), same);
      break;
  }
  return out;
}

}  // namespace strata
