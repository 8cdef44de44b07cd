// An ONNX model: protobuf parse, topological order, shape inference with constant folding, and
// the mapping to layers.
#include "fuzz_support.h"
#include "workloads/onnx/onnx_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata;
  const std::string path = fuzz::write_scratch("m.onnx", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only([&] { import_onnx(path).workload.macs(); });
}
