#pragma once
// The zoo models with real weights as whole float networks (docs/functional.md): each is built
// as an ONNX graph (NCHW, opset 13) from its TF.js weights and the network's published code, so
// functional execution, the importer and the front end treat it like any ONNX model.
// - faceres: HSE-FaceRes as Human ships it (faceres-deep): MobileNet-V1 1.0 at 224x224
//   (BatchNorm multipliers folded into the depthwise kernels, shifts as biases, ReLU6), global
//   average pooling (the 1024-d descriptor), then `feats` (1024->256, ReLU), `gender_pred`
//   (256->1, sigmoid) and `age_pred` (256->100, softmax). Layer names follow the zoo's.
// - resnet34_face: face-api's face recognizer (150x150, the 29 convolutions of its ResNet-34,
//   conv + bias + per-channel scale and shift, residual adds, the down blocks' average-pooled
//   shortcut zero-padded in channels and the branch zero-padded at the bottom/right when the
//   sizes differ, as face-api does), global average pooling, `fc` 256->128: the embedding.
#include <string>

#include "workloads/functional/image_input.h"
#include "workloads/weight_file.h"

namespace strata {

// True for the zoo models real_model_onnx builds.
bool has_real_model_graph(const std::string& model);

// The serialized ONNX model (a ModelProto) of `model` from its TF.js weights at `weights_path`.
// Throws InputError naming the file and tensor when a weight is missing or misshapen.
// With `files`, appends the weight files read (by content).
std::string real_model_onnx(const std::string& model, const std::string& weights_path,
                            std::vector<WeightFile>* files = nullptr);

// How a photograph becomes the model's input, as the model's own code prepares it.
ImagePreprocessing real_model_preprocessing(const std::string& model);

}  // namespace strata
