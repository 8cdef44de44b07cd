#include "workloads/optics/optical_layer.h"

#include <string>

#include "common/input_error.h"

namespace strata {

OpticalFirstLayer move_first_layer_to_optics(Workload& w, int64_t kernel_max, bool signed_pairs) {
  if (w.layers.empty()) throw InputError("optics.enabled: the workload has no layers");
  const Layer first = w.layers.front();
  const std::string what = "optics.enabled: the first layer '" + first.name + "' ";
  if (first.type != LayerType::kConv2d || first.in_c != 3 || first.groups != 1) {
    throw InputError(what +
                     "is not a convolution of the RGB input (3 channels, no groups): "
                     "only that can be computed in front of the sensor");
  }
  if (first.kernel_h > kernel_max || first.kernel_w > kernel_max) {
    throw InputError(what + "has a " + std::to_string(first.kernel_h) + "x" +
                     std::to_string(first.kernel_w) + " kernel; the aperture realizes at most " +
                     std::to_string(kernel_max) + "x" + std::to_string(kernel_max) +
                     " (optics.kernel_max)");
  }
  for (const VectorLayer& v : w.vector_layers) {
    if (v.after_layer == 0 && v.blocks_layer == 0) {
      throw InputError(what + "reads the output of vector work ('" + v.name +
                       "'): the optics sees the raw scene");
    }
  }
  OpticalFirstLayer r;
  r.layer = first;
  r.sensor_values = first.output_elements() * (signed_pairs ? 2 : 1);
  w.layers.erase(w.layers.begin());
  // The layer's output now comes from the sensor: the pair subtraction and the layer's bias and
  // activation run on the vector unit before everything that read the layer.
  const std::vector<int64_t> out = {first.batch, first.out_c, first.out_h(), first.out_w()};
  std::vector<VectorLayer> front;
  if (signed_pairs) {
    front.push_back(vector_layer("optics.subtract_pairs", "Sub", {out, out}, out, 0));
  }
  front.push_back(vector_layer("optics.bias_activation", "Relu", {out}, out, 0));
  for (size_t i = 1; i < front.size(); ++i) front[i].chained = true;
  bool first_after = true;
  for (VectorLayer& v : w.vector_layers) {
    v.after_layer = v.after_layer > 0 ? v.after_layer - 1 : 0;
    v.blocks_layer = v.blocks_layer > 0 ? v.blocks_layer - 1 : 0;
    // The vector work that read the layer's output reads the activation's, still on chip.
    if (first_after && v.after_layer == 0) v.chained = true;
    first_after = false;
  }
  w.vector_layers.insert(w.vector_layers.begin(), front.begin(), front.end());
  w.names_vector_layers = true;
  return r;
}

}  // namespace strata
