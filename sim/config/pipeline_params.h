#pragma once
// The keys of a `strata pipeline` config (docs/pipeline.md): the sync rig's (sync_params.h), the
// shared DRAM, the host CPU, the sensors' DMA, the run's limits and what the report quotes.
// The graph's free-form sections (engines, nodes, sink, host.kernels) are read beside the graph
// (sim/pipeline/pipeline_config.cpp).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hw_models/memory/memory_params.h"
#include "hw_models/pipeline/task_graph.h"
#include "sim/config/param_specs.h"
#include "sim/config/sync_params.h"

namespace strata {

// Every key a pipeline config may set: the sync keys, the DRAM's, and the pipeline's own.
const std::vector<ParamSpec>& pipeline_param_specs();

struct PipelineKeys {
  SyncParams sync;
  std::string name;                  // the config's name, else its file's stem
  double focal_px = 0, range_m = 0;  // geometry.*
  double trace_window_s = 0;         // pipeline.trace_s
  DramParams dram;                   // the shared DRAM
  int host_cores = 4;
  double host_freq_mhz = 2000, host_pj_per_cycle = 300;
  SchedulePolicy host_policy = SchedulePolicy::kFifo;
  std::map<std::string, int64_t> sensor_data_bytes;  // per sensor: its DMA's bytes per sample
  int64_t max_jobs = 0;                              // pipeline.max_jobs
};

// Throws InputError naming the file and key (pipeline.enabled, strata sync's one-network
// pipeline, is refused: a pipeline's work is its nodes).
PipelineKeys make_pipeline_keys(const ResolvedConfig& config);

}  // namespace strata
