// A pipeline config (strata pipeline): the sync keys and the pipeline's own resolved, the engines
// loaded (a scratch `engine.json`, the default accelerator, is there to name), every node read and
// its workload prepared, the graph validated; nothing is simulated.
#include "fuzz_support.h"
#include "sim/pipeline/pipeline_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata;
  static const std::string engine = fuzz::write_scratch("engine.json", "{}");
  (void)engine;
  PipelineRequest request;
  request.config_path = fuzz::write_scratch("pipeline.json", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only([&] { prepare_pipeline(request); });
}
