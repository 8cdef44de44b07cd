#include "sim/pipeline/pipeline_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "common/input_error.h"
#include "common/printable.h"
#include "hw_models/vector/vector_ops.h"
#include "sim/config/component_params.h"
#include "sim/config/dram_params.h"
#include "sim/config/object_reader.h"
#include "sim/config/pipeline_params.h"

namespace strata {
namespace {

using J = nlohmann::json;

std::string resolve_relative(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return dir + "/" + path;
}

// A workload given as a file (trace, topology, ONNX) is relative to the config that names it;
// zoo specs ("mobilenet_v1", "resnet18@112") are not files.
std::string resolve_workload(const std::string& dir, const std::string& w) {
  auto ends_with = [&w](const char* suffix) {
    const std::string x(suffix);
    return w.size() > x.size() && w.compare(w.size() - x.size(), x.size(), x) == 0;
  };
  const bool file = w.find('/') != std::string::npos || ends_with(".json") || ends_with(".csv") ||
                    ends_with(".onnx");
  return file ? resolve_relative(dir, w) : w;
}

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

void read_engines(const J& list, const std::string& where, const std::string& dir,
                  PreparedPipeline& p) {
  if (!list.is_array() || list.empty())
    throw InputError(where + ": must be a list of engines ({\"name\", \"config\"})");
  for (size_t i = 0; i < list.size(); ++i) {
    ObjectReader r(list[i], where + "[" + std::to_string(i) + "]");
    PipelineEngineConfig e;
    e.name = r.string("name");
    if (!valid_name(e.name) || e.name == "host")
      r.fail("name", "\"" + e.name + "\" must be letters, digits, '_' or '-' and not \"host\"");
    for (const auto& other : p.engines)
      if (other.name == e.name) r.fail("name", "\"" + e.name + "\" is used twice");
    const std::string at = where + "[" + std::to_string(i) + "] \"" + e.name + "\"";
    e.config_path = resolve_config_path_from(dir, r.string("config"));
    SchedulePolicy policy = SchedulePolicy::kFifo;
    const std::string policy_name = r.string("policy", "fifo");
    if (!parse_schedule_policy(policy_name, &policy))
      r.fail("policy", "must be \"fifo\", \"priority\" or \"edf\", got \"" + policy_name + "\"");
    ConfigTree tree;
    try {
      tree = ConfigTree::load(e.config_path);
    } catch (const InputError& err) {
      throw InputError(at + ": config: " + err.what());
    }
    if (const J* set = r.get("set")) {
      if (!set->is_object()) r.fail("set", "must be an object of config keys and values");
      for (auto it = set->begin(); it != set->end(); ++it) {
        if (it.key().rfind("dram.", 0) == 0)
          r.fail("set", it.key() + ": the DRAM is shared: set dram.* at the pipeline's top level");
        tree.set_override(it.key() + "=" + it.value().dump());
      }
    }
    r.finish();
    tree.set_override("sim.quantum_us=" + p.config.at("pipeline.quantum_us").dump());
    try {
      e.config = resolve_config(tree);
      if (make_run_params(e.config).mode != RunMode::kTile)
        throw InputError(e.config.source + ": sim.mode: an engine runs in \"tile\" mode");
      e.soc = make_soc_params(e.config);
      // One DRAM for all: the pipeline's replaces the engine config's own.
      e.soc.dram = make_dram_params(p.config);
      e.tech = load_tech_table(e.config.tech_table_path);
      EnergyModel check(e.soc, e.tech);  // a DRAM type its table lacks fails here
    } catch (const InputError& err) {
      throw InputError(at + ": " + err.what());
    }
    p.engines.push_back(std::move(e));
    p.graph.resources.push_back({p.engines.back().name, 1, policy});
  }
}

const VectorOpSpec* vector_op_named(const std::string& name) {
  for (const auto& s : vector_op_specs())
    if (name == s.name) return &s;
  return nullptr;
}

int64_t checked_bytes(const ObjectReader& r, const std::string& key, int64_t elements,
                      int64_t bits) {
  const int64_t bytes = vector_bytes(elements, bits);
  if (bytes < 0) r.fail(key, "too many elements");
  return bytes;
}

void read_node(const J& obj, size_t index, const std::string& where, const std::string& dir,
               const PipelineRequest& request, PreparedPipeline& p, TaskNode& n,
               PipelineNodeInfo& info, NodeWork& w) {
  // Errors name the node once its name is read.
  n.name = obj.is_object() && obj.contains("name") && obj["name"].is_string()
               ? obj["name"].get<std::string>()
               : "";
  ObjectReader nr(obj, where + "[" + std::to_string(index) + "]" +
                           (n.name.empty() ? "" : " \"" + n.name + "\""));
  nr.string("name");
  if (!valid_name(n.name))
    nr.fail("name", "\"" + n.name + "\" must be letters, digits, '_' or '-' (at most 64)");
  const std::string kind = nr.string("kind");
  if (const J* inputs = nr.get("inputs")) {
    if (!inputs->is_array()) nr.fail("inputs", "must be a list of sensor or node names");
    for (const auto& in : *inputs) {
      InputEdge e;
      if (in.is_string()) {
        e.from = in.get<std::string>();
      } else {
        ObjectReader er(in, nr.where() + ".inputs[]");
        e.from = er.string("from");
        e.latest = er.boolean("latest", false);
        er.finish();
      }
      n.inputs.push_back(e);
    }
  }
  n.priority = static_cast<int>(nr.integer("priority", -1000000, 1000000, 0));
  n.deadline_s = nr.number("deadline_ms", 0, 1e9, 0) / 1e3;
  n.queue_depth = nr.integer("queue_depth", 1, 1000000, 4);
  const std::string drop = nr.string("drop", "oldest");
  if (drop != "oldest" && drop != "newest")
    nr.fail("drop", "must be \"oldest\" or \"newest\", got \"" + drop + "\"");
  n.drop = drop == "oldest" ? DropPolicy::kOldest : DropPolicy::kNewest;
  n.skip_late = nr.boolean("skip_late", false);

  auto engine_of = [&]() {
    const std::string e = nr.string("engine");
    for (size_t i = 0; i < p.engines.size(); ++i) {
      if (p.engines[i].name == e) {
        n.resource = e;
        return static_cast<int>(i);
      }
    }
    nr.fail("engine", "unknown engine \"" + e + "\" (the engines are named in \"engines\")");
  };
  if (kind == "dnn") {
    n.kind = w.kind = NodeKind::kDnn;
    w.engine = engine_of();
    const PipelineEngineConfig& eng = p.engines[static_cast<size_t>(w.engine)];
    const std::string workload = resolve_workload(dir, nr.string("workload"));
    try {
      info.run = std::make_unique<PreparedRun>(prepare_run(
          eng.config, RunInputs{workload, request.workload_cache_dir, "", nullptr, ""}));
    } catch (const InputError& err) {
      nr.fail("workload", err.what());
    }
    const Workload& wl = info.run->workload;
    if (wl.layers.empty()) nr.fail("workload", "has no array layers");
    const size_t last = wl.layers.size() - 1;
    const OperandBits bits = layer_operand_bits(eng.soc.controller.tiling.bits, wl, last);
    info.output_bytes = vector_bytes(wl.layers[last].output_elements(), bits.output);
    info.detail = workload + " (" + info.run->params.prep.describe() + ")";
    n.min_service_s = static_cast<double>(workload_compute_cycles(wl, eng.soc.controller.tiling)) /
                      (eng.soc.freq_mhz * 1e6);
  } else if (kind == "vector") {
    n.kind = w.kind = NodeKind::kVector;
    w.engine = engine_of();
    const PipelineEngineConfig& eng = p.engines[static_cast<size_t>(w.engine)];
    if (!eng.soc.controller.vector.enabled)
      nr.fail("engine", "engine \"" + n.resource + "\" has no vector unit (vector.enabled)");
    const std::string op = nr.string("op");
    const VectorOpSpec* spec = vector_op_named(op);
    if (!spec) {
      std::string names;
      for (const auto& s : vector_op_specs())
        names += std::string(names.empty() ? "" : ", ") + s.name;
      nr.fail("op", "unknown vector operation \"" + op + "\" (one of " + names + ")");
    }
    const int64_t max = int64_t(1) << 40;
    w.vector.op = spec->op;
    w.vector.work_elements = nr.integer("elements", 1, max, 0, true);
    w.vector.input_elements = nr.integer("input_elements", 1, max, w.vector.work_elements);
    w.vector.output_elements = nr.integer("output_elements", 1, max, w.vector.work_elements);
    const int64_t bits = eng.soc.controller.vector.element_bits;
    w.dram_read_bytes = checked_bytes(nr, "input_elements", w.vector.input_elements, bits);
    w.dram_write_bytes = checked_bytes(nr, "output_elements", w.vector.output_elements, bits);
    info.output_bytes = w.dram_write_bytes;
    info.detail = op + ", " + std::to_string(w.vector.work_elements) + " elements";
    VectorUnitShape shape;
    shape.lanes = eng.soc.controller.vector.lanes;
    shape.port_bytes_per_cycle = eng.soc.controller.vector.port_bytes_per_cycle;
    shape.element_bits = bits;
    n.min_service_s = static_cast<double>(vector_cycles(w.vector, shape).compute) /
                      (eng.soc.controller.vector.freq_mhz * 1e6);
  } else if (kind == "host") {
    n.kind = w.kind = NodeKind::kHost;
    n.resource = "host";
    const std::string kernel = nr.string("kernel");
    auto it = p.host.kernels.find(kernel);
    if (it == p.host.kernels.end()) {
      std::string names;
      for (const auto& [k, v] : p.host.kernels) names += (names.empty() ? "" : ", ") + k;
      nr.fail("kernel", "unknown host kernel \"" + kernel + "\" (one of " + names + ")");
    }
    w.kernel = it->second;
    w.elements = nr.integer("elements", 0, int64_t(1) << 40, 0, true);
    // Bounded so a job's cycles, time and energy stay exact in 64 bits (1e15 cycles: days).
    const double cycles =
        w.kernel.fixed_cycles + w.kernel.cycles_per_element * static_cast<double>(w.elements);
    if (!(cycles <= 1e15)) {
      char b[160];
      std::snprintf(b, sizeof b, "%.3g cycles a job (kernel \"%s\"): at most 1e15", cycles,
                    kernel.c_str());
      nr.fail("elements", b);
    }
    info.output_bytes = nr.integer("output_bytes", 0, int64_t(1) << 40, 0);
    w.dram_write_bytes = info.output_bytes;
    info.detail = kernel + ", " + std::to_string(w.elements) + " " + w.kernel.element + "s";
    n.min_service_s =
        static_cast<double>(host_kernel_cycles(w.kernel, w.elements)) / (p.host.freq_mhz * 1e6);
  } else {
    nr.fail("kind", "must be \"dnn\", \"vector\" or \"host\", got \"" + kind + "\"");
  }
  nr.finish();
}

void read_host_kernels(const J* kernels, const std::string& where, HostParams& host) {
  if (!kernels) return;
  if (!kernels->is_object()) throw InputError(where + ": must be an object of kernels by name");
  for (auto it = kernels->begin(); it != kernels->end(); ++it) {
    ObjectReader r(it.value(), where + "." + it.key());
    auto known = host.kernels.find(it.key());
    HostKernel k = known != host.kernels.end() ? known->second : HostKernel{};
    if (known == host.kernels.end()) {
      // A new kernel: its costs must be given.
      k.element = r.string("element");
      k.cycles_per_element = r.number("cycles_per_element", 0, 1e12, -1);
      if (k.cycles_per_element < 0) r.fail("cycles_per_element", "missing (a new kernel's cost)");
      k.derivation = "given in the config";
    } else {
      k.element = r.string("element", k.element.c_str());
      k.cycles_per_element = r.number("cycles_per_element", 0, 1e12, k.cycles_per_element);
      k.derivation = "given in the config (built-in: " + k.derivation + ")";
    }
    k.fixed_cycles = r.number("fixed_cycles", 0, 1e15, k.fixed_cycles);
    r.finish();
    host.kernels[it.key()] = k;
  }
}

}  // namespace

PreparedPipeline prepare_pipeline(const PipelineRequest& request) {
  PreparedPipeline p;
  ConfigTree tree = ConfigTree::load(request.config_path);
  for (const auto& o : request.overrides) tree.set_override(o);
  // The graph's sections are lists and free-form maps: read here, not by the key table.
  J& doc = tree.doc();
  for (const char* key : {"engines", "nodes", "sink"}) {
    if (doc.contains(key)) {
      p.graph_json[key] = doc[key];
      doc.erase(key);
    }
  }
  if (doc.contains("host") && doc["host"].is_object() && doc["host"].contains("kernels")) {
    p.graph_json["host_kernels"] = doc["host"]["kernels"];
    doc["host"].erase("kernels");
  }
  const std::string file = tree.top_file();
  // Paths in the graph are relative to the file that gave them (an include's, maybe).
  const std::string origin_engines = tree.origin("engines");
  const std::string engines_dir = std::filesystem::path(origin_engines).parent_path().string();
  const std::string dir = std::filesystem::path(tree.origin("nodes")).parent_path().string();
  p.config = resolve_config(tree, pipeline_param_specs());
  override_sync_duration(p.config, request.duration_s);
  const PipelineKeys keys = make_pipeline_keys(p.config);
  p.sync = keys.sync;
  p.name = keys.name;
  p.focal_px = keys.focal_px;
  p.range_m = keys.range_m;
  p.trace_window_s = keys.trace_window_s;
  check_sync_budget(p.sync, file);
  p.dram = keys.dram;
  const TechTable tech = load_tech_table(p.config.tech_table_path);
  auto dram_energy = tech.dram_pj_per_bit.find(p.dram.type);
  if (dram_energy == tech.dram_pj_per_bit.end()) {
    throw InputError(file + ": dram.type: the tech table has no dram_pj_per_bit entry for \"" +
                     p.dram.type + "\"");
  }
  p.dram_pj_per_bit = dram_energy->second;
  p.host.cores = keys.host_cores;
  p.host.freq_mhz = keys.host_freq_mhz;
  p.host.pj_per_cycle = keys.host_pj_per_cycle;
  read_host_kernels(p.graph_json.contains("host_kernels") ? &p.graph_json["host_kernels"] : nullptr,
                    file + ": host.kernels", p.host);

  // Sources: the enabled sensors.
  for (const auto& s : p.sync.sensors) {
    const double exposure_to_data = s.exposure_us / 2 + s.readout_us + s.transfer_us;
    p.graph.sources.push_back({s.name, exposure_to_data * 1e-6});
    p.source_bytes.push_back(keys.sensor_data_bytes.at(s.name));
  }
  if (!p.graph_json.contains("engines"))
    throw InputError(file + ": engines: missing (a list of {\"name\", \"config\"})");
  read_engines(p.graph_json["engines"], origin_engines + ": engines", engines_dir, p);
  p.graph.resources.push_back({"host", p.host.cores, keys.host_policy});
  if (!p.graph_json.contains("nodes") || !p.graph_json["nodes"].is_array())
    throw InputError(file + ": nodes: missing (a list of the graph's nodes)");
  const J& nodes = p.graph_json["nodes"];
  std::vector<TaskNode> declared(nodes.size());
  std::vector<PipelineNodeInfo> infos(nodes.size());
  std::vector<NodeWork> works(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    read_node(nodes[i], i, file + ": nodes", dir, request, p, declared[i], infos[i], works[i]);
  if (p.graph_json.contains("sink")) {
    if (!p.graph_json["sink"].is_string())
      throw InputError(file + ": sink: must be the name of the actuation node");
    p.graph.sink = p.graph_json["sink"].get<std::string>();
  }
  p.graph.nodes = declared;
  if (!declared.empty() && p.graph.sink.empty()) {
    throw InputError(file + ": sink: name the node whose end is actuation");
  }
  if (!declared.empty() && std::none_of(declared.begin(), declared.end(), [&](const TaskNode& n) {
        return n.name == p.graph.sink;
      })) {
    throw InputError(file + ": sink: \"" + printable(p.graph.sink) + "\" is not a node");
  }
  try {
    p.graph.validate();
  } catch (const InputError& e) {
    throw InputError(file + ": nodes: " + e.what());
  }
  // validate() ordered the nodes: put the infos and works in the same order.
  for (const auto& n : p.graph.nodes) {
    for (size_t i = 0; i < declared.size(); ++i) {
      if (declared[i].name != n.name) continue;
      p.nodes.push_back(std::move(infos[i]));
      p.work.push_back(works[i]);
    }
  }
  // A host node reads what its inputs wrote (sensor data, other nodes' outputs).
  for (size_t i = 0; i < p.graph.nodes.size(); ++i) {
    if (p.work[i].kind != NodeKind::kHost) continue;
    int64_t bytes = 0;
    for (const auto& e : p.graph.nodes[i].inputs) {
      const int s = p.graph.source_index(e.from);
      bytes += s >= 0 ? p.source_bytes[static_cast<size_t>(s)]
                      : p.nodes[static_cast<size_t>(p.graph.node_index(e.from))].output_bytes;
    }
    p.work[i].dram_read_bytes = bytes;
  }
  // What the run may record: jobs at every trigger's rate.
  double jobs_per_s = 0;
  for (size_t i = 0; i < p.graph.nodes.size(); ++i) {
    for (const auto& s : p.sync.sensors)
      if (s.name == p.graph.origin_of(i)) jobs_per_s += s.rate_hz;
  }
  const double max_jobs = static_cast<double>(keys.max_jobs);
  if (jobs_per_s * p.sync.duration_s > max_jobs) {
    char b[200];
    std::snprintf(b, sizeof b,
                  ": timesync.duration_s: %g s releases ~%.3g jobs, over pipeline.max_jobs "
                  "(%.3g); shorten the run",
                  p.sync.duration_s, jobs_per_s * p.sync.duration_s, max_jobs);
    throw InputError(file + b);
  }
  return p;
}

}  // namespace strata
