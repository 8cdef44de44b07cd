// strata run: one workload on one accelerator config, the report printed and (with --out) written.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress_line.h"
#include "sim/report/json_text.h"
#include "sim/report/output_dir.h"
#include "sim/report/report.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sweep/sweep_runner.h"
#include "workloads/json_file.h"

namespace po = boost::program_options;

namespace strata {
namespace {

// The built-in default config, named relative to the project in help and reports (never a
// machine path).
constexpr const char* kDefaultConfigLabel = "configs/default.json";

std::string default_config() { return builtin_config_dir() + "/default.json"; }

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("strata run options");
  opts.add_options()("help,h", "this help")(
      "config,c", po::value<std::string>()->default_value(default_config(), kDefaultConfigLabel),
      "accelerator config (JSON)")(
      "workload,w", po::value<std::string>()->default_value("resnet18"),
      "zoo name (see 'strata list'), native layer list (.json) or SCALE-Sim topology (.csv)")(
      "out,o", po::value<std::string>(),
      "output directory for report.json, layers.csv, vector_layers.csv, config.resolved.json "
      "(created if missing)")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "override a config key, repeatable: --set array.rows=64 --set array.dataflow=ws")(
      "quiet,q",
      "no report on stdout (with --out, the files are still written; without it, one line on "
      "stderr says the run finished)")(
      "cache-dir", po::value<std::string>(),
      "where workloads prepared by a config's workload.* keys are cached (default: "
      "$STRATA_CACHE_DIR, else ~/.cache/strata/workloads)")(
      "no-cache", "prepare the workload afresh and cache nothing")(
      "input-shape", po::value<std::vector<std::string>>()->composing(),
      "an ONNX workload's dynamic input: NAME=DIMS, e.g. x=1x3x224x224 (repeatable)")(
      "mappings", po::value<std::string>(),
      "explicit mappings pinned on layers by name: {\"mappings\": {\"<layer>\": \"L3[WIO] "
      "... - L0[W] ...\"}} (memory.hierarchy = scratchpad; docs/mapping.md)")(
      "inputs", po::value<std::string>(),
      "functional mode: a directory of images (.png, .jpg, ...) or .npy tensors to run the "
      "network on (with --set sim.mode=functional; docs/functional.md)");
  // Internal: a sweep's worker job (sim/sweep/sweep_runner.cpp) writes only the point's row.
  po::options_description hidden;
  hidden.add_options()("sweep-point", po::value<std::string>());
  po::options_description all;
  all.add(opts).add(hidden);
  const po::variables_map vm = parse_options(args, all, "run");
  if (vm.count("help")) {
    print_command_help("run",
                       "strata run [--config <file.json>] [--workload <zoo name | trace.json | "
                       "topology.csv | model.onnx>] [--out <dir>] [--set <key>=<value>]... "
                       "[--input-shape <name>=<dims>]... [--inputs <dir>] [--mappings <file.json>]",
                       opts, "\nconfig keys: docs/config.md; report fields: docs/reports.md\n");
    return 0;
  }
  std::optional<SweepPoint> sweep_point;
  if (vm.count("sweep-point")) {
    if (!vm.count("out")) throw InputError("command line: --sweep-point needs --out");
    sweep_point = point_from_json(
        parse_json_text(vm["sweep-point"].as<std::string>(), "--sweep-point"), "--sweep-point");
  }
  RunRequest request;
  request.config_path = vm["config"].as<std::string>();
  // Reports never carry machine paths: the built-in default is named relative to the project.
  if (vm["config"].defaulted()) request.config_label = kDefaultConfigLabel;
  request.workload =
      with_input_shapes(vm["workload"].as<std::string>(),
                        vm.count("input-shape") ? vm["input-shape"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{});
  if (vm.count("set")) request.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("inputs")) request.inputs_dir = vm["inputs"].as<std::string>();
  if (vm.count("mappings")) request.mappings_path = vm["mappings"].as<std::string>();
  if (!vm.count("no-cache")) {
    request.workload_cache_dir =
        vm.count("cache-dir") ? vm["cache-dir"].as<std::string>() : default_workload_cache_dir();
  }
  const bool quiet = vm.count("quiet") > 0;
  // Progress on a terminal only: reports and piped output stay clean.
  ProgressLine progress(quiet);
  // A config with workload.* keys runs the front end first (seconds, unless cached).
  progress.show("strata run: preparing " + request.workload + "...");
  request.inputs_progress = [&](size_t done, size_t total) {
    progress.show("strata run: " + request.workload + " on its inputs [" + std::to_string(done) +
                  "/" + std::to_string(total) + " passes]");
  };
  const PreparedRun prepared = prepare_run(request);
  std::string out_dir;
  if (vm.count("out")) {
    out_dir = vm["out"].as<std::string>();
    prepare_output_dir(out_dir);
  }
  const RunResult result = run_simulation(prepared, [&](size_t done, size_t total) {
    progress.show("[" + std::to_string(done) + "/" + std::to_string(total) + " layers]");
  });
  progress.clear();
  const nlohmann::json report = report_json(prepared, result);
  if (sweep_point) {
    write_outputs_atomically(
        out_dir, {{"row.json",
                   json_text(sweep_row(*sweep_point, vm["workload"].as<std::string>(), report))}});
    return 0;
  }
  if (!out_dir.empty()) {
    write_outputs_atomically(
        out_dir, {{"report.json", json_text(report, 2) + "\n"},
                  {"layers.csv", layers_csv(report)},
                  {"vector_layers.csv", vector_layers_csv(report)},
                  {"config.resolved.json", json_text(prepared.config.values, 2) + "\n"}});
  }
  if (quiet && out_dir.empty()) {
    // Nothing printed and nothing written: say so, or a finished run looks like one that did not
    // start.
    std::cerr << "strata run: finished (" << report["totals"]["cycles"].get<int64_t>()
              << " cycles); -q without --out prints and writes nothing: add --out <dir> to keep "
                 "the report\n";
  }
  if (!quiet) std::cout << report_table(report);
  if (!quiet && !out_dir.empty()) std::cout << "outputs written to " << out_dir << "/\n";
  if (!quiet && out_dir.empty()) {
    std::cout << "no files written (--out <dir> writes report.json, layers.csv, "
                 "vector_layers.csv and config.resolved.json)\n";
  }
  return 0;
}

}  // namespace strata
