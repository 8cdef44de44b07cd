#include "sim/sync/sync_run.h"

#include <algorithm>
#include <cstdio>

#include "common/input_error.h"
#include "common/sanitizer_stack.h"

namespace strata {

PreparedSync prepare_sync(const SyncRequest& request) {
  ConfigTree tree = ConfigTree::load(request.config_path);
  for (const auto& o : request.overrides) tree.set_override(o);
  return prepare_sync(tree, request.duration_s);
}

PreparedSync prepare_sync(const ConfigTree& tree, double duration_s) {
  PreparedSync p;
  p.config = resolve_config(tree, sync_config_specs());
  override_sync_duration(p.config, duration_s);
  p.params = make_sync_params(p.config);
  if (p.params.pipeline.enabled) {
    try {
      p.accelerator = std::make_unique<PreparedRun>(
          prepare_run(p.config, RunInputs{p.params.pipeline.workload, "", "", nullptr, ""}));
    } catch (const InputError& e) {
      throw InputError(p.config.source + ": pipeline.workload: " + e.what());
    }
    // Frames need timing and energy; outputs computed bit-true per frame would add nothing.
    p.accelerator->params.mode = RunMode::kTile;
    p.accelerator->bittrue.reset();
  }
  return p;
}

SyncRig::SyncRig(const SyncParams& p) : params(p), vcd(p.vcd_window_s), os_latency(p.os_latency) {
  if (p.hardware) {
    gnss = std::make_unique<GnssReceiver>("gnss", p.gnss, p.duration_s, &vcd);
    unit = std::make_unique<SyncUnit>("sync_unit", p.unit, *gnss, &vcd);
  }
  for (const auto& s : p.sensors) {
    sensors.push_back(std::make_unique<Sensor>(s.name.c_str(), s, unit.get(), os_latency, &vcd));
  }
}

void SyncRig::collect(SyncResult& r) {
  if (unit) {
    r.series = unit->series();
    r.holdovers = unit->holdovers();
    r.tick_s = unit->clock().tick_s();
    r.steps = unit->clock().steps();
    r.backward_steps = unit->clock().backward_steps();
    r.backward_readings = unit->backward_readings();
    r.slew_limited = unit->clock().slew_limited();
    r.final_state = sync_state_name(unit->clock().state());
  }
  for (const auto& s : sensors) {
    SensorResult sr;
    sr.params = s->params();
    sr.samples = s->take_samples();
    for (size_t i = 1; i < sr.samples.size() && params.hardware; ++i) {
      if (sr.samples[i].hw_stamp < sr.samples[i - 1].hw_stamp) ++r.backward_readings;
    }
    r.sensors.push_back(std::move(sr));
  }
}

void run_in_tenths(double duration_s, const std::function<void(double, double)>& progress) {
  const int chunks = 10;
  for (int i = 1; i <= chunks; ++i) {
    const double until = duration_s * i / chunks;
    sc_core::sc_start(sc_core::sc_time(until, sc_core::SC_SEC) - sc_core::sc_time_stamp());
    restore_main_stack_for_sanitizers();  // progress and errors run on the main stack
    if (progress) progress(until, duration_s);
  }
}

SyncResult run_sync(const PreparedSync& prepared,
                    const std::function<void(double, double)>& progress) {
  const SyncParams& p = prepared.params;
  SyncRig rig(p);
  InferenceQueue queue;
  std::unique_ptr<Soc> soc;
  std::unique_ptr<FramePipeline> pipeline;
  std::unique_ptr<LayerAccounting> accounting;
  SyncResult r;
  double inference_energy_pj = 0;
  if (prepared.accelerator) {
    // Energy of every inference, layer by layer as strata run counts it.
    accounting = std::make_unique<LayerAccounting>(*prepared.accelerator);
    r.leakage_mw = accounting->energy().leakage_mw();
    const size_t layers = prepared.accelerator->workload.layers.size();
    LayerAccounting* acc = accounting.get();
    auto on_start = [acc](size_t, const LayerTiming&) { acc->layer_started(); };
    auto on_end = [acc, layers, &r, &inference_energy_pj](size_t index, const LayerTiming& t) {
      inference_energy_pj += acc->layer_ended(index, t).energy_total_pj();
      if (index + 1 == layers) {
        r.inference_energy_pj.push_back(inference_energy_pj);
        inference_energy_pj = 0;
      }
    };
    soc = std::make_unique<Soc>("soc", prepared.accelerator->soc, prepared.accelerator->workload,
                                on_start, on_end, &queue);
    read_soc_counters();  // every counter the energy accounting reads exists
    pipeline = std::make_unique<FramePipeline>("pipeline", p.pipeline.queue_depth, queue);
    FramePipeline* sink = pipeline.get();
    for (auto& s : rig.sensors) {
      if (s->params().name == "camera")
        s->on_frame = [sink](const SensorFrame& f) { sink->submit(f); };
    }
  }

  run_in_tenths(p.duration_s, progress);

  rig.collect(r);
  if (pipeline) r.frames = pipeline->frames();
  r.stats = collect_stats();
  r.vcd = rig.vcd.render("strata");
  return r;
}

}  // namespace strata
