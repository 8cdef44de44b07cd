#pragma once
// Functional mode's image sensor (docs/seeds.md): what the quantized path reads when
// sensor.noise is on: the network's input as a camera reads the scene, or the optical first
// layer's output as the sensor reads the optics' light (hw_models/sensor/ holds the physics).
#include <cstdint>
#include <vector>

#include "sim/run/functional_run.h"
#include "workloads/functional/float_tensor.h"
#include "workloads/functional/image_input.h"
#include "workloads/layer.h"

namespace strata {

// What one input's sensor delivered against the exact values.
struct SensorPart {
  double signal = 0, noise = 0, electrons = 0;
  int64_t pixels = 0;
};

// The scene's intensity (r in [0, 1]) behind a network input of batch 1, NCHW.
std::vector<float> scene_intensity(const FloatTensor& x, const ImagePreprocessing& p);

// The network's input as the camera reads the scene.
FloatTensor camera_read(const FloatTensor& x, const ImagePreprocessing& p,
                        const SensorNoiseParams& sensor, uint64_t seed, SensorPart* part);

// The first layer's output as the sensor reads the optics' light: its exact output plus the
// sensor's error, the kernel taken on the scene's intensity (the preprocessing's scale folded in;
// its offset is a constant the vector unit adds with the bias). `pads`: the import's (top, left,
// bottom, right), or empty for the layer's own. Throws std::invalid_argument as
// sense_optical_layer does.
FloatTensor optical_read(const Layer& l, const std::vector<int64_t>& pads, const FloatTensor& x,
                         const FloatTensor& kernel, const FloatTensor& exact,
                         const FunctionalRequest& r, uint64_t seed, SensorPart* part);

}  // namespace strata
