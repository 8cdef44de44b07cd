#pragma once
// Real weights mapped onto zoo layers (docs/references.md §8):
// - faceres       <- faceres-deep (TF.js model.json): every layer, the MobileNet-V1 backbone (BN
//   multipliers of the depthwise layers folded in; the pointwise kernels come BN-merged) and
//   the feats, gender_pred and age_pred heads. (The zoo's mobilenet_v1, an ImageNet
//   classifier, has no real weights: its weights are synthetic.)
// - resnet34_face <- face-api's face recognition model (TF.js weights manifest): all 29
//   convolutions with their per-channel scale layers folded in, and the fc.
#include <map>
#include <string>

#include "workloads/layer.h"
#include "workloads/layer_weights.h"
#include "workloads/weight_file.h"

namespace strata {

// True if the zoo model has a real-weight mapping; its file name in the weights cache.
bool has_real_weights(const std::string& model);
std::string real_weights_file(const std::string& model);

// Loads `path` and maps its tensors onto `w`'s layers (by layer name). Layers without a real
// tensor are absent from the result. Throws InputError on a missing tensor or a shape mismatch.
// With `files`, appends the files read (by content).
std::map<std::string, LayerWeights> load_real_weights(const std::string& model,
                                                      const std::string& path, const Workload& w,
                                                      std::vector<WeightFile>* files = nullptr);

// Weights from a directory of NumPy files, one per layer: "<layer>.npy" ('/' in layer names
// becomes '_'), PyTorch layout [out, in/groups, kh, kw] for convolutions and [out, in] for
// fully connected layers. Layers without a file are absent from the result; a file whose shape
// does not match its layer is an InputError.
std::map<std::string, LayerWeights> load_npy_weights(const std::string& dir, const Workload& w,
                                                     std::vector<WeightFile>* files = nullptr);

}  // namespace strata
