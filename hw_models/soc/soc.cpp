#include "hw_models/soc/soc.h"

namespace strata {
namespace {

sc_core::sc_time period_of(double freq_mhz) {
  return sc_core::sc_time(1e6 / freq_mhz, sc_core::SC_PS);
}

}  // namespace

Soc::Soc(sc_core::sc_module_name name, const SocParams& p, const Workload& workload,
         Controller::LayerHook on_layer_start, Controller::LayerHook on_layer_end,
         InferenceQueue* queue, Controller::VectorHook on_vector)
    : Soc(name, p, std::vector<const Workload*>{&workload}, std::move(on_layer_start),
          std::move(on_layer_end), queue, std::move(on_vector), nullptr) {}

Soc::Soc(sc_core::sc_module_name name, const SocParams& p, std::vector<const Workload*> workloads,
         Controller::LayerHook on_layer_start, Controller::LayerHook on_layer_end,
         InferenceQueue* queue, Controller::VectorHook on_vector, DramChannel* shared_dram)
    : sc_module(name),
      clock_period_(period_of(p.freq_mhz)),
      dram_("dram", p.dram, shared_dram),
      input_buffer_("input_buffer", p.input_buffer, clock_period_),
      weight_buffer_("weight_buffer", p.weight_buffer, clock_period_),
      output_buffer_("output_buffer", p.output_buffer, clock_period_, true),
      dma_("dma"),
      array_("array", p.array, clock_period_),
      vector_("vector", p.controller.vector),
      controller_("controller", p.controller, std::move(workloads), clock_period_,
                  std::move(on_layer_start), std::move(on_layer_end), queue, std::move(on_vector)) {
  controller_.dma.bind(dma_.command);
  controller_.array.bind(array_.command);
  controller_.vector.bind(vector_.command);
  vector_.buffer.bind(*output_buffer_.vector_port);
  dma_.dram.bind(dram_.target);
  SramBuffer* buffers[3] = {&input_buffer_, &weight_buffer_, &output_buffer_};
  for (int i = 0; i < 3; ++i) {
    dma_.buffer[i].bind(buffers[i]->dma_port);
    array_.buffer[i].bind(buffers[i]->array_port);
  }
}

}  // namespace strata
