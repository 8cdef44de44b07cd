#pragma once
#include <cstdint>

#include "hw_models/array/dataflow.h"
#include "hw_models/array/pe.h"
#include "hw_models/array/sparse_array.h"

namespace strata {

struct ArrayParams {
  ArrayGeometry geometry{32, 32};
  Dataflow dataflow = Dataflow::kOutputStationary;
  PeParams pe;
  SparsityParams sparsity;
};

}  // namespace strata
