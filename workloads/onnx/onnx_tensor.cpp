#include "workloads/onnx/onnx_tensor.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>

#include "common/checked_math.h"
#include "common/input_error.h"

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

// Bytes per element of the types read, 0 for the others.
int64_t width_of(int type) {
  switch (type) {
    case TensorProto::DOUBLE:
    case TensorProto::INT64:
      return 8;
    case TensorProto::FLOAT:
    case TensorProto::INT32:
      return 4;
    case TensorProto::FLOAT16:
    case TensorProto::INT16:
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
    case TensorProto::FLOAT:
      return as(float{});
    case TensorProto::INT32:
      return as(int32_t{});
    case TensorProto::FLOAT16: {
      uint16_t h;
      std::memcpy(&h, p, 2);
      return half_to_double(h);
    }
    case TensorProto::INT16:
      return as(int16_t{});
    case TensorProto::INT8:
      return as(int8_t{});
    default:
      return as(uint8_t{});
  }
}

std::string external_bytes(const TensorProto& t, const std::string& model_file, int64_t want) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& e : t.external_data()) {
    if (e.key() == "location") location = e.value();
    if (e.key() == "offset") offset = std::atoll(e.value().c_str());
    if (e.key() == "length") length = std::atoll(e.value().c_str());
  }
  const std::string what = "tensor '" + t.name() + "'";
  if (location.empty() || location[0] == '/' || location.find("..") != std::string::npos) {
    throw InputError(what + ": external data location '" + location +
                     "' must be a file beside the model");
  }
  const size_t slash = model_file.find_last_of('/');
  const std::string path =
      (slash == std::string::npos ? std::string() : model_file.substr(0, slash + 1)) + location;
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw InputError(what + ": cannot open external data " + path);
  const int64_t size = static_cast<int64_t>(f.tellg());
  if (length >= 0 && length != want) {
    throw InputError(what + ": external length " + std::to_string(length) + " is not " +
                     std::to_string(want) + " bytes");
  }
  if (offset < 0 || offset > size || size - offset < want) {
    throw InputError(what + ": " + path + " holds " + std::to_string(size) +
                     " bytes, fewer than offset " + std::to_string(offset) + " + " +
                     std::to_string(want));
  }
  std::string raw(static_cast<size_t>(want), '\0');
  f.seekg(offset);
  f.read(raw.data(), want);
  return raw;
}

}  // namespace

std::vector<double> onnx_tensor_values(const TensorProto& t, const std::string& model_file,
                                       int64_t max_elements) {
  const std::string what = "tensor '" + t.name() + "'";
  const int type = t.data_type();
  const int64_t width = width_of(type);
  if (width == 0) return {};
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    const auto next = checked_product({count, d}, max_elements);
    if (!next) {
      throw InputError(what + ": more than " + std::to_string(max_elements) + " elements");
    }
    count = *next;
  }
  std::vector<double> out(static_cast<size_t>(count));
  const std::string raw = t.data_location() == TensorProto::EXTERNAL
                              ? external_bytes(t, model_file, count * width)
                              : t.raw_data();
  if (!raw.empty()) {
    if (static_cast<int64_t>(raw.size()) != count * width) {
      throw InputError(what + " holds " + std::to_string(raw.size()) + " bytes, not " +
                       std::to_string(count * width));
    }
    for (int64_t i = 0; i < count; ++i)
      out[static_cast<size_t>(i)] = element(type, raw.data() + i * width);
    return out;
  }
  auto copy = [&](const auto& field, auto convert) {
    if (static_cast<int64_t>(field.size()) != count) {
      throw InputError(what + " holds no data for its " + std::to_string(count) + " elements");
    }
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
    case TensorProto::FLOAT16:
      copy(t.int32_data(), [](int32_t h) { return half_to_double(static_cast<uint16_t>(h)); });
      break;
    default:  // int32, int16, int8, uint8, bool: in int32_data
      copy(t.int32_data(), same);
      break;
  }
  return out;
}

}  // namespace strata
