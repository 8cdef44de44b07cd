// A safetensors file (a trace's codes and scales).
#include "fuzz_support.h"
#include "workloads/trace/safetensors.h"

STRATA_FUZZ_TARGET(safetensors) {
  using namespace strata;
  return fuzz::expect_input_errors_only([&] {
    for (const auto& [name, t] : parse_safetensors(fuzz::input_text(data, size), "t.safetensors"))
      t.elements();
  });
}
