#pragma once
// The task graph's jobs as they are released, queued, picked, run and dropped: pure scheduling
// (no kernel, no time of its own). The SystemC shell (pipeline_soc.h) tells it when sensor data
// lands and when jobs end, and runs the jobs it says to start.
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hw_models/pipeline/task_graph.h"

namespace strata {

// A sensor sample a job's data descends from.
struct FrameRef {
  int source = -1;     // index into the graph's sources; -1: none (a latest input not yet filled)
  int64_t index = -1;  // the sensor's sample number
  double t_event = 0;  // true time of the sampled event (s)
  double stamp = 0;    // the timestamp the pipeline sees (hardware or software)
};

enum class JobState { kWaiting, kRunning, kDone, kDropped };
const char* job_state_name(JobState state);

struct JobRecord {
  size_t node = 0;
  FrameRef frame;  // the trigger inputs' frame
  double release = 0, start = -1, end = -1;
  double deadline = std::numeric_limits<double>::infinity();  // absolute (s)
  int unit = -1;  // which of the resource's units ran it
  JobState state = JobState::kWaiting;
  const char* drop_reason = "";  // "queue_full" or "late"
  // The frames its latest inputs held when it started, in the node's input order (trigger inputs
  // hold the job's own frame).
  std::vector<FrameRef> inputs;
  bool missed() const { return state == JobState::kDone && end > deadline + 1e-12; }
};

class GraphRuntime {
 public:
  explicit GraphRuntime(const TaskGraph& graph);

  // Sensor `source`'s sample `frame` is in DRAM at `now`: releases the jobs it triggers.
  void source_ready(size_t source, const FrameRef& frame, double now);
  // Job `job` ended at `now`: frees its unit and delivers its output.
  void job_done(size_t job, double now);
  // The jobs to start at `now`, at most one per free unit, each resource's policy choosing among
  // its nodes' oldest waiting jobs (late jobs of skip_late nodes are dropped on the way).
  std::vector<size_t> start_ready(double now);

  const TaskGraph& graph() const { return graph_; }
  const std::vector<JobRecord>& jobs() const { return jobs_; }
  int64_t dropped() const { return dropped_; }
  // Units busy now on a resource.
  int busy_units(size_t resource) const;

 private:
  void deliver(const std::string& producer, const FrameRef& frame, double now);
  void release(size_t node, const FrameRef& frame, double now);

  const TaskGraph& graph_;
  std::vector<size_t> resource_of_;          // node -> resource
  std::vector<int> triggers_;                // node -> trigger inputs
  std::vector<std::deque<size_t>> waiting_;  // node -> its waiting jobs, oldest first
  std::vector<std::set<size_t>> queued_;     // resource -> its nodes with waiting jobs
  // producer -> the nodes it triggers, each with how many of its trigger inputs it feeds
  std::map<std::string, std::vector<std::pair<size_t, int>>> consumers_;
  std::vector<std::map<int64_t, int>> joins_;  // node -> frame index -> trigger inputs delivered
  std::map<std::string, FrameRef> latest_;     // producer -> the last frame it delivered
  std::vector<std::vector<bool>> unit_busy_;   // resource -> unit -> busy
  std::vector<JobRecord> jobs_;
  int64_t dropped_ = 0;
};

}  // namespace strata
