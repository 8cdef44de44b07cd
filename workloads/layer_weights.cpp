#include "workloads/layer_weights.h"

namespace strata {

bool expected_weight_shape(const Layer& l, WeightTensor* s) {
  if (l.type == LayerType::kGemm) {
    if (l.batch != 1) return false;  // batched matmul: both operands are activations
    *s = WeightTensor{l.n, l.k, 1, 1, {}};
    return true;
  }
  *s = WeightTensor{l.out_c, l.in_c / l.groups, l.kernel_h, l.kernel_w, {}};
  return true;
}

}  // namespace strata
