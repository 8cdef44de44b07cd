// A NumPy .npy weight file.
#include "fuzz_support.h"
#include "workloads/weights/npy.h"

STRATA_FUZZ_TARGET(npy) {
  using namespace strata;
  return fuzz::expect_input_errors_only(
      [&] { parse_npy(fuzz::input_text(data, size), "w.npy").elements(); });
}
