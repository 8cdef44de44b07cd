#include "hw_models/soc/controller.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "hw_models/soc/fold_schedule.h"

namespace strata {

Controller::Controller(sc_core::sc_module_name name, const ControllerParams& params,
                       const Workload& workload, sc_core::sc_time clock_period,
                       LayerHook on_layer_start, LayerHook on_layer_end, InferenceQueue* queue)
    : sc_module(name),
      dma("dma"),
      array("array"),
      params_(params),
      workload_(workload),
      clock_period_(clock_period),
      on_layer_start_(std::move(on_layer_start)),
      on_layer_end_(std::move(on_layer_end)),
      queue_(queue),
      layers_(stats_.counter("layers", "layers", "layers executed")),
      stall_cycles_(stats_.counter("stall_cycles", "cycles",
                                   "cycles the array waited for DRAM or buffer ports")),
      total_cycles_(
          stats_.counter("cycles", "cycles", "cycles from the first load to the last store")),
      inferences_(stats_.counter("inferences", "inferences", "workload passes run")) {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(params_.quantum);
  qk_.reset();
  SC_THREAD(run);
}

int64_t Controller::to_cycles(const sc_core::sc_time& t) const {
  return static_cast<int64_t>(std::ceil(t / clock_period_ - 1e-9));
}

template <typename Socket, typename Command>
int64_t Controller::send(Socket& socket, Command& command, int64_t at_cycle) {
  tlm::tlm_generic_payload trans;
  set_timing_payload(trans, tlm::TLM_IGNORE_COMMAND, 0, 0);
  trans.set_extension(&command);
  const sc_core::sc_time issue = at(at_cycle);
  sc_core::sc_time delay = issue;
  socket->b_transport(trans, delay);
  trans.clear_extension(&command);
  if (trans.get_response_status() != tlm::TLM_OK_RESPONSE) {
    SC_REPORT_FATAL("strata/controller", (std::string(socket.name()) + ": command failed").c_str());
  }
  return to_cycles(delay - issue);
}

int64_t Controller::dma_transfer(BufferId buffer, bool to_dram, int64_t bytes, int64_t at_cycle) {
  if (bytes <= 0) return 0;
  DmaCommand cmd;
  cmd.buffer = buffer;
  cmd.to_dram = to_dram;
  cmd.bytes = bytes;
  return send(dma, cmd, at_cycle);
}

int64_t Controller::issue_loads(const FoldWork& w, int64_t at) {
  // All three requests leave together; the DRAM channel serializes their data.
  const int64_t d = std::max({dma_transfer(BufferId::kInput, false, w.load_input_bytes, at),
                              dma_transfer(BufferId::kWeight, false, w.load_weight_bytes, at),
                              dma_transfer(BufferId::kOutput, false, w.load_psum_bytes, at)});
  return d;
}

int64_t Controller::issue_store(const FoldWork& w, int64_t at) {
  return dma_transfer(BufferId::kOutput, true, w.store_output_bytes, at);
}

LayerTiming Controller::run_layer(size_t index) {
  TilingParams tiling_params = params_.tiling;
  tiling_params.bits = layer_operand_bits(params_.tiling.bits, workload_, index);
  const LayerTiling tiling = tile_layer(workload_.layers[index], tiling_params);
  const auto& folds = tiling.folds;
  const OverlapDepth depth =
      overlap_depth(folds, params_.input_prefetch_bytes, params_.weight_prefetch_bytes,
                    params_.output_drain_bytes);
  FoldSchedule s(depth.prefetch, depth.drain);
  const int64_t n = static_cast<int64_t>(folds.size());
  int64_t compute = 0;
  for (int64_t j = 0; j < std::min(depth.prefetch, n); ++j)
    s.loads_done(j, issue_loads(folds[j], 0));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t next = i + depth.prefetch;
    if (next < n) {
      const int64_t t = s.load_ready();
      s.loads_done(next, t + issue_loads(folds[next], t));
    }
    const int64_t start = s.compute_start(i);
    FoldCommand cmd;
    cmd.work = &folds[i];
    s.computed(i, start, send(array, cmd, start));
    compute += folds[i].compute_cycles;
    const int64_t store_at = s.store_ready();
    s.stores_done(i, store_at + issue_store(folds[i], store_at));
  }
  LayerTiming t;
  t.cycles = s.end();
  t.compute_cycles = compute;
  t.stall_cycles = t.cycles - compute;
  t.folds = n;
  t.loop_order = tiling.loop_order;
  t.stream_block = tiling.stream_block;
  t.prefetch_depth = depth.prefetch;
  return t;
}

void Controller::run() {
  if (!queue_) {
    run_inference();
    return;
  }
  while (true) {
    const int64_t request = queue_->requests.read();
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    run_inference();
    if (queue_->on_done) queue_->on_done(request, start, sc_core::sc_time_stamp());
  }
}

void Controller::run_inference() {
  for (size_t i = 0; i < workload_.layers.size(); ++i) {
    if (on_layer_start_) on_layer_start_(i, LayerTiming{});
    const LayerTiming t = run_layer(i);
    // Layers run back to back: the local time moves on by the whole layer; the kernel catches up
    // once per quantum.
    qk_.inc(clock_period_ * static_cast<double>(t.cycles));
    if (qk_.need_sync()) qk_.sync();
    layers_.add(1);
    stall_cycles_.add(t.stall_cycles);
    total_cycles_.add(t.cycles);
    if (on_layer_end_) on_layer_end_(i, t);
  }
  qk_.sync();  // the kernel's time ends at the inference's end
  inferences_.add(1);
}

}  // namespace strata
