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

// Values of a float32/float16/bfloat16/double/(u)int8-64/bool tensor, as doubles (exact for every
// int32 and for int64 up to 2^53). Throws InputError (naming the tensor, not the file) for other
// types (strings, complex), if its data does not match its dims, if it has more than
// `max_elements`, or if its external data is missing, not a regular file, escapes the model's
// directory or is short; every size is checked before anything is allocated. `model_file`
// locates external data.
std::vector<double> onnx_tensor_values(const onnx::TensorProto& tensor,
                                       const std::string& model_file,
                                       int64_t max_elements = int64_t{1} << 32);

// The checks of onnx_tensor_values without reading or allocating: its type is an ONNX type, its
// dims give at most `max_elements`, and for the types strata reads, the bytes it holds (inline, or
// in its external file) are the ones its dims need.
// `kind` names the tensor in its errors ("tensor", "initializer").
void check_onnx_tensor_storage(const onnx::TensorProto& tensor, const std::string& model_file,
                               int64_t max_elements, const char* kind = "tensor");

// A data type's name ("FLOAT", "type 999").
std::string onnx_type_name(int32_t data_type);

}  // namespace strata
