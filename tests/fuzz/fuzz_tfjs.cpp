// A TF.js weights manifest and its shard: the input is the manifest JSON, a NUL byte, then the
// bytes every shard path reads.
#include "fuzz_support.h"
#include "workloads/json_file.h"
#include "workloads/weights/tfjs.h"

STRATA_FUZZ_TARGET(tfjs) {
  using namespace strata;
  const std::string input = fuzz::input_text(data, size);
  const size_t nul = input.find('\0');
  const std::string manifest = input.substr(0, nul);
  const std::string shard = nul == std::string::npos ? "" : input.substr(nul + 1);
  return fuzz::expect_input_errors_only([&] {
    parse_tfjs(parse_json_text(manifest, "m.json"), "m.json",
               [&](const std::string&) { return shard; });
  });
}
