#include "sim/run/sim_context.h"

#include <systemc>

namespace strata {

void use_fresh_simulation_context() {
  static sc_core::sc_simcontext* const first = sc_core::sc_get_curr_simcontext();
  sc_core::sc_simcontext* const used = sc_core::sc_get_curr_simcontext();
  const bool untouched = !used->elaboration_done() &&
                         sc_core::sc_get_top_level_objects(used).empty() &&
                         used->get_status() == sc_core::SC_ELABORATION;
  if (untouched) return;
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  if (used != first) delete used;
}

}  // namespace strata
