#include "hw_models/pipeline/graph_runtime.h"

#include <algorithm>
#include <stdexcept>

namespace strata {

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::kWaiting:
      return "waiting";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kDropped:
      return "dropped";
  }
  return "?";
}

GraphRuntime::GraphRuntime(const TaskGraph& graph)
    : graph_(graph),
      resource_of_(graph.nodes.size()),
      triggers_(graph.nodes.size(), 0),
      waiting_(graph.nodes.size()),
      joins_(graph.nodes.size()) {
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const int r = graph.resource_index(graph.nodes[i].resource);
    if (r < 0) throw std::logic_error("GraphRuntime: the graph is not validated");
    resource_of_[i] = static_cast<size_t>(r);
    for (const auto& e : graph.nodes[i].inputs) {
      if (e.latest) continue;
      ++triggers_[i];
      auto& readers = consumers_[e.from];
      if (readers.empty() || readers.back().first != i) readers.emplace_back(i, 0);
      ++readers.back().second;
    }
  }
  for (const auto& r : graph.resources)
    unit_busy_.emplace_back(static_cast<size_t>(r.units), false);
  queued_.resize(graph.resources.size());
}

int GraphRuntime::busy_units(size_t resource) const {
  return static_cast<int>(
      std::count(unit_busy_[resource].begin(), unit_busy_[resource].end(), true));
}

void GraphRuntime::source_ready(size_t source, const FrameRef& frame, double now) {
  deliver(graph_.sources.at(source).name, frame, now);
}

void GraphRuntime::job_done(size_t job, double now) {
  JobRecord& j = jobs_.at(job);
  if (j.state != JobState::kRunning) throw std::logic_error("GraphRuntime: job not running");
  j.state = JobState::kDone;
  j.end = now;
  unit_busy_[resource_of_[j.node]][static_cast<size_t>(j.unit)] = false;
  // Copied: delivering may grow jobs_.
  const FrameRef frame = j.frame;
  deliver(graph_.nodes[j.node].name, frame, now);
}

void GraphRuntime::deliver(const std::string& producer, const FrameRef& frame, double now) {
  latest_[producer] = frame;
  const auto readers = consumers_.find(producer);
  if (readers == consumers_.end()) return;
  for (const auto& [c, delivered] : readers->second) {
    if (triggers_[c] == delivered) {
      release(c, frame, now);
      continue;
    }
    // A join: released when every trigger input has delivered this frame. Producers deliver
    // their frames in order, so a join older than one released can no longer complete.
    int& count = joins_[c][frame.index];
    count += delivered;
    if (count == triggers_[c]) {
      joins_[c].erase(joins_[c].begin(), joins_[c].upper_bound(frame.index));
      release(c, frame, now);
    }
  }
}

void GraphRuntime::release(size_t node, const FrameRef& frame, double now) {
  const TaskNode& n = graph_.nodes[node];
  JobRecord j;
  j.node = node;
  j.frame = frame;
  j.release = now;
  if (n.deadline_s > 0) j.deadline = frame.t_event + n.deadline_s;
  jobs_.push_back(j);
  const size_t id = jobs_.size() - 1;
  std::deque<size_t>& q = waiting_[node];
  if (static_cast<int64_t>(q.size()) >= n.queue_depth) {
    const size_t victim = n.drop == DropPolicy::kOldest ? q.front() : id;
    jobs_[victim].state = JobState::kDropped;
    jobs_[victim].drop_reason = "queue_full";
    ++dropped_;
    if (victim != id) {
      q.pop_front();
      q.push_back(id);
    }
    return;
  }
  q.push_back(id);
  queued_[resource_of_[node]].insert(node);
}

std::vector<size_t> GraphRuntime::start_ready(double now) {
  std::vector<size_t> started;
  for (size_t r = 0; r < graph_.resources.size(); ++r) {
    const SchedulePolicy policy = graph_.resources[r].policy;
    while (true) {
      auto free_unit = std::find(unit_busy_[r].begin(), unit_busy_[r].end(), false);
      if (free_unit == unit_busy_[r].end()) break;
      // The policy's pick among the heads of this resource's nodes' queues (those not empty).
      int best = -1;
      for (const size_t n : queued_[r]) {
        if (best < 0) {
          best = static_cast<int>(n);
          continue;
        }
        const JobRecord& a = jobs_[waiting_[n].front()];
        const JobRecord& b = jobs_[waiting_[static_cast<size_t>(best)].front()];
        bool better = false;
        switch (policy) {
          case SchedulePolicy::kFifo:
            better = a.release < b.release;
            break;
          case SchedulePolicy::kPriority: {
            const int pa = graph_.nodes[n].priority;
            const int pb = graph_.nodes[static_cast<size_t>(best)].priority;
            better = pa > pb || (pa == pb && a.release < b.release);
            break;
          }
          case SchedulePolicy::kEdf:
            better = a.deadline < b.deadline || (a.deadline == b.deadline && a.release < b.release);
            break;
        }
        if (better) best = static_cast<int>(n);
      }
      if (best < 0) break;
      const size_t node = static_cast<size_t>(best);
      const size_t id = waiting_[node].front();
      waiting_[node].pop_front();
      if (waiting_[node].empty()) queued_[r].erase(node);
      JobRecord& j = jobs_[id];
      if (graph_.nodes[node].skip_late && now > j.deadline) {
        j.state = JobState::kDropped;
        j.drop_reason = "late";
        ++dropped_;
        continue;
      }
      j.state = JobState::kRunning;
      j.start = now;
      j.unit = static_cast<int>(free_unit - unit_busy_[r].begin());
      *free_unit = true;
      for (const auto& e : graph_.nodes[node].inputs) {
        auto it = latest_.find(e.from);
        j.inputs.push_back(!e.latest ? j.frame : it == latest_.end() ? FrameRef{} : it->second);
      }
      started.push_back(id);
    }
  }
  return started;
}

}  // namespace strata
