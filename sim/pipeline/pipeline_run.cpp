#include "sim/pipeline/pipeline_run.h"

#include <memory>

namespace strata {

PipelineResult run_pipeline(const PreparedPipeline& p,
                            const std::function<void(double, double)>& progress) {
  PipelineResult r;
  r.duration_s = p.sync.duration_s;
  SyncRig rig(p.sync);

  std::vector<PipelineEngine> engines;
  std::vector<std::unique_ptr<EnergyModel>> engine_energy;
  for (const auto& e : p.engines) {
    engines.push_back({e.name, e.soc, {}});
    engine_energy.push_back(std::make_unique<EnergyModel>(e.soc, e.tech));
  }
  // DNN nodes' workloads, each node's index in its engine's list.
  std::vector<NodeWork> work = p.work;
  for (size_t i = 0; i < work.size(); ++i) {
    if (work[i].kind != NodeKind::kDnn) continue;
    auto& list = engines[static_cast<size_t>(work[i].engine)].workloads;
    work[i].workload = list.size();
    list.push_back(&p.nodes[i].run->workload);
  }

  // Energy: resources in graph order, then the sensors' DMA.
  std::map<std::string, std::map<std::string, double>> energy;
  std::vector<double> job_energy;
  std::vector<std::unique_ptr<LayerAccounting>> accounting(p.nodes.size());
  auto job_pj = [&job_energy](size_t job) -> double& {
    if (job_energy.size() <= job) job_energy.resize(job + 1, 0);
    return job_energy[job];
  };
  std::unique_ptr<PipelineSoc> soc;
  PipelineHooks hooks;
  hooks.layer_started = [&](size_t, size_t job, size_t) {
    accounting[soc->runtime().jobs()[job].node]->layer_started();
  };
  hooks.layer_ended = [&](size_t e, size_t job, size_t layer, const LayerTiming& t) {
    const IntervalResult l = accounting[soc->runtime().jobs()[job].node]->layer_ended(layer, t);
    auto& mine = energy[p.engines[e].name];
    for (const auto& [component, pj] : l.energy_pj) mine[component] += pj;
    job_pj(job) += l.energy_total_pj();
  };
  hooks.vector_done = [&](size_t e, size_t job, const VectorLayerTiming& t) {
    const double pj = vector_operation_energy_pj(*engine_energy[e], t);
    energy[p.engines[e].name]["vector"] += pj;
    job_pj(job) += pj;
  };
  hooks.host_started = [&](size_t job, int64_t cycles, int64_t read_bytes, int64_t write_bytes) {
    const double core = static_cast<double>(cycles) * p.host.pj_per_cycle;
    const double dram = static_cast<double>(read_bytes + write_bytes) * 8 * p.dram_pj_per_bit;
    energy["host"]["core"] += core;
    energy["host"]["dram"] += dram;
    job_pj(job) = core + dram;
  };
  soc = std::make_unique<PipelineSoc>("pipeline", p.graph, engines, p.host, p.dram, work,
                                      p.source_bytes, hooks);
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    if (work[i].kind != NodeKind::kDnn) continue;
    accounting[i] = std::make_unique<LayerAccounting>(
        *p.nodes[i].run, soc->engine_path(static_cast<size_t>(work[i].engine)));
  }
  // Every counter the energy accounting reads exists, on every engine.
  for (size_t e = 0; e < engines.size(); ++e) read_soc_counters(soc->engine_path(e));
  PipelineSoc* sink = soc.get();
  for (auto& s : rig.sensors) {
    const int source = p.graph.source_index(s->params().name);
    if (source < 0) continue;
    s->on_frame = [sink, source, &r](const SensorFrame& f) {
      const FrameRef ref{source, f.index, f.t_event, f.stamp};
      r.samples.push_back({ref, f.arrival});
      sink->submit(static_cast<size_t>(source), ref, f.arrival);
    };
  }

  run_in_tenths(p.sync.duration_s, progress);

  rig.collect(r.sync);
  r.jobs = soc->runtime().jobs();
  job_energy.resize(r.jobs.size(), 0);
  r.job_energy_pj = std::move(job_energy);
  r.busy_s = soc->busy_s(p.sync.duration_s);
  // An engine leaks for the whole run, busy or idle (a DNN job's energy holds its own share, as
  // strata run's inference energy does).
  for (size_t e = 0; e < p.engines.size(); ++e)
    energy[p.engines[e].name]["leakage"] = engine_energy[e]->leakage_mw() * 1e9 * r.duration_s;
  // DRAM traffic from the shared channel's per-initiator counts: the engines', the host cores'
  // and the sensors' DMA ports.
  const DramChannel& dram = soc->dram();
  energy["sensors"]["dram"] =
      static_cast<double>(dram.traffic(soc->sensor_dram_initiator()).write_bytes) * 8 *
      p.dram_pj_per_bit;
  r.dram_read_bytes = dram.total_traffic().read_bytes;
  r.dram_write_bytes = dram.total_traffic().write_bytes;
  r.dram_busy_s = static_cast<double>(soc->dram().busy_ps()) * 1e-12;
  for (const auto& res : p.graph.resources) r.energy_pj.emplace_back(res.name, energy[res.name]);
  r.energy_pj.emplace_back("sensors", energy["sensors"]);
  return r;
}

}  // namespace strata
