// strata pipeline: a sensor-to-actuation task graph on a multi-engine SoC (docs/pipeline.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/pipeline/pipeline_report.h"
#include "sim/report/output_dir.h"
#include "sim/run/workload_cache.h"

namespace po = boost::program_options;

namespace strata {

int cmd_pipeline(const std::vector<std::string>& args) {
  po::options_description opts("strata pipeline options");
  opts.add_options()("help,h", "this help")("config,c", po::value<std::string>(),
                                            "pipeline config (.json), e.g. configs/pipelines/")(
      "out,o", po::value<std::string>(), "output directory")(
      "duration-s", po::value<double>(), "simulated seconds (overrides timesync.duration_s)")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "override a scalar config key: --set host.cores=2 (repeatable)")(
      "no-plots", "skip the Gantt PNG")("quiet,q", "no progress output");
  const po::variables_map vm = parse_options(args, opts, "pipeline", "config", 1);
  if (vm.count("help")) {
    print_command_help("pipeline",
                       "strata pipeline <config.json> --out <dir> [--duration-s <s>] "
                       "[--set <key>=<value>]... [--no-plots] [--quiet]",
                       opts,
                       "\nwrites pipeline_report.json, frames.csv (one row per job), trace.json "
                       "(Chrome trace events: open in Perfetto or chrome://tracing), "
                       "config.resolved.json and gantt.png\n"
                       "config and outputs: docs/pipeline.md\n");
    return 0;
  }
  require_options(vm, {"config", "out"}, "pipeline", "config", "the config file");
  PipelineRequest request;
  request.config_path = vm["config"].as<std::string>();
  if (vm.count("set")) request.overrides = vm["set"].as<std::vector<std::string>>();
  request.duration_s = duration_option(vm);
  request.workload_cache_dir = default_workload_cache_dir();
  const std::string out_dir = vm["out"].as<std::string>();
  const PreparedPipeline prepared = prepare_pipeline(request);
  prepare_output_dir(out_dir);
  const auto progress = simulated_time_progress("pipeline", vm.count("quiet") > 0);
  const PipelineResult result = run_pipeline(prepared, progress);
  const auto files = pipeline_outputs(prepared, result);
  write_outputs_atomically(out_dir, files);
  std::remove((out_dir + "/gantt.png").c_str());  // an earlier run's would be stale
  std::cout << pipeline_summary(nlohmann::json::parse(files[0].content)) << std::flush;
  if (!vm.count("no-plots")) run_plot_script("pipeline", "plot_pipeline.py", out_dir);
  std::cout << "outputs written to " << out_dir << "/\n";
  return 0;
}

}  // namespace strata
