#pragma once
#include <cstdint>

#include "hw_models/array/dataflow.h"
#include "hw_models/array/pe.h"

namespace strata {

struct ArrayParams {
  ArrayGeometry geometry{32, 32};
  Dataflow dataflow = Dataflow::kOutputStationary;
  PeParams pe;
};

}  // namespace strata
