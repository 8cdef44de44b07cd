// strata's Python binding (docs/python.md): the simulator's library behind a few functions that
// take paths and strings and give report JSON text; python/strata/ builds the Pythonic API (Report,
// DataFrames, InputError) on them. Every run gets a fresh SystemC simulation context, so one
// interpreter runs any number of simulations; runs are serialized (SystemC's kernel is global).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/config/param_specs.h"
#include "sim/report/columns.h"
#include "sim/report/json_text.h"
#include "sim/report/report.h"
#include "sim/run/sim_context.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/sweep/sweep_spec.h"
#include "sim/sync/sync_report.h"
#include "sim/sync/sync_run.h"
#include "workloads/json_file.h"
#include "workloads/trace/trace_io.h"

// libsystemc refers to the program's sc_main; a Python process has none and never calls it.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char**) { return 0; }

namespace py = pybind11;

namespace {

std::mutex& kernel_mutex() {
  static std::mutex m;
  return m;
}

nlohmann::json run_report_json(const std::string& config_path, const std::string& config_label,
                               const std::string& workload,
                               const std::vector<std::string>& overrides,
                               const std::string& workload_cache_dir, const std::string& inputs_dir,
                               const std::string& mappings_path = "") {
  strata::RunRequest request;
  request.config_path = config_path;
  request.config_label = config_label;
  request.workload = workload;
  request.overrides = overrides;
  request.workload_cache_dir = workload_cache_dir;
  request.inputs_dir = inputs_dir;
  request.mappings_path = mappings_path;
  py::gil_scoped_release no_gil;
  const std::lock_guard<std::mutex> lock(kernel_mutex());
  strata::use_fresh_simulation_context();
  const strata::PreparedRun prepared = strata::prepare_run(request);
  const strata::RunResult result = strata::run_simulation(prepared, nullptr);
  return strata::report_json(prepared, result);
}

std::string run_report(const std::string& config_path, const std::string& config_label,
                       const std::string& workload, const std::vector<std::string>& overrides,
                       const std::string& workload_cache_dir, const std::string& inputs_dir,
                       const std::string& mappings_path) {
  return strata::json_text(run_report_json(config_path, config_label, workload, overrides,
                                           workload_cache_dir, inputs_dir, mappings_path));
}

// A sweep's plan as JSON text: the base config, workloads, axis keys and points (docs/sweeps.md).
std::string plan_json(const std::string& spec_path) {
  const strata::SweepSpec spec = strata::load_sweep_spec(spec_path);
  const strata::SweepPlan plan = strata::plan_sweep(spec);
  nlohmann::json out = {{"base", spec.base},
                        {"workloads", spec.workloads},
                        {"axes", nlohmann::json::array()},
                        {"points", nlohmann::json::array()},
                        {"dropped", plan.dropped}};
  for (const auto& a : spec.axes) out["axes"].push_back(a.key);
  for (const auto& p : plan.points) out["points"].push_back(strata::point_json(p));
  return strata::json_text(out);
}

strata::SweepPoint point_of(const std::string& text) {
  return strata::point_from_json(strata::parse_json_text(text, "point"), "point");
}

template <typename Columns>
std::vector<std::tuple<std::string, std::string, std::string>> describe(const Columns& columns) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& c : columns) out.emplace_back(c.name, c.unit, c.description);
  return out;
}

// A trace's companion tensors, validated against the trace (docs/trace-format.md), as
// {name: (dtype, shape, little-endian bytes)}; empty when the trace names no tensors file.
py::dict trace_tensors(const std::string& trace_path) {
  strata::SafeTensorMap tensors;
  strata::load_trace(trace_path, &tensors);
  py::dict out;
  for (const auto& [name, tensor] : tensors) {
    out[py::str(name)] = py::make_tuple(tensor.dtype, tensor.shape, py::bytes(tensor.bytes));
  }
  return out;
}

