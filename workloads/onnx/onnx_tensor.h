#pragma once
// The element values of an ONNX tensor (an initializer or a Constant's value), whatever its
// storage: raw little-endian bytes, the typed repeated fields, or external data in a file beside
// the model. One reader for the small constants shape inference folds and for the weights.
#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
}

namespace strata {

// Values of a float32/float16/double/int64/int32/int16/int8/uint8/bool tensor, as doubles (exact
// for every int32 and for int64 up to 2^53). Empty for other types (strings, ...). Throws
// InputError (naming the tensor, not the file) if its data does not match its dims, if it has more
// than `max_elements`, or if its external data is missing, escapes the model's directory or is
// short. `model_file` locates external data.
std::vector<double> onnx_tensor_values(const onnx::TensorProto& tensor,
                                       const std::string& model_file,
                                       int64_t max_elements = int64_t{1} << 32);

}  // namespace strata
