#pragma once
// TF.js stores kernels HWIO ([kh, kw, cin, cout]), depthwise kernels [kh, kw, c, multiplier] and
// dense kernels [in, out]; strata's quantizers take output-channel-major WeightTensors.
#include <string>

#include "workloads/quant/weight_tensor.h"
#include "workloads/weights/named_tensor.h"

namespace strata {

// Throw InputError naming `what` if the tensor's rank does not fit.
WeightTensor from_hwio(const NamedTensor& t, const std::string& what);
WeightTensor from_depthwise_hwcm(const NamedTensor& t, const std::string& what);
WeightTensor from_dense_io(const NamedTensor& t, const std::string& what);

// Multiplies every output channel by its factor (folds a per-channel scale or BN multiplier).
void scale_output_channels(WeightTensor& w, const NamedTensor& factors, const std::string& what);

}  // namespace strata
