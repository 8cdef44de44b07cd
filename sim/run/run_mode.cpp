#include "sim/run/run_mode.h"

namespace strata {

const RunModeDriver& run_mode_driver(RunMode mode) {
  switch (mode) {
    case RunMode::kTile:
      return tile_mode();
    case RunMode::kBitTrue:
      return bittrue_mode();
    case RunMode::kFunctional:
      return functional_mode();
  }
  throw std::logic_error("no driver for run mode " + std::to_string(static_cast<int>(mode)));
}

}  // namespace strata
