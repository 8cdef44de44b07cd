#pragma once
// A pipeline config (strata pipeline, docs/pipeline.md) read and validated: the sync model's
// keys (sensors, sync unit, host OS latency, vehicle), the shared DRAM, the host CPU, the
// engines (each an accelerator config) and the task graph's nodes. Everything is checked, and
// every DNN node's workload prepared, before anything is elaborated.
#include <memory>
#include <string>
#include <vector>

#include "hw_models/pipeline/pipeline_soc.h"
#include "hw_models/pipeline/task_graph.h"
#include "sim/config/pipeline_params.h"
#include "sim/config/sync_params.h"
#include "sim/run/simulation.h"

namespace strata {

// The keys of a pipeline config besides its graph (engines, nodes, sink, host.kernels).

struct PipelineEngineConfig {
  std::string name;
  std::string config_path;
  ResolvedConfig config;
  SocParams soc;
  TechTable tech;
};

struct PipelineNodeInfo {
  std::string detail;                // "mobilenet_v1 (int8)", "icp, 100000 points"
  int64_t output_bytes = 0;          // what it writes for its consumers
  std::unique_ptr<PreparedRun> run;  // DNN nodes: the prepared workload on its engine
};

struct PipelineRequest {
  std::string config_path;
  std::vector<std::string> overrides;  // "key.path=value" (scalar keys)
  double duration_s = 0;               // > 0: overrides timesync.duration_s
  std::string workload_cache_dir;
};

struct PreparedPipeline {
  ResolvedConfig config;      // the scalar keys, resolved (graph sections in `graph_json`)
  nlohmann::json graph_json;  // engines, host.kernels, nodes, sink as given
  SyncParams sync;
  TaskGraph graph;
  std::vector<PipelineEngineConfig> engines;
  std::vector<PipelineNodeInfo> nodes;  // in graph.nodes order
  std::vector<NodeWork> work;           // in graph.nodes order
  std::vector<int64_t> source_bytes;    // in graph.sources order
  HostParams host;
  DramParams dram;
  double dram_pj_per_bit = 0;        // the shared DRAM's (host and sensor traffic)
  std::string name;                  // the config's name, else its file's stem
  double focal_px = 0, range_m = 0;  // geometry.*: image motion of a fusion error (0: not given)
  double trace_window_s = 0;         // pipeline.trace_s: what trace.json shows
};

// Throws InputError "<file>: <where>: <what>" (a node's errors name it).
PreparedPipeline prepare_pipeline(const PipelineRequest& request);

}  // namespace strata
