#include "hw_models/pipeline/task_graph.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "common/input_error.h"
#include "common/printable.h"
#include "common/topological_order.h"

namespace strata {

const char* node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kDnn:
      return "dnn";
    case NodeKind::kVector:
      return "vector";
    case NodeKind::kHost:
      return "host";
  }
  return "?";
}

const char* schedule_policy_name(SchedulePolicy policy) {
  switch (policy) {
    case SchedulePolicy::kFifo:
      return "fifo";
    case SchedulePolicy::kPriority:
      return "priority";
    case SchedulePolicy::kEdf:
      return "edf";
  }
  return "?";
}

bool parse_schedule_policy(const std::string& name, SchedulePolicy* policy) {
  for (SchedulePolicy p :
       {SchedulePolicy::kFifo, SchedulePolicy::kPriority, SchedulePolicy::kEdf}) {
    if (name == schedule_policy_name(p)) {
      *policy = p;
      return true;
    }
  }
  return false;
}

int TaskGraph::node_index(const std::string& name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

int TaskGraph::source_index(const std::string& name) const {
  for (size_t i = 0; i < sources.size(); ++i)
    if (sources[i].name == name) return static_cast<int>(i);
  return -1;
}

int TaskGraph::resource_index(const std::string& name) const {
  for (size_t i = 0; i < resources.size(); ++i)
    if (resources[i].name == name) return static_cast<int>(i);
  return -1;
}

void TaskGraph::validate() {
  auto fail = [](const std::string& node, const std::string& what) {
    throw InputError("node \"" + printable(node) + "\": " + what);
  };
  if (nodes.empty()) throw InputError("the graph has no nodes");
  std::map<std::string, int> seen;  // sensors (-1) and nodes (their index)
  for (const auto& s : sources) seen[s.name] = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const TaskNode& n = nodes[i];
    if (n.name.empty()) throw InputError("a node has no name");
    if (!seen.emplace(n.name, static_cast<int>(i)).second) {
      fail(n.name, "the name is used twice (or is a sensor's)");
    }
  }
  for (const auto& n : nodes) {
    if (resource_index(n.resource) < 0) {
      fail(n.name, "unknown engine \"" + printable(n.resource) + "\"");
    }
    if (n.inputs.empty()) fail(n.name, "has no input (it must read a sensor or another node)");
    bool trigger = false;
    std::set<std::string> listed;
    for (const auto& e : n.inputs) {
      if (!seen.count(e.from))
        fail(n.name, "input \"" + printable(e.from) + "\" is neither a sensor nor a node");
      if (e.from == n.name) fail(n.name, "reads its own output (a cycle)");
      if (!listed.insert(e.from).second) {
        fail(n.name, "input \"" + printable(e.from) + "\" is listed twice");
      }
      trigger |= !e.latest;
    }
    if (!trigger)
      fail(n.name, "reads every input as its latest value: nothing would release its jobs");
    if (n.queue_depth < 1) fail(n.name, "its queue must hold at least one job");
  }
  // Topological order (Kahn's), declaration order among the ready: O(E log N).
  std::vector<size_t> waiting(nodes.size(), 0);
  std::vector<std::vector<size_t>> readers(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& e : nodes[i].inputs) {
      const int from = seen.at(e.from);
      if (from < 0) continue;  // a sensor
      ++waiting[i];
      readers[static_cast<size_t>(from)].push_back(i);
    }
  }
  std::vector<TaskNode> ordered;
  std::vector<bool> placed(nodes.size(), false);
  for (const size_t i : topological_order(readers, waiting)) {
    placed[i] = true;
    ordered.push_back(nodes[i]);
  }
  if (ordered.size() < nodes.size()) {
    const size_t i =
        static_cast<size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
    fail(nodes[i].name, "is on a cycle of the graph (its inputs never complete)");
  }
  nodes = std::move(ordered);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].name] = i;
  // Each node's frames come from one sensor: its trigger inputs' (a join needs the same frame on
  // every trigger input).
  origin_.assign(nodes.size(), "");
  min_latency_.assign(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const TaskNode& n = nodes[i];
    double ready = 0;
    for (const auto& e : n.inputs) {
      if (e.latest) continue;
      std::string origin;
      double lat = 0;
      const int s = source_index(e.from);
      if (s >= 0) {
        origin = e.from;
        lat = sources[static_cast<size_t>(s)].min_latency_s;
      } else {
        const size_t j = index.at(e.from);
        origin = origin_[j];
        lat = min_latency_[j];
      }
      if (!origin_[i].empty() && origin_[i] != origin) {
        fail(n.name, "trigger inputs come from different sensors (\"" + printable(origin_[i]) +
                         "\" and \"" + printable(origin) +
                         "\"); read all but one sensor's as latest values");
      }
      origin_[i] = origin;
      ready = std::max(ready, lat);
    }
    min_latency_[i] = ready + n.min_service_s;
    if (n.deadline_s < 0) fail(n.name, "its deadline is negative");
    if (n.deadline_s > 0 && n.deadline_s < min_latency_[i]) {
      char b[200];
      std::snprintf(
          b, sizeof b,
          "its deadline of %g ms cannot be met: the least latency from the sensor event to its "
          "end is %.3f ms (compute alone, no DRAM or queueing)",
          n.deadline_s * 1e3, min_latency_[i] * 1e3);
      fail(n.name, b);
    }
  }
  if (sink.empty()) throw InputError("no node is the sink (whose end is actuation)");
  if (!index.count(sink)) throw InputError("the sink \"" + printable(sink) + "\" is not a node");
}

}  // namespace strata
