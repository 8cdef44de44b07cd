#include "sim/pipeline/pipeline_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "sim/report/column_schema.h"
#include "sim/report/distribution_json.h"
#include "sim/report/human_units.h"
#include "sim/report/json_text.h"

namespace strata {
namespace {

using J = nlohmann::json;

struct JobContext {
  const PreparedPipeline& p;
  const PipelineResult& r;
  size_t job;
  const JobRecord& j() const { return r.jobs[job]; }
  const TaskNode& node() const { return p.graph.nodes[j().node]; }
};

J seconds_or_null(double t) { return t < 0 ? J(nullptr) : J(round_to(t, 1e-9)); }

using JobColumn = ColumnOf<JobContext>;

// frames.csv, one row per job. Declared once: the CSV writer, the trace's job arguments and
// job_column_info() (docs/pipeline.md) read it.
const std::vector<JobColumn>& job_columns() {
  static const std::vector<JobColumn> c = {
      {"sensor", "-", "the sensor whose sample the job's data descends from",
       [](const JobContext& x) { return J(x.p.graph.sources[x.j().frame.source].name); }},
      {"frame", "-", "that sensor's sample number",
       [](const JobContext& x) { return J(x.j().frame.index); }},
      {"node", "-", "the graph node", [](const JobContext& x) { return J(x.node().name); }},
      {"kind", "-", "dnn, vector or host",
       [](const JobContext& x) { return J(node_kind_name(x.node().kind)); }},
      {"resource", "-", "the engine, or host",
       [](const JobContext& x) { return J(x.node().resource); }},
      {"unit", "-", "which of the resource's units ran it (host core); empty if it never ran",
       [](const JobContext& x) { return x.j().unit < 0 ? J(nullptr) : J(x.j().unit); }, true},
      {"event_s", "s", "true time of the sensor event (mid-exposure for a camera)",
       [](const JobContext& x) { return seconds_or_null(x.j().frame.t_event); }, true},
      {"release_s", "s", "when its inputs were complete (it joined its node's queue)",
       [](const JobContext& x) { return seconds_or_null(x.j().release); }, true},
      {"start_s", "s", "when it started on its resource; empty if it never did",
       [](const JobContext& x) { return seconds_or_null(x.j().start); }, true},
      {"end_s", "s", "when it ended; empty if it did not",
       [](const JobContext& x) { return seconds_or_null(x.j().end); }, true},
      {"deadline_s", "s",
       "its absolute deadline (sensor event + the node's deadline_ms); empty: none",
       [](const JobContext& x) {
         return std::isinf(x.j().deadline) ? J(nullptr) : seconds_or_null(x.j().deadline);
       },
       true},
      {"state", "-", "done, dropped, running or waiting (at the end of the run)",
       [](const JobContext& x) { return J(job_state_name(x.j().state)); }},
      {"drop_reason", "-", "queue_full or late, for a dropped job",
       [](const JobContext& x) {
         return x.j().state == JobState::kDropped ? J(x.j().drop_reason) : J(nullptr);
       },
       true},
      {"deadline_missed", "-", "1 if it ended after its deadline",
       [](const JobContext& x) { return J(x.j().missed() ? 1 : 0); }},
      {"latency_ms", "ms", "sensor event to the job's end",
       [](const JobContext& x) {
         return x.j().end < 0 ? J(nullptr)
                              : J(round_to((x.j().end - x.j().frame.t_event) * 1e3, 1e-6));
       },
       true},
      {"energy_uj", "uJ",
       "the job's energy (an engine's layers or vector work; a host job's core "
       "and DRAM traffic)",
       [](const JobContext& x) { return J(round_to(x.r.job_energy_pj[x.job] * 1e-6, 1e-6)); }},
  };
  return c;
}

Distribution of(std::vector<double> v) { return summarize(std::move(v)); }

struct FrameSummary {
  int64_t sampled = 0, actuated = 0, dropped = 0, in_flight = 0, late = 0;
  std::vector<double> latency_s;
};

// The sink sensor's samples: actuated (the sink's job done), dropped somewhere on the way, or
// still in flight when the run ended.
FrameSummary frames_of(const PreparedPipeline& p, const PipelineResult& r) {
  FrameSummary f;
  const size_t sink = static_cast<size_t>(p.graph.node_index(p.graph.sink));
  const int origin = p.graph.source_index(p.graph.origin_of(sink));
  std::map<int64_t, int> status;  // 0 none yet, 1 pending, 2 dropped, 3 actuated (late: 4)
  for (const auto& j : r.jobs) {
    if (j.frame.source != origin) continue;
    int& s = status[j.frame.index];
    if (j.node == sink && j.state == JobState::kDone) {
      s = j.missed() ? 4 : 3;
    } else if (s < 3) {
      if (j.state == JobState::kDropped) s = std::max(s, 2);
      if (j.state == JobState::kWaiting || j.state == JobState::kRunning) s = std::max(s, 1);
    }
  }
  const double least = p.graph.min_latency_s(sink);
  for (const auto& sample : r.samples) {
    if (sample.frame.source != origin) continue;
    ++f.sampled;
    const int s = status.count(sample.frame.index) ? status[sample.frame.index] : 0;
    if (s >= 3) {
      ++f.actuated;
      f.late += s == 4;
    } else if (s == 2) {
      ++f.dropped;
    } else if (s == 1 || sample.frame.t_event + least > r.duration_s) {
      ++f.in_flight;
    } else {
      ++f.dropped;  // a join that never completed: another input dropped it
    }
  }
  for (const auto& j : r.jobs)
    if (j.node == sink && j.state == JobState::kDone)
      f.latency_s.push_back(j.end - j.frame.t_event);
  return f;
}

// One node's jobs over the run.
struct NodeStats {
  int64_t released = 0, done = 0, dropped = 0, missed = 0;
  std::vector<double> service, wait, latency;
};

NodeStats node_stats(const std::vector<const JobRecord*>& jobs) {
  NodeStats s;
  for (const JobRecord* job : jobs) {
    const JobRecord& j = *job;
    ++s.released;
    s.dropped += j.state == JobState::kDropped;
    if (j.start >= 0) s.wait.push_back(j.start - j.release);
    if (j.state != JobState::kDone) continue;
    ++s.done;
    s.missed += j.missed();
    s.service.push_back(j.end - j.start);
    s.latency.push_back(j.end - j.frame.t_event);
  }
  return s;
}

struct NodeContext {
  const PreparedPipeline& p;
  size_t index;
  const NodeStats& stats;
  const TaskNode& node() const { return p.graph.nodes[index]; }
};

// pipeline_report.json's nodes[]: one object per graph node (docs/pipeline.md).
const std::vector<ColumnOf<NodeContext>>& node_fields() {
  using N = NodeContext;
  static const std::vector<ColumnOf<N>> c = {
      {"name", "-", "the node", [](const N& x) { return J(x.node().name); }},
      {"kind", "-", "dnn, vector or host",
       [](const N& x) { return J(node_kind_name(x.node().kind)); }},
      {"resource", "-", "the engine, or host", [](const N& x) { return J(x.node().resource); }},
      {"detail", "-", "what it runs", [](const N& x) { return J(x.p.nodes[x.index].detail); }},
      {"sensor", "-", "the sensor its triggering data descends from",
       [](const N& x) { return J(x.p.graph.origin_of(x.index)); }},
      {"deadline_ms", "ms", "its deadline after the sensor event; null: none",
       [](const N& x) {
         return x.node().deadline_s > 0 ? J(x.node().deadline_s * 1e3) : J(nullptr);
       },
       true},
      {"least_latency_ms", "ms", "compute alone from the sensor event to its end",
       [](const N& x) { return J(round_to(x.p.graph.min_latency_s(x.index) * 1e3, 1e-6)); }},
      {"jobs_released", "-", "jobs whose inputs completed",
       [](const N& x) { return J(x.stats.released); }},
      {"jobs_done", "-", "of those, finished", [](const N& x) { return J(x.stats.done); }},
      {"jobs_dropped", "-", "dropped (queue full or late)",
       [](const N& x) { return J(x.stats.dropped); }},
      {"deadline_missed", "-", "finished after their deadline",
       [](const N& x) { return J(x.stats.missed); }},
      {"service_ms", "ms", "start to end of its finished jobs",
       [](const N& x) { return distribution_json(of(x.stats.service), 1e3); }},
      {"wait_ms", "ms", "release to start",
       [](const N& x) { return distribution_json(of(x.stats.wait), 1e3); }},
      {"latency_ms", "ms", "sensor event to end",
       [](const N& x) { return distribution_json(of(x.stats.latency), 1e3); }},
  };
  return c;
}

double total_pj(const std::map<std::string, double>& m) {
  double t = 0;
  for (const auto& [k, v] : m) t += v;
  return t;
}

}  // namespace

std::vector<ColumnInfo> job_column_info() { return column_info(job_columns()); }

J pipeline_report(const PreparedPipeline& p, const PipelineResult& r) {
  J rep;
  rep["config"] = p.config.source;
  rep["name"] = p.name;
  rep["duration_s"] = r.duration_s;
  rep["timestamps"] = p.sync.hardware ? "hardware" : "software";
  rep["sink"] = p.graph.sink;
  const size_t sink = static_cast<size_t>(p.graph.node_index(p.graph.sink));
  rep["sink_sensor"] = p.graph.origin_of(sink);

  const FrameSummary f = frames_of(p, r);
  rep["frames"] = {{"sampled", f.sampled},
                   {"actuated", f.actuated},
                   {"dropped", f.dropped},
                   {"in_flight_at_end", f.in_flight},
                   {"deadline_missed", f.late}};
  rep["latency_ms"] = distribution_json(of(f.latency_s), 1e3);

  // Per node (each node's jobs found once: graphs of thousands of nodes).
  std::vector<std::vector<const JobRecord*>> jobs_of(p.graph.nodes.size());
  for (const auto& j : r.jobs) jobs_of.at(j.node).push_back(&j);
  J nodes = J::array();
  for (size_t n = 0; n < p.graph.nodes.size(); ++n) {
    const NodeStats stats = node_stats(jobs_of[n]);
    nodes.push_back(row_object(node_fields(), NodeContext{p, n, stats}, p.graph.nodes[n].name));
  }
  rep["nodes"] = nodes;

  // Per resource: utilization and energy.
  double total = 0;
  for (const auto& [name, m] : r.energy_pj) total += total_pj(m);
  J resources = J::array();
  for (size_t i = 0; i < r.energy_pj.size(); ++i) {
    const auto& [name, m] = r.energy_pj[i];
    J o = {{"name", name}};
    if (i < p.graph.resources.size()) {
      const TaskResource& res = p.graph.resources[i];
      o["kind"] = name == "host" ? "host" : "engine";
      o["units"] = res.units;
      o["policy"] = schedule_policy_name(res.policy);
      o["utilization"] = round_to(r.busy_s[i] / (r.duration_s * res.units), 1e-6);
    } else {
      o["kind"] = "sensors";
    }
    J e = J::object();
    J per_frame = J::object();
    for (const auto& [component, pj] : m) {
      e[component] = round_to(pj * 1e-9, 1e-9);
      per_frame[component] =
          f.actuated ? J(round_to(pj * 1e-6 / static_cast<double>(f.actuated), 1e-6)) : J(nullptr);
    }
    o["energy_mj"] = e;
    o["energy_total_mj"] = round_to(total_pj(m) * 1e-9, 1e-9);
    o["energy_per_frame_uj"] = per_frame;
    resources.push_back(o);
  }
  rep["resources"] = resources;
  rep["dram"] = {{"type", p.dram.is_banked() ? p.dram.banked.name : p.dram.type},
                 {"bandwidth_gbps", p.dram.peak_gbps()},
                 {"read_bytes", r.dram_read_bytes},
                 {"write_bytes", r.dram_write_bytes},
                 {"utilization", round_to(r.dram_busy_s / r.duration_s, 1e-6)}};
  rep["energy"] = {{"total_mj", round_to(total * 1e-9, 1e-9)},
                   {"per_frame_mj",
                    f.actuated ? J(round_to(total * 1e-9 / static_cast<double>(f.actuated), 1e-9))
                               : J(nullptr)}};

  // Fusion: each job that samples a latest input fuses data stamped by two clocks' errors.
  J fusion = J::array();
  for (size_t n = 0; n < p.graph.nodes.size(); ++n) {
    const TaskNode& node = p.graph.nodes[n];
    for (size_t k = 0; k < node.inputs.size(); ++k) {
      if (!node.inputs[k].latest) continue;
      std::vector<double> err;
      std::string sensor;
      for (const JobRecord* job : jobs_of[n]) {
        const JobRecord& j = *job;
        if (j.inputs.size() <= k || j.inputs[k].source < 0) continue;
        const FrameRef& in = j.inputs[k];
        sensor = p.graph.sources[static_cast<size_t>(in.source)].name;
        err.push_back((j.frame.stamp - j.frame.t_event) - (in.stamp - in.t_event));
      }
      const Distribution d = summarize_abs(err);
      const double v = p.sync.vehicle_speed_mps;
      fusion.push_back({{"node", node.name},
                        {"input", node.inputs[k].from},
                        {"trigger_sensor", p.graph.origin_of(n)},
                        {"input_sensor", sensor},
                        {"stamp_error_us", distribution_json(d, 1e6)},
                        {"spatial_error_m",
                         {{"mean", round_to(d.mean * v, 1e-9)},
                          {"p99", round_to(d.p99 * v, 1e-9)},
                          {"max", round_to(d.max * v, 1e-9)}}}});
      // A point at range Z moving across the view at speed v is v x error / Z radians off: that
      // many focal lengths of image motion.
      if (p.focal_px > 0) {
        const double px_per_s = p.focal_px * v / p.range_m;
        fusion.back()["motion_error_px"] = {{"mean", round_to(d.mean * px_per_s, 1e-6)},
                                            {"p99", round_to(d.p99 * px_per_s, 1e-6)},
                                            {"max", round_to(d.max * px_per_s, 1e-6)}};
      }
    }
  }
  rep["vehicle_speed_mps"] = p.sync.vehicle_speed_mps;
  rep["fusion"] = fusion;
  return rep;
}

std::string frames_csv(const PreparedPipeline& p, const PipelineResult& r) {
  std::vector<JobContext> jobs;
  for (size_t i = 0; i < r.jobs.size(); ++i) jobs.push_back({p, r, i});
  return csv_table(job_columns(), jobs);
}

std::string chrome_trace(const PreparedPipeline& p, const PipelineResult& r) {
  // One track per resource unit, then one per sensor; times in microseconds.
  J events = J::array();
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"args", {{"name", "strata pipeline " + p.name}}}});
  std::vector<int> first_tid;
  int tid = 1;
  for (const auto& res : p.graph.resources) {
    first_tid.push_back(tid);
    for (int u = 0; u < res.units; ++u, ++tid) {
      const std::string name = res.units > 1 ? res.name + " " + std::to_string(u) : res.name;
      events.push_back({{"name", "thread_name"},
                        {"ph", "M"},
                        {"pid", 1},
                        {"tid", tid},
                        {"args", {{"name", name}}}});
      events.push_back({{"name", "thread_sort_index"},
                        {"ph", "M"},
                        {"pid", 1},
                        {"tid", tid},
                        {"args", {{"sort_index", tid}}}});
    }
  }
  const int sensor_tid = tid;
  for (size_t s = 0; s < p.graph.sources.size(); ++s) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", sensor_tid + static_cast<int>(s)},
                      {"args", {{"name", "sensor " + p.graph.sources[s].name}}}});
  }
  auto us = [](double s) { return round_to(s * 1e6, 1e-3); };
  const double window = p.trace_window_s;
  for (const auto& sample : r.samples) {
    if (sample.frame.t_event > window) continue;
    events.push_back(
        {{"name", p.graph.sources[static_cast<size_t>(sample.frame.source)].name},
         {"cat", "sensor"},
         {"ph", "i"},
         {"s", "t"},
         {"pid", 1},
         {"tid", sensor_tid + sample.frame.source},
         {"ts", us(sample.frame.t_event)},
         {"args", {{"frame", sample.frame.index}, {"arrival_us", us(sample.arrival)}}}});
  }
  const JobColumn& energy = column_named(job_columns(), "energy_uj");
  for (size_t i = 0; i < r.jobs.size(); ++i) {
    const JobRecord& j = r.jobs[i];
    if (j.release > window) break;  // jobs are recorded in release order
    const TaskNode& n = p.graph.nodes[j.node];
    const size_t res = static_cast<size_t>(p.graph.resource_index(n.resource));
    const J args = {{"frame", j.frame.index},
                    {"sensor", p.graph.sources[static_cast<size_t>(j.frame.source)].name},
                    {"deadline_missed", j.missed()},
                    {"energy_uj", energy.get({p, r, i})}};
    if (j.state == JobState::kDone) {
      events.push_back({{"name", n.name},
                        {"cat", node_kind_name(n.kind)},
                        {"ph", "X"},
                        {"pid", 1},
                        {"tid", first_tid[res] + j.unit},
                        {"ts", us(j.start)},
                        {"dur", us(j.end - j.start)},
                        {"args", args}});
    } else if (j.state == JobState::kDropped) {
      events.push_back({{"name", n.name + " dropped (" + j.drop_reason + ")"},
                        {"cat", "drop"},
                        {"ph", "i"},
                        {"s", "t"},
                        {"pid", 1},
                        {"tid", first_tid[res]},
                        {"ts", us(j.release)},
                        {"args", args}});
    }
  }
  return J{{"displayTimeUnit", "ms"},
           {"traceEvents", events},
           {"otherData", {{"window_s", window}, {"duration_s", r.duration_s}}}}
             .dump() +
         "\n";
}

