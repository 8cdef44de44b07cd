#pragma once
// A sensor-to-actuation task graph as pure data (docs/pipeline.md): sources are sensors, nodes run
// on a resource (an engine of the multi-engine SoC, or the host CPU), edges carry tensors through
// DRAM, and one node is the actuation sink. Validation here needs no kernel and no files: the
// config reader (sim/pipeline/) fills the graph and calls validate().
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

enum class NodeKind { kDnn, kVector, kHost };
const char* node_kind_name(NodeKind kind);

// How a resource picks the next job among its nodes' waiting jobs (each node's own jobs run in
// arrival order): the oldest release, the highest node priority (then the oldest), or the
// earliest absolute deadline (then the oldest).
enum class SchedulePolicy { kFifo, kPriority, kEdf };
const char* schedule_policy_name(SchedulePolicy policy);
// "fifo" | "priority" | "edf"; false if unknown.
bool parse_schedule_policy(const std::string& name, SchedulePolicy* policy);

// What a node does when a job is released into its full queue: drop the oldest waiting job
// (a perception stack wants the freshest frame) or the new one.
enum class DropPolicy { kOldest, kNewest };

struct InputEdge {
  std::string from;  // a source (sensor) or a node
  // A trigger input releases a job for each frame it delivers (a node with several waits for all
  // of them to deliver the same frame); a latest input is sampled when the job starts.
  bool latest = false;
};

struct TaskNode {
  std::string name;
  NodeKind kind = NodeKind::kHost;
  std::string resource;  // an engine's name, or "host"
  std::vector<InputEdge> inputs;
  int priority = 0;         // larger runs first under the priority policy
  double deadline_s = 0;    // from the frame's sensor event to the job's end; 0: none
  int64_t queue_depth = 4;  // jobs waiting (not running) at most
  DropPolicy drop = DropPolicy::kOldest;
  bool skip_late = false;    // a job whose deadline has passed when it could start is dropped
  int64_t output_bytes = 0;  // what the node writes to DRAM for its consumers
  // The least time a job can take (its compute alone: no DRAM, no queueing), for the deadline
  // check; filled by the reader.
  double min_service_s = 0;
};

struct TaskSource {
  std::string name;          // a sensor of the sync model
  double min_latency_s = 0;  // event to data in DRAM at best (readout + transfer)
};

struct TaskResource {
  std::string name;
  int units = 1;  // jobs it runs at once (host cores; an engine runs one)
  SchedulePolicy policy = SchedulePolicy::kFifo;
};

struct TaskGraph {
  std::vector<TaskSource> sources;
  std::vector<TaskResource> resources;
  std::vector<TaskNode> nodes;
  std::string sink;  // the actuation node

  // Throws InputError with a one-line message naming the node: an unknown input or resource, a
  // node without inputs or with only latest ones, a cycle, trigger inputs from different sensors,
  // a deadline below the node's least possible latency, no or an unknown sink. Orders `nodes`
  // topologically (ties in declaration order).
  void validate();

  int node_index(const std::string& name) const;      // -1 if none
  int source_index(const std::string& name) const;    // -1 if none
  int resource_index(const std::string& name) const;  // -1 if none
  // The sensor a node's frames come from (its trigger inputs', transitively); after validate().
  const std::string& origin_of(size_t node) const { return origin_.at(node); }
  // The least latency from the sensor event to the node's end (its deadline's lower bound).
  double min_latency_s(size_t node) const { return min_latency_.at(node); }

 private:
  std::vector<std::string> origin_;
  std::vector<double> min_latency_;
};

}  // namespace strata