// One time-sync run, as `strata sync` (without plots): {file name: content} of its outputs.
py::dict sync_files(const std::string& config_path, const std::vector<std::string>& overrides,
                    double duration_s) {
  strata::SyncRequest request;
  request.config_path = config_path;
  request.overrides = overrides;
  request.duration_s = duration_s;
  std::vector<strata::OutputFile> files;
  {
    py::gil_scoped_release no_gil;
    const std::lock_guard<std::mutex> lock(kernel_mutex());
    strata::use_fresh_simulation_context();
    const strata::PreparedSync prepared = strata::prepare_sync(request);
    files = strata::sync_outputs(prepared, strata::run_sync(prepared, nullptr));
  }
  py::dict out;
  for (const auto& f : files) out[py::str(f.name)] = py::bytes(f.content);
  return out;
}

}  // namespace

PYBIND11_MODULE(_strata, m) {
  m.doc() = "strata's simulator core; use the strata package (docs/python.md), not this module.";
  py::register_exception<strata::InputError>(m, "InputError", PyExc_ValueError);
  m.def("run_report", &run_report, py::arg("config_path"), py::arg("config_label"),
        py::arg("workload"), py::arg("overrides"), py::arg("workload_cache_dir"),
        py::arg("inputs_dir"), py::arg("mappings_path") = "",
        "One simulation, as `strata run`; returns report.json's text. Raises InputError with "
        "the CLI's one-line message on bad input.");
  m.def(
      "command",
      [](const std::vector<std::string>& args) {
        py::gil_scoped_release no_gil;
        const std::lock_guard<std::mutex> lock(kernel_mutex());
        strata::use_fresh_simulation_context();
        return strata::dispatch_command(args);
      },
      py::arg("args"),
      "`strata <args>` in this process: its exit status; InputError on bad input.");
  m.def(
      "point_row",
      [](const std::string& base, const std::string& point_text, const std::string& workload,
         const std::string& cache_dir, const std::string& inputs_dir) {
        const strata::SweepPoint point = point_of(point_text);
        const nlohmann::json report =
            run_report_json(base, base, workload, point.overrides, cache_dir, inputs_dir);
        return strata::json_text(strata::sweep_row(point, workload, report));
      },
      py::arg("base"), py::arg("point"), py::arg("workload"), py::arg("cache_dir"),
      py::arg("inputs_dir"),
      "One sweep point run, as a `strata sweep` worker runs it: its row as JSON text.");
  m.def("plan_sweep", &plan_json, py::arg("spec_path"),
        "A sweep spec's plan (as strata sweep --plan-only validates it) as JSON text.");
  m.def(
      "sweep_error_row",
      [](const std::string& point, const std::string& workload, const std::string& error) {
        return strata::json_text(strata::sweep_error_row(point_of(point), workload, error));
      },
      py::arg("point"), py::arg("workload"), py::arg("error"),
      "The sweep row of a point that failed, as JSON text.");
  m.def(
      "sweep_csv",
      [](const std::string& rows, const std::vector<std::string>& axes) {
        return strata::sweep_csv(nlohmann::json::parse(rows).get<std::vector<nlohmann::json>>(),
                                 axes);
      },
      py::arg("rows"), py::arg("axes"), "results.csv's text from rows (a JSON array).");
  m.def("trace_tensors", &trace_tensors, py::arg("trace_path"),
        "A trace's tensors file, checked against the trace: {name: (dtype, shape, bytes)}.");
  m.def("sync_files", &sync_files, py::arg("config_path"), py::arg("overrides"),
        py::arg("duration_s"),
        "One `strata sync` run (duration_s 0: the config's): {output file name: bytes}.");
  m.def("builtin_config_dir", &strata::builtin_config_dir,
        "Where strata's example configs and tech tables are (docs/embedding.md).");
  m.def("default_workload_cache_dir", &strata::default_workload_cache_dir,
        "Where prepared workloads are cached, as `strata run` does.");
  m.def(
      "layer_columns", [] { return describe(strata::layer_columns()); },
      "(name, unit, description) of every per-layer report column, in order.");
  m.def(
      "totals_columns", [] { return describe(strata::totals_columns()); },
      "(name, unit, description) of every totals column, in order.");
}
