#pragma once
// Area of the accelerator from the tech table (docs/energy.md): PEs, decoders, muxes, top-k units,
// pipeline registers, the three SRAM buffers and the vector unit's lanes; and the leakage power
// that follows from it.
#include <map>
#include <string>
#include <vector>

#include "hw_models/soc/soc.h"
#include "sim/energy/tech_table.h"

namespace strata {

using AreaBreakdown = std::map<std::string, double>;  // component -> mm^2

const std::vector<std::string>& area_components();  // report order
AreaBreakdown area_breakdown(const SocParams& soc, const TechTable& t);
double total_area_mm2(const AreaBreakdown& a);
// Leakage power, mW: logic components at the logic density, buffers at the SRAM density.
double leakage_power_mw(const AreaBreakdown& a, const TechTable& t);

}  // namespace strata
