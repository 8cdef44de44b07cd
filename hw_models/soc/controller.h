#pragma once
// The controller/sequencer: walks the layers, tiles each one (tiling.h), and replays its folds as
// DMA and array transactions, overlapping them as the buffers allow (fold_schedule.h). Between
// the array layers it issues the vector work to the vector unit (docs/vector.md): in order on the
// unit, each operation once the array layers it reads are done, and each array layer once the
// vector work it reads is done, so vector work nothing waits for overlaps the array. Loosely timed:
// it runs ahead of the kernel by up to a quantum and synchronizes between layers.
#include <tlm_utils/simple_initiator_socket.h>

#include <deque>
#include <functional>
#include <memory>
#include <systemc>
#include <tlm>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/common/tlm_commands.h"
#include "hw_models/soc/fold_schedule.h"
#include "hw_models/soc/tiling.h"
#include "hw_models/vector/vector_fusion.h"
#include "hw_models/vector/vector_ops.h"
#include "hw_models/vector/vector_params.h"
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
  VectorUnitParams vector;
};

// What one request asks of the SoC: a pass of one of the controller's workloads, or one
// standalone vector operation (a pipeline's warp, say) with the DRAM traffic it moves.
struct InferenceJob {
  size_t workload = 0;  // an index into the controller's workloads
  bool vector_only = false;
  VectorWork vector;
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
};

// Inference requests from outside the SoC (a sensor pipeline): the controller runs one job per
// request read from `requests` and reports each end through `on_done`.
struct InferenceQueue {
  // Named in the module that creates it (several queues in one module need their own names).
  explicit InferenceQueue(const char* name = "inference_requests") : requests(name, 1024) {}
  sc_core::sc_fifo<int64_t> requests;
  // The job of a request (unset: every request is one pass of workload 0).
  std::function<InferenceJob(int64_t request)> job_of;
  std::function<void(int64_t request, const sc_core::sc_time& start, const sc_core::sc_time& end)>
      on_done;
};

// One array layer's row of the schedule: from its start (the inference's start for the first) to
// the next layer's start (the inference's end for the last).
struct LayerTiming {
  int64_t cycles = 0;          // the row: array_cycles + vector_stall_cycles
  int64_t array_cycles = 0;    // the layer on the array: its first load to its last store
  int64_t compute_cycles = 0;  // what the dataflow needs
  int64_t stall_cycles = 0;    // cycles - compute_cycles: waiting for DRAM, ports or vector work
  int64_t vector_stall_cycles = 0;  // the array idle, waiting for vector work, before the next
  int64_t vector_cycles = 0;        // the vector unit busy with the work that follows the layer
  int64_t folds = 0;
  LoopOrder loop_order = LoopOrder::kRowsOuter;
  int64_t stream_block = 0;
  int64_t prefetch_depth = 0;  // folds of loads in flight ahead of the array
  std::string mapping;         // the explicit mapping it ran (format_mapping), or ""
};

// One vector operation as scheduled (cycles of the array clock from the inference's start).
struct VectorLayerTiming {
  size_t row = 0;  // the array layer it follows: its report row
  // vector.fusion: the vector layer whose pass ran this one (which carries the figures; -1: its
  // own), and the array layer whose output stage ran the pass (-1: the vector unit).
  int64_t fused_into = -1;
  int64_t output_stage_of = -1;
  VectorWork work;
  VectorCycles figures;  // the closed form's (vector_ops.h)
  int64_t start_cycle = 0, end_cycle = 0;
  int64_t busy_cycles = 0;  // the unit busy with it
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
};

