#pragma once
// The DRAM's validated parameters from a config: the simple model's four keys, or a banked
// preset with the config's overrides (docs/dram.md). Shared by the SoC and pipeline configs.
#include "hw_models/memory/memory_params.h"
#include "sim/config/param_specs.h"

namespace strata {

// The timing keys dram.timing.<name>, each overriding one field of the preset's timing.
struct DramTimingKey {
  const char* name;     // "tRCD"
  const char* meaning;  // for docs/config.md
  int64_t DramTimingCycles::*field;
};
const std::vector<DramTimingKey>& dram_timing_keys();

// Throws InputError "<file>: dram.<key>: <what was expected>" for a key of the other model and for
// a banked DRAM that cannot be simulated (banked_dram_error).
DramParams make_dram_params(const ResolvedConfig& config);

// "row:rank:bank:channel:bank_group:column" (most significant first) -> the mapping's fields from
// the least significant up; throws InputError naming the key for a field that is not one of them.
std::vector<std::string> parse_address_mapping(const std::string& text, const std::string& where);

}  // namespace strata
