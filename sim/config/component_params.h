#pragma once
// Builds each component's own Params from a validated config.
#include "hw_models/soc/soc.h"
#include "sim/config/param_specs.h"

namespace strata {

SocParams make_soc_params(const ResolvedConfig& config);

}  // namespace strata
