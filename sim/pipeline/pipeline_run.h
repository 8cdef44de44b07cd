#pragma once
// One pipeline run (strata pipeline): the sync model's sensors feeding the multi-engine SoC's task
// graph, in one SystemC elaboration (once per process), and the energy of every job.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/pipeline/pipeline_config.h"
#include "sim/sync/sync_run.h"

namespace strata {

// A sensor sample as it reached the SoC.
struct PipelineSample {
  FrameRef frame;
  double arrival = 0;
};

struct PipelineResult {
  double duration_s = 0;
  std::vector<JobRecord> jobs;
  std::vector<double> job_energy_pj;  // per job: engines' layers or vector work, host core + DRAM
  // Per resource (graph order, then "sensors"): component -> pJ over the whole run, dropped and
  // unfinished work included; an engine's "leakage" covers the whole run, idle or not.
  std::vector<std::pair<std::string, std::map<std::string, double>>> energy_pj;
  std::vector<double> busy_s;           // per resource, summed over its units
  std::vector<PipelineSample> samples;  // every sensor sample that reached the SoC, in order
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  double dram_busy_s = 0;
  SyncResult sync;  // the sync model's own results (time error, sensor samples)
};

// `progress` (optional) gets (simulated s, total s) about every tenth of the run.
PipelineResult run_pipeline(const PreparedPipeline& prepared,
                            const std::function<void(double, double)>& progress = nullptr);

}  // namespace strata
