#include <cstdlib>
#include <systemc>

#include "common/sanitizer_stack.h"
#include "sim/cli/commands.h"
#include "sim/sweep/worker_pool.h"

int sc_main(int argc, char* argv[]) { return strata::cli_main(argc, argv); }

// Our own main (instead of libsystemc's) so the SystemC banner is off before the kernel starts.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  strata::worker_dies_with_parent();
  const int status = sc_core::sc_elab_and_sim(argc, argv);
  strata::restore_main_stack_for_sanitizers();  // LeakSanitizer scans at exit
  return status;
}
