#include "sim/pipeline/pipeline_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "sim/report/csv.h"
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

struct JobColumn {
  JobColumnInfo info;
  std::function<J(const JobContext&)> value;
};

// frames.csv, one row per job. Declared once: the CSV writer and job_column_info() read it.
const std::vector<JobColumn>& job_columns() {
  static const std::vector<JobColumn> c = {
      {{"sensor", "-", "the sensor whose sample the job's data descends from"},
       [](const JobContext& x) { return J(x.p.graph.sources[x.j().frame.source].name); }},
      {{"frame", "-", "that sensor's sample number"},
       [](const JobContext& x) { return J(x.j().frame.index); }},
      {{"node", "-", "the graph node"}, [](const JobContext& x) { return J(x.node().name); }},
      {{"kind", "-", "dnn, vector or host"},
       [](const JobContext& x) { return J(node_kind_name(x.node().kind)); }},
      {{"resource", "-", "the engine, or host"},
       [](const JobContext& x) { return J(x.node().resource); }},
      {{"unit", "-", "which of the resource's units ran it (host core); empty if it never ran"},
       [](const JobContext& x) { return x.j().unit < 0 ? J(nullptr) : J(x.j().unit); }},
      {{"event_s", "s", "true time of the sensor event (mid-exposure for a camera)"},
       [](const JobContext& x) { return seconds_or_null(x.j().frame.t_event); }},
      {{"release_s", "s", "when its inputs were complete (it joined its node's queue)"},
       [](const JobContext& x) { return seconds_or_null(x.j().release); }},
      {{"start_s", "s", "when it started on its resource; empty if it never did"},
       [](const JobContext& x) { return seconds_or_null(x.j().start); }},
      {{"end_s", "s", "when it ended; empty if it did not"},
       [](const JobContext& x) { return seconds_or_null(x.j().end); }},
      {{"deadline_s", "s",
        "its absolute deadline (sensor event + the node's deadline_ms); empty: none"},
       [](const JobContext& x) {
         return std::isinf(x.j().deadline) ? J(nullptr) : seconds_or_null(x.j().deadline);
       }},
      {{"state", "-", "done, dropped, running or waiting (at the end of the run)"},
       [](const JobContext& x) { return J(job_state_name(x.j().state)); }},
      {{"drop_reason", "-", "queue_full or late, for a dropped job"},
       [](const JobContext& x) {
         return x.j().state == JobState::kDropped ? J(x.j().drop_reason) : J(nullptr);
       }},
      {{"deadline_missed", "-", "1 if it ended after its deadline"},
       [](const JobContext& x) { return J(x.j().missed() ? 1 : 0); }},
      {{"latency_ms", "ms", "sensor event to the job's end"},
       [](const JobContext& x) {
         return x.j().end < 0 ? J(nullptr)
                              : J(round_to((x.j().end - x.j().frame.t_event) * 1e3, 1e-6));
       }},
      {{"energy_uj", "uJ",
        "the job's energy (an engine's layers or vector work; a host job's core "
        "and DRAM traffic)"},
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

double total_pj(const std::map<std::string, double>& m) {
  double t = 0;
  for (const auto& [k, v] : m) t += v;
  return t;
}

}  // namespace

std::vector<JobColumnInfo> job_column_info() {
  std::vector<JobColumnInfo> v;
  for (const auto& c : job_columns()) v.push_back(c.info);
  return v;
}

std::string pipeline_report_name(const PreparedPipeline& p) {
  const std::string name = p.config.get_string("name");
  return name.empty() ? std::filesystem::path(p.config.source).stem().string() : name;
}

J pipeline_report(const PreparedPipeline& p, const PipelineResult& r) {
  J rep;
  rep["config"] = p.config.source;
  rep["name"] = pipeline_report_name(p);
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
    const TaskNode& node = p.graph.nodes[n];
    int64_t released = 0, done = 0, dropped = 0, missed = 0;
    std::vector<double> service, wait, latency;
    for (const JobRecord* job : jobs_of[n]) {
      const JobRecord& j = *job;
      ++released;
      dropped += j.state == JobState::kDropped;
      if (j.start >= 0) wait.push_back(j.start - j.release);
      if (j.state != JobState::kDone) continue;
      ++done;
      missed += j.missed();
      service.push_back(j.end - j.start);
      latency.push_back(j.end - j.frame.t_event);
    }
    J o = {{"name", node.name},
           {"kind", node_kind_name(node.kind)},
           {"resource", node.resource},
           {"detail", p.nodes[n].detail},
           {"sensor", p.graph.origin_of(n)},
           {"deadline_ms", node.deadline_s > 0 ? J(node.deadline_s * 1e3) : J(nullptr)},
           {"least_latency_ms", round_to(p.graph.min_latency_s(n) * 1e3, 1e-6)},
           {"jobs_released", released},
           {"jobs_done", done},
           {"jobs_dropped", dropped},
           {"deadline_missed", missed},
           {"service_ms", distribution_json(of(service), 1e3)},
           {"wait_ms", distribution_json(of(wait), 1e3)},
           {"latency_ms", distribution_json(of(latency), 1e3)}};
    nodes.push_back(o);
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
  rep["dram"] = {{"type", p.dram.type},
                 {"bandwidth_gbps", p.dram.bandwidth_gbps},
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
      const double focal = p.config.get_float("geometry.focal_px");
      if (focal > 0) {
        const double px_per_s = focal * v / p.config.get_float("geometry.range_m");
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
  std::ostringstream out;
  std::vector<std::string> names;
  for (const auto& c : job_columns()) names.push_back(c.info.name);
  out << csv_line(names);
  for (size_t i = 0; i < r.jobs.size(); ++i) {
    const JobContext x{p, r, i};
    std::vector<std::string> fields;
    for (const auto& c : job_columns()) fields.push_back(csv_escape(c.value(x)));
    out << csv_line(fields);
  }
  return out.str();
}

std::string chrome_trace(const PreparedPipeline& p, const PipelineResult& r) {
  // One track per resource unit, then one per sensor; times in microseconds.
  J events = J::array();
  events.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"args", {{"name", "strata pipeline " + pipeline_report_name(p)}}}});
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
  const double window = p.config.get_float("pipeline.trace_s");
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
  for (size_t i = 0; i < r.jobs.size(); ++i) {
    const JobRecord& j = r.jobs[i];
    if (j.release > window) break;  // jobs are recorded in release order
    const TaskNode& n = p.graph.nodes[j.node];
    const size_t res = static_cast<size_t>(p.graph.resource_index(n.resource));
    const J args = {{"frame", j.frame.index},
                    {"sensor", p.graph.sources[static_cast<size_t>(j.frame.source)].name},
                    {"deadline_missed", j.missed()},
                    {"energy_uj", round_to(r.job_energy_pj[i] * 1e-6, 1e-6)}};
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