class Controller : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Controller> dma;
  tlm_utils::simple_initiator_socket<Controller> array;
  tlm_utils::simple_initiator_socket<Controller> vector;

  using LayerHook = std::function<void(size_t layer_index, const LayerTiming&)>;
  // Called for each of the workload's vector layers as it is issued (not for epilogues).
  using VectorHook = std::function<void(size_t vector_index, const VectorLayerTiming&)>;

  // Throws std::invalid_argument if a vector layer has no cost (vector_mapping.h). Several
  // workloads (all outliving the controller): a request's job picks one; the hooks' indices are
  // into the running one's layers. A standalone vector job calls `on_vector` with index
  // kStandaloneVector.
  Controller(sc_core::sc_module_name name, const ControllerParams& params,
             std::vector<const Workload*> workloads, sc_core::sc_time clock_period,
             LayerHook on_layer_start, LayerHook on_layer_end, InferenceQueue* queue = nullptr,
             VectorHook on_vector = nullptr);
  static constexpr size_t kStandaloneVector = static_cast<size_t>(-1);

 private:
  SC_HAS_PROCESS(Controller);
  void run();
  void run_inference();
  void run_vector_job(const InferenceJob& job);
  void select_workload(size_t index);
  // Layer `index` of the running workload tiled (kept for the next request when it fits).
  const LayerTiling& layer_tiling(size_t index, const TilingParams& params);
  // Runs layer `index` from cycle `origin` of the inference; timing relative to its start.
  LayerTiming run_layer(size_t index, int64_t origin);
  // A layer run with an explicit mapping (LayerTiling::dma_timed_in_folds).
  LayerTiming run_mapped_layer(const LayerTiling& tiling, int64_t origin);
  // Runs one vector operation from `start`, moving the given DRAM traffic through the DMA beside
  // it (an epilogue moves none: the array layer's own store carries its results); returns its
  // timing (the row filled by the caller).
  VectorLayerTiming run_vector(const VectorWork& work, int64_t dram_read_bytes,
                               int64_t dram_write_bytes, int64_t start);
  // The epilogue of array layer `index` when not fused: bias, activation and requantization of
  // its outputs on the vector unit.
  VectorWork epilogue_work(size_t index) const;
  int64_t issue_loads(const FoldWork& w, int64_t at_cycle);  // returns duration in cycles
  int64_t issue_store(const FoldWork& w, int64_t at_cycle);
  // Sends a command at `at_cycle` (of the inference); returns how many cycles it took.
  template <typename Socket, typename Command>
  int64_t send(Socket& socket, Command& command, int64_t at_cycle);
  int64_t dma_transfer(BufferId buffer, bool to_dram, int64_t bytes, int64_t at_cycle);
  int64_t to_cycles(const sc_core::sc_time& t) const;
  // Lets the kernel catch up to `cycle` of the inference if the controller is a quantum ahead.
  void sync_to(int64_t cycle, bool always = false);

  // The annotated delay of an event at `cycle` of the inference.
  sc_core::sc_time at(int64_t cycle) const {
    // Integer time arithmetic: sc_time * double converts through double.
    return base_ +
           sc_core::sc_time::from_value(clock_period_.value() * static_cast<sc_dt::uint64>(cycle)) -
           sc_core::sc_time_stamp();
  }

  const ControllerParams params_;
  sc_core::sc_time base_;  // the inference's start
  std::vector<const Workload*> workloads_;
  std::vector<std::vector<VectorWork>> vector_works_;   // of each workload's vector_layers
  std::vector<std::vector<VectorPass>> vector_passes_;  // and how they run (vector.fusion)
  const Workload* workload_ = nullptr;                  // the one running
  const std::vector<VectorWork>* vector_work_ = nullptr;
  const std::vector<VectorPass>* vector_pass_ = nullptr;
  std::vector<std::vector<std::unique_ptr<LayerTiling>>> tiling_cache_;  // per workload, layer
  std::vector<std::unique_ptr<LayerTiling>>* tilings_ = nullptr;         // the running one's
  LayerTiling scratch_tiling_;
  // The last few layers' tilings, for a later layer identical to one of them (ResNet's repeated
  // blocks are tiled once); the controller's other tiling parameters never change.
  struct RecentTiling {
    Layer layer;
    OperandBits bits;
    LayerTiling tiling;
  };
  std::deque<RecentTiling> recent_tilings_;
  size_t recent_folds_ = 0;
  tlm::tlm_generic_payload payload_;  // send()'s, reused
  FoldSchedule fold_schedule_{1, 1};  // run_layer()'s
  size_t cached_folds_ = 0;
  // The inference's schedule (run_inference): when each array layer ended, and the latest end of
  // the vector work each array layer reads.
  std::vector<int64_t> layer_start_, layer_end_, needed_by_;
  sc_core::sc_time clock_period_;
  LayerHook on_layer_start_, on_layer_end_;
  InferenceQueue* queue_;
  VectorHook on_vector_;
  StatGroup stats_;
  Counter& layers_;
  Counter& stall_cycles_;
  Counter& total_cycles_;
  Counter& inferences_;
  Counter& vector_stall_cycles_;
};

}  // namespace strata