std::vector<OutputFile> pipeline_outputs(const PreparedPipeline& p, const PipelineResult& r) {
  J resolved = p.config.values;
  for (auto it = p.graph_json.begin(); it != p.graph_json.end(); ++it) {
    if (it.key() == "host_kernels")
      resolved["host"]["kernels"] = it.value();
    else
      resolved[it.key()] = it.value();
  }
  return {{"pipeline_report.json", json_text(pipeline_report(p, r), 2) + "\n"},
          {"frames.csv", frames_csv(p, r)},
          {"trace.json", chrome_trace(p, r)},
          {"config.resolved.json", json_text(resolved, 2) + "\n"}};
}

std::string pipeline_summary(const J& rep) {
  std::ostringstream out;
  const J& f = rep["frames"];
  const J& l = rep["latency_ms"];
  out << "pipeline " << rep["name"].get<std::string>() << ": " << rep["duration_s"].get<double>()
      << " s simulated, " << rep["timestamps"].get<std::string>() << " timestamps\n";
  out << "  " << rep["sink_sensor"].get<std::string>() << " frames: " << f["sampled"]
      << " sampled, " << f["actuated"] << " actuated (" << f["deadline_missed"] << " late), "
      << f["dropped"] << " dropped, " << f["in_flight_at_end"] << " in flight at the end\n";
  if (l["count"].get<int64_t>() > 0) {
    out << "  sensor-to-actuation latency: mean " << human_duration(l["mean"].get<double>() * 1e-3)
        << ", p50 " << human_duration(l["p50"].get<double>() * 1e-3) << ", p99 "
        << human_duration(l["p99"].get<double>() * 1e-3) << ", max "
        << human_duration(l["max"].get<double>() * 1e-3) << "\n";
  }
  if (!rep["energy"]["per_frame_mj"].is_null()) {
    out << "  energy per actuated frame: "
        << three_significant(rep["energy"]["per_frame_mj"].get<double>()) << " mJ (";
    bool first = true;
    for (const auto& r : rep["resources"]) {
      double uj = 0;
      for (const auto& [k, v] : r["energy_per_frame_uj"].items())
        if (!v.is_null()) uj += v.get<double>();
      out << (first ? "" : ", ") << r["name"].get<std::string>() << " "
          << three_significant(uj * 1e-3);
      first = false;
    }
    out << ")\n";
  }
  out << "  utilization:";
  for (const auto& r : rep["resources"]) {
    if (!r.contains("utilization")) continue;
    out << " " << r["name"].get<std::string>() << " "
        << three_significant(r["utilization"].get<double>() * 100) << " %";
  }
  out << "; DRAM " << three_significant(rep["dram"]["utilization"].get<double>() * 100) << " %\n";
  for (const auto& fu : rep["fusion"]) {
    out << "  fusion " << fu["node"].get<std::string>() << " ("
        << fu["trigger_sensor"].get<std::string>() << " with "
        << fu["input_sensor"].get<std::string>() << "): stamp error p99 "
        << human_duration(fu["stamp_error_us"]["p99"].get<double>() * 1e-6) << " = "
        << human_length(fu["spatial_error_m"]["p99"].get<double>()) << " at "
        << rep["vehicle_speed_mps"].get<double>() << " m/s";
    if (fu.contains("motion_error_px"))
      out << ", " << three_significant(fu["motion_error_px"]["p99"].get<double>())
          << " px of image motion";
    out << "\n";
  }
  return out.str();
}

}  // namespace strata
