#pragma once
// The controller/sequencer: walks the layers, tiles each one (tiling.h), and replays its folds as
// DMA and array transactions, overlapping them as the buffers allow (fold_schedule.h). Loosely
// timed: it keeps a local time offset and synchronizes with the kernel once per layer.
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <functional>
#include <systemc>
#include <tlm>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/common/tlm_commands.h"
#include "hw_models/soc/tiling.h"
#include "workloads/layer.h"

namespace strata {

struct ControllerParams {
  TilingParams tiling;
  // Buffer space for data in flight: the halves of double-buffered buffers not kept resident
  // (0: that buffer is single buffered). They bound how far loads run ahead and outputs lag.
  int64_t input_prefetch_bytes = 0;
  int64_t weight_prefetch_bytes = 0;
  int64_t output_drain_bytes = 0;
  // Temporal decoupling: the controller runs ahead of the kernel by up to this much.
  sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_MS);
};

// Inference requests from outside the SoC (a sensor pipeline): the controller runs the whole
// workload once per request read from `requests` and reports each end through `on_done`.
struct InferenceQueue {
  sc_core::sc_fifo<int64_t> requests{"inference_requests", 1024};
  std::function<void(int64_t request, const sc_core::sc_time& start, const sc_core::sc_time& end)>
      on_done;
};

struct LayerTiming {
  int64_t cycles = 0;          // layer start to its last store
  int64_t compute_cycles = 0;  // what the dataflow needs
  int64_t stall_cycles = 0;    // cycles - compute_cycles: waiting for DRAM or buffer ports
  int64_t folds = 0;
  LoopOrder loop_order = LoopOrder::kRowsOuter;
  int64_t stream_block = 0;
  int64_t prefetch_depth = 0;  // folds of loads in flight ahead of the array
};

class Controller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Controller> dma;
  tlm_utils::simple_initiator_socket<Controller> array;

  using LayerHook = std::function<void(size_t layer_index, const LayerTiming&)>;

  Controller(sc_core::sc_module_name name, const ControllerParams& params, const Workload& workload,
             sc_core::sc_time clock_period, LayerHook on_layer_start, LayerHook on_layer_end,
             InferenceQueue* queue = nullptr);

 private:
  SC_HAS_PROCESS(Controller);
  void run();
  void run_inference();
  LayerTiming run_layer(size_t index);
  int64_t issue_loads(const FoldWork& w, int64_t at_cycle);  // returns duration in cycles
  int64_t issue_store(const FoldWork& w, int64_t at_cycle);
  // Sends a command at `at_cycle` (relative to the layer); returns how many cycles it took.
  template <typename Socket, typename Command>
  int64_t send(Socket& socket, Command& command, int64_t at_cycle);
  int64_t dma_transfer(BufferId buffer, bool to_dram, int64_t bytes, int64_t at_cycle);
  int64_t to_cycles(const sc_core::sc_time& t) const;

  sc_core::sc_time at(int64_t cycle) {
    return qk_.get_local_time() + clock_period_ * static_cast<double>(cycle);
  }

  const ControllerParams params_;
  tlm_utils::tlm_quantumkeeper qk_;
  const Workload& workload_;
  sc_core::sc_time clock_period_;
  LayerHook on_layer_start_, on_layer_end_;
  InferenceQueue* queue_;
  StatGroup stats_;
  Counter& layers_;
  Counter& stall_cycles_;
  Counter& total_cycles_;
  Counter& inferences_;
};

}  // namespace strata
