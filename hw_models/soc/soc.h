#pragma once
// The accelerator SoC: controller, DMA, DRAM, three SRAM buffers and the array, wired by TLM
// sockets. Each component gets only its own parameters.
#include <memory>
#include <systemc>
#include <vector>

#include "hw_models/array/systolic_array.h"
#include "hw_models/memory/dma.h"
#include "hw_models/memory/dram.h"
#include "hw_models/memory/sram_buffer.h"
#include "hw_models/soc/controller.h"
#include "hw_models/vector/vector_unit.h"

namespace strata {

struct SocParams {
  double freq_mhz = 1000.0;
  ArrayParams array;
  SramParams input_buffer, weight_buffer, output_buffer;
  DramParams dram;
  ControllerParams controller;  // tiling capacities and overlap follow from the buffers;
                                // controller.vector is the vector unit's
};

class Soc : public sc_core::sc_module {
 public:
  Soc(sc_core::sc_module_name name, const SocParams& params, const Workload& workload,
      Controller::LayerHook on_layer_start, Controller::LayerHook on_layer_end,
      InferenceQueue* queue = nullptr, Controller::VectorHook on_vector = nullptr);
  // An engine of a multi-engine SoC: several workloads (a request's job picks one) and a DRAM
  // channel it shares with the other engines (`shared_dram`, outliving this; null: its own).
  Soc(sc_core::sc_module_name name, const SocParams& params, std::vector<const Workload*> workloads,
      Controller::LayerHook on_layer_start, Controller::LayerHook on_layer_end,
      InferenceQueue* queue, Controller::VectorHook on_vector, DramChannel* shared_dram);

  sc_core::sc_time clock_period() const { return clock_period_; }

 private:
  sc_core::sc_time clock_period_;
  Dram dram_;
  SramBuffer input_buffer_, weight_buffer_, output_buffer_;
  Dma dma_;
  SystolicArray array_;
  VectorUnit vector_;
  Controller controller_;
};

}  // namespace strata
