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
#include "sim/config/param_specs.h"
#include "sim/report/columns.h"
#include "sim/report/report.h"
#include "sim/run/sim_context.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"

// libsystemc refers to the program's sc_main; a Python process has none and never calls it.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char**) { return 0; }

namespace py = pybind11;

namespace {

std::mutex& kernel_mutex() {
  static std::mutex m;
  return m;
}

std::string run_report(const std::string& config_path, const std::string& config_label,
                       const std::string& workload, const std::vector<std::string>& overrides,
                       const std::string& workload_cache_dir, const std::string& inputs_dir) {
  strata::RunRequest request;
  request.config_path = config_path;
  request.config_label = config_label;
  request.workload = workload;
  request.overrides = overrides;
  request.workload_cache_dir = workload_cache_dir;
  request.inputs_dir = inputs_dir;
  py::gil_scoped_release no_gil;
  const std::lock_guard<std::mutex> lock(kernel_mutex());
  strata::use_fresh_simulation_context();
  const strata::PreparedRun prepared = strata::prepare_run(request);
  const strata::RunResult result = strata::run_simulation(prepared, nullptr);
  return strata::report_json(prepared, result).dump();
}

template <typename Columns>
std::vector<std::tuple<std::string, std::string, std::string>> describe(const Columns& columns) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& c : columns) out.emplace_back(c.name, c.unit, c.description);
  return out;
}

}  // namespace

PYBIND11_MODULE(_strata, m) {
  m.doc() = "strata's simulator core; use the strata package (docs/python.md), not this module.";
  py::register_exception<strata::InputError>(m, "InputError", PyExc_ValueError);
  m.def("run_report", &run_report, py::arg("config_path"), py::arg("config_label"),
        py::arg("workload"), py::arg("overrides"), py::arg("workload_cache_dir"),
        py::arg("inputs_dir"),
        "One simulation, as `strata run`; returns report.json's text. Raises InputError with "
        "the CLI's one-line message on bad input.");
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
