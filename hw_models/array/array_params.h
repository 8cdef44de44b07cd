#pragma once
#include <cstdint>

#include "hw_models/array/dataflow.h"

namespace strata {

struct ArrayParams {
  ArrayGeometry geometry{32, 32};
  Dataflow dataflow = Dataflow::kOutputStationary;
};

}  // namespace strata
