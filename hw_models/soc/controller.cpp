#include "hw_models/soc/controller.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "hw_models/soc/fold_schedule.h"
#include "hw_models/vector/vector_mapping.h"
#include "hw_models/vector/vector_unit.h"

namespace strata {

Controller::Controller(sc_core::sc_module_name name, const ControllerParams& params,
                       std::vector<const Workload*> workloads, sc_core::sc_time clock_period,
                       LayerHook on_layer_start, LayerHook on_layer_end, InferenceQueue* queue,
                       VectorHook on_vector)
    : sc_module(name),
      dma("dma"),
      array("array"),
      vector("vector"),
      params_(params),
      workloads_(std::move(workloads)),
      clock_period_(clock_period),
      on_layer_start_(std::move(on_layer_start)),
      on_layer_end_(std::move(on_layer_end)),
      queue_(queue),
      on_vector_(std::move(on_vector)),
      layers_(stats_.counter("layers", "layers", "layers executed")),
      stall_cycles_(
          stats_.counter("stall_cycles", "cycles",
                         "cycles the array waited for DRAM, buffer ports or vector work")),
      total_cycles_(stats_.counter("cycles", "cycles", "cycles from the start to the end")),
      inferences_(stats_.counter("inferences", "inferences", "workload passes run")),
      vector_stall_cycles_(stats_.counter("vector_stall_cycles", "cycles",
                                          "cycles the array waited for vector work")) {
  for (const Workload* w : workloads_) {
    vector_works_.emplace_back();
    for (const auto& v : w->vector_layers) vector_works_.back().push_back(vector_work_of(v));
    vector_passes_.push_back(plan_vector_passes(*w, vector_works_.back(), params_.vector.fusion));
    tiling_cache_.emplace_back(w->layers.size());
  }
  // A pipeline's engine may serve vector work alone, or nothing: no workload to select then.
  if (!workloads_.empty()) select_workload(0);
  SC_THREAD(run);
}

int64_t Controller::to_cycles(const sc_core::sc_time& t) const {
  return static_cast<int64_t>(std::ceil(t / clock_period_ - 1e-9));
}

template <typename Socket, typename Command>
int64_t Controller::send(Socket& socket, Command& command, int64_t at_cycle) {
  // One payload, reused: constructing one allocates its extension array.
  tlm::tlm_generic_payload& trans = payload_;
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

LayerTiming Controller::run_layer(size_t index, int64_t origin) {
  TilingParams tiling_params = params_.tiling;
  tiling_params.bits = layer_operand_bits(params_.tiling.bits, *workload_, index);
  const LayerTiling& tiling = layer_tiling(index, tiling_params);
  const auto& folds = tiling.folds;
  const int64_t n = static_cast<int64_t>(folds.size());
  if (tiling.dma_timed_in_folds) return run_mapped_layer(tiling, origin);
  const OverlapDepth depth =
      overlap_depth(folds, params_.input_prefetch_bytes, params_.weight_prefetch_bytes,
                    params_.output_drain_bytes);
  // A member, not a local: the controller may wait inside the layer (sync_to below) when the
  // simulation ends, and a coroutine's stack is never unwound.
  fold_schedule_ = FoldSchedule(depth.prefetch, depth.drain);
  FoldSchedule& s = fold_schedule_;
  int64_t compute = 0;
  for (int64_t j = 0; j < std::min(depth.prefetch, n); ++j)
    s.loads_done(j, issue_loads(folds[j], origin));
  for (int64_t i = 0; i < n; ++i) {
    // Everything this iteration issues starts after the previous fold's compute: the kernel may
    // catch up to there (other initiators on a shared DRAM then see this one's traffic in time).
    sync_to(origin + s.load_ready());
    const int64_t next = i + depth.prefetch;
    if (next < n) {
      const int64_t t = s.load_ready();
      s.loads_done(next, t + issue_loads(folds[next], origin + t));
    }
    const int64_t start = s.compute_start(i);
    FoldCommand cmd;
    cmd.work = &folds[i];
    s.computed(i, start, send(array, cmd, origin + start));
    compute += folds[i].compute_cycles;
    const int64_t store_at = s.store_ready();
    s.stores_done(i, store_at + issue_store(folds[i], origin + store_at));
  }
  LayerTiming t;
  t.array_cycles = t.cycles = s.end();
  t.compute_cycles = compute;
  t.stall_cycles = t.cycles - compute;
  t.folds = n;
  t.loop_order = tiling.loop_order;
  t.stream_block = tiling.stream_block;
  t.prefetch_depth = depth.prefetch;
  return t;
}

LayerTiming Controller::run_mapped_layer(const LayerTiling& tiling, int64_t origin) {
  // Each fold sequences its own DMA between its tiles' computes (exposed_dma_cycles): its bytes
  // move through the DMA and DRAM while it runs, and it ends when its cost is spent, or later if
  // the memory could not move its bytes in that time.
  int64_t t = 0, compute = 0;
  for (const FoldWork& f : tiling.folds) {
    sync_to(origin + t);
    const int64_t load = issue_loads(f, origin + t);
    FoldCommand cmd;
    cmd.work = &f;
    const int64_t busy = send(array, cmd, origin + t) + f.exposed_dma_cycles;
    const int64_t store = issue_store(f, origin + t);
    t += std::max({busy, load, store});
    compute += f.compute_cycles;
  }
  LayerTiming timing;
  timing.array_cycles = timing.cycles = t;
  timing.compute_cycles = compute;
  timing.stall_cycles = t - compute;
  timing.folds = static_cast<int64_t>(tiling.folds.size());
  timing.stream_block = tiling.stream_block;
  timing.mapping = tiling.mapping;
  return timing;
}

VectorWork Controller::epilogue_work(size_t index) const {
  const Layer& l = workload_->layers[index];
  VectorWork w;
  // The next layer's inputs are encoded into their ANT type as they are requantized.
  const bool ant = index + 1 < workload_->layers.size() &&
                   !workload_->layers[index + 1].input_type.empty() &&
                   workload_->layers[index + 1].input_type != "int";
  w.op = ant ? VectorOp::kRequantizeAnt : VectorOp::kRequantize;
  w.input_elements = w.output_elements = w.work_elements = l.output_elements();
  w.input_bits = params_.vector.accum_bits;
  return w;
}

VectorLayerTiming Controller::run_vector(const VectorWork& work, int64_t dram_read_bytes,
                                         int64_t dram_write_bytes, int64_t start) {
  VectorLayerTiming t;
  t.work = work;
  t.start_cycle = start;
  t.dram_read_bytes = dram_read_bytes;
  t.dram_write_bytes = dram_write_bytes;
  const int64_t load = dma_transfer(BufferId::kOutput, false, t.dram_read_bytes, start);
  VectorCommand cmd;
  cmd.work = work;
  cmd.dram_read_bytes = t.dram_read_bytes;
  cmd.dram_write_bytes = t.dram_write_bytes;
  send(vector, cmd, start);
  const int64_t store = dma_transfer(BufferId::kOutput, true, t.dram_write_bytes, start);
  t.figures = cmd.cycles;
  t.busy_cycles = to_cycles(cmd.busy);
  t.end_cycle = start + std::max({load, store, t.busy_cycles});
  return t;
}

void Controller::sync_to(int64_t cycle, bool always) {
  const sc_core::sc_time ahead = at(cycle);
  if (ahead > sc_core::SC_ZERO_TIME && (always || ahead >= params_.quantum)) {
    sc_core::wait(ahead);
  }
}

void Controller::select_workload(size_t index) {
  workload_ = workloads_.at(index);
  vector_work_ = &vector_works_.at(index);
  vector_pass_ = &vector_passes_.at(index);
  tilings_ = &tiling_cache_.at(index);
}

const LayerTiling& Controller::layer_tiling(size_t index, const TilingParams& params) {
  // A controller serving requests runs its workloads again and again: their tilings are kept,
  // up to kMaxCachedFolds folds (about 200 B each) over all of them.
  constexpr size_t kMaxCachedFolds = 400000;
  // Recent tilings kept for identical later layers: a few, of kMaxRecentFolds folds in all.
  constexpr size_t kRecentTilings = 4, kMaxRecentFolds = 100000;
  auto& slot = (*tilings_)[index];
  if (slot) return *slot;
  const Layer& layer = workload_->layers[index];
  const LayerTiling* tiling = nullptr;
  for (const RecentTiling& r : recent_tilings_) {
    if (r.bits == params.bits && same_but_name(r.layer, layer)) {
      tiling = &r.tiling;
      break;
    }
  }
  if (!tiling) {
    LayerTiling fresh = tile_layer(layer, params);
    if (fresh.folds.size() <= kMaxRecentFolds) {
      recent_folds_ += fresh.folds.size();
      recent_tilings_.push_front(RecentTiling{layer, params.bits, std::move(fresh)});
      while (recent_tilings_.size() > kRecentTilings || recent_folds_ > kMaxRecentFolds) {
        recent_folds_ -= recent_tilings_.back().tiling.folds.size();
        recent_tilings_.pop_back();
      }
      tiling = &recent_tilings_.front().tiling;
    } else {
      scratch_tiling_ = std::move(fresh);
      tiling = &scratch_tiling_;
    }
  }
  if (queue_ && cached_folds_ + tiling->folds.size() <= kMaxCachedFolds) {
    cached_folds_ += tiling->folds.size();
    slot = std::make_unique<LayerTiling>(*tiling);
    return *slot;
  }
  return *tiling;
}

void Controller::run() {
  if (!queue_) {
    if (!workload_) throw std::logic_error("Controller: no workload to run");
    run_inference();
    return;
  }
  while (true) {
    const int64_t request = queue_->requests.read();
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const InferenceJob job = queue_->job_of ? queue_->job_of(request) : InferenceJob{};
    if (job.vector_only) {
      run_vector_job(job);
    } else {
      select_workload(job.workload);
      run_inference();
    }
    if (queue_->on_done) queue_->on_done(request, start, sc_core::sc_time_stamp());
  }
}

void Controller::run_vector_job(const InferenceJob& job) {
  base_ = sc_core::sc_time_stamp();
  const VectorLayerTiming t = run_vector(job.vector, job.dram_read_bytes, job.dram_write_bytes, 0);
  if (on_vector_) on_vector_(kStandaloneVector, t);
  sync_to(t.end_cycle, true);
}

void Controller::run_inference() {
  base_ = sc_core::sc_time_stamp();
  const size_t n = workload_->layers.size();
  const size_t n_vector = params_.vector.enabled ? workload_->vector_layers.size() : 0;
  const bool epilogues = params_.vector.enabled && !params_.vector.fuse_epilogue;
  // Cycles of the inference: when the array and the vector unit are next free, when each array
  // layer ended, and the latest end of the vector work each array layer reads (n: none does).
  int64_t array_free = 0, vector_free = 0, row_start = 0;
  // Members, not locals: a pipeline's simulation may end while this thread waits in here, and a
  // coroutine's stack is never unwound.
  std::vector<int64_t>& layer_start = layer_start_;
  std::vector<int64_t>& layer_end = layer_end_;
  std::vector<int64_t>& needed_by = needed_by_;
  layer_start.assign(n, 0);
  layer_end.assign(n, 0);
  needed_by.assign(n + 1, 0);
  const std::vector<VectorLayer>& vector_layers = workload_->vector_layers;
  const size_t n_pass = n_vector > 0 ? vector_pass_->size() : 0;
  size_t next_pass = 0;
  // Issues, in order, the vector passes (vector.fusion: one layer each, or a fused run) whose
  // inputs the first `done` layers produce.
  auto issue_vector_layers = [&](size_t done, size_t row, LayerTiming& t) {
    while (next_pass < n_pass &&
           static_cast<size_t>(vector_layers[(*vector_pass_)[next_pass].first].after_layer) <=
               done) {
      const VectorPass& pass = (*vector_pass_)[next_pass];
      const VectorLayer& v = vector_layers[pass.first];
      const int64_t ready = v.after_layer > 0 ? layer_end[v.after_layer - 1] : 0;
      const VectorWork& w = pass.work;
      // Results go to DRAM, where the array's layers read their inputs, unless the next vector
      // layer is chained to this pass's last; operands too large to stay in the buffer stream in
      // from DRAM as well, but for a chained input from the pass before, which stays on chip.
      const int64_t bits = params_.vector.element_bits;
      const int64_t in_bytes = vector_bytes(pass.loaded_input_elements, bits);
      const int64_t out_bytes = vector_bytes(w.output_elements, bits);
      const bool next_chained = pass.last + 1 < n_vector && vector_layers[pass.last + 1].chained;
      VectorLayerTiming vt;
      if (pass.output_stage_of >= 0) {
        // In the array layer's output stage: its other operands stream in during the layer; the
        // layer's store carries the result unless something else reads the layer's raw output.
        const auto layer = static_cast<size_t>(pass.output_stage_of);
        const bool own_store = v.layer_output_readers > 1 && !next_chained;
        vt = run_vector(w, in_bytes, own_store ? out_bytes : 0, layer_start[layer]);
        vt.end_cycle = std::max(vt.end_cycle, layer_end[layer]);
        vt.output_stage_of = pass.output_stage_of;
      } else {
        const int64_t on_chip_input =
            v.chained && next_pass > 0
                ? std::min(in_bytes,
                           vector_bytes((*vector_pass_)[next_pass - 1].work.output_elements, bits))
                : 0;
        const bool spills = in_bytes + out_bytes > params_.vector.buffer_bytes;
        vt = run_vector(w, spills ? in_bytes - on_chip_input : 0, next_chained ? 0 : out_bytes,
                        std::max(vector_free, ready));
        vector_free = vt.end_cycle;
      }
      vt.row = row;
      for (size_t k = pass.first; k <= pass.last; ++k) {
        int64_t& need = needed_by[static_cast<size_t>(vector_layers[k].blocks_layer)];
        need = std::max(need, vt.end_cycle);
      }
      t.vector_cycles += vt.busy_cycles;
      if (on_vector_) {
        on_vector_(pass.first, vt);
        // The run's other layers: done in the first's pass, which carries the figures.
        for (size_t k = pass.first + 1; k <= pass.last; ++k) {
          VectorLayerTiming member;
          member.row = row;
          member.fused_into = static_cast<int64_t>(pass.first);
          member.output_stage_of = pass.output_stage_of;
          member.start_cycle = vt.start_cycle;
          member.end_cycle = vt.end_cycle;
          on_vector_(k, member);
        }
      }
      ++next_pass;
    }
  };
  for (size_t i = 0; i < n; ++i) {
    if (on_layer_start_) on_layer_start_(i, LayerTiming{});
    LayerTiming pre;  // vector work before the first layer counts in its row
    if (i == 0) issue_vector_layers(0, 0, pre);
    const int64_t start = std::max(array_free, needed_by[i]);
    layer_start[i] = start;
    LayerTiming t = run_layer(i, start);
    t.vector_cycles = pre.vector_cycles;
    array_free = layer_end[i] = start + t.array_cycles;
    if (epilogues) {
      const VectorLayerTiming e =
          run_vector(epilogue_work(i), 0, 0, std::max(vector_free, layer_end[i]));
      vector_free = e.end_cycle;
      needed_by[i + 1] = std::max(needed_by[i + 1], e.end_cycle);
      t.vector_cycles += e.busy_cycles;
    }
    issue_vector_layers(i + 1, i, t);
    const int64_t next_start = i + 1 < n ? std::max(array_free, needed_by[i + 1])
                                         : std::max({array_free, vector_free, needed_by[n]});
    // The row runs from its start (the inference's for the first) to the next layer's start.
    t.cycles = next_start - row_start;
    t.vector_stall_cycles = t.cycles - t.array_cycles;
    t.stall_cycles = t.cycles - t.compute_cycles;
    row_start = next_start;
    layers_.add(1);
    stall_cycles_.add(t.stall_cycles);
    vector_stall_cycles_.add(t.vector_stall_cycles);
    total_cycles_.add(t.cycles);
    if (on_layer_end_) on_layer_end_(i, t);
    // Everything issued from here on starts after the array is free: vector work not yet issued
    // reads a later layer's results.
    sync_to(array_free);
  }
  sync_to(row_start, true);  // the kernel's time ends at the inference's end
  inferences_.add(1);
}

}  // namespace strata
