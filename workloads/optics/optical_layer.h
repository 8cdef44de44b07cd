#pragma once
// A metasurface optical first layer (docs/seeds.md, [MetaOptics] in docs/references.md): the
// network's first convolution is computed in free-space optics in front of the image sensor, so
// its MACs leave the accelerator and the sensor reads out its output channels instead of RGB.
// Optical kernels cannot be negative: a signed kernel is a pair of channels (its positive and its
// negative part) subtracted after readout; the optics applies no bias and no non-linearity, so the
// subtraction and the layer's bias and activation move to the vector unit.
#include <cstdint>

#include "workloads/layer.h"

namespace strata {

struct OpticalFirstLayer {
  Layer layer;                // the convolution now done in optics
  int64_t sensor_values = 0;  // what the sensor reads out per inference (pairs counted twice)
};

// Moves `w`'s first layer into optics. Throws InputError (no file named: the caller adds it) when
// the first layer is not a plain RGB convolution (3 input channels, no groups), its kernel exceeds
// `kernel_max` (the aperture), or vector work runs before it (optics sees the raw scene).
OpticalFirstLayer move_first_layer_to_optics(Workload& w, int64_t kernel_max, bool signed_pairs);

}  // namespace strata
