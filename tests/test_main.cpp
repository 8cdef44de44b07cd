// Test entry: main -> sc_elab_and_sim -> sc_main -> RUN_ALL_TESTS, so tests that elaborate a SoC
// run inside the SystemC kernel. ctest runs every test in its own process (one elaboration each).
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

#include "common/sanitizer_stack.h"

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  const int status = sc_core::sc_elab_and_sim(argc, argv);
  strata::restore_main_stack_for_sanitizers();  // LeakSanitizer scans at exit
  return status;
}
