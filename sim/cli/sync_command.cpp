// strata sync: the time-synchronization unit, its sensors and the camera pipeline
// (docs/timesync.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/report/output_dir.h"
#include "sim/sync/sync_report.h"

namespace po = boost::program_options;

namespace strata {
int cmd_sync(const std::vector<std::string>& args) {
  po::options_description opts("strata sync options");
  opts.add_options()("help,h", "this help")("config,c", po::value<std::string>(),
                                            "time-sync config (.json), e.g. configs/timesync/")(
      "out,o", po::value<std::string>(), "output directory")(
      "duration-s", po::value<double>(), "simulated seconds (overrides timesync.duration_s)")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "override a config key: --set gnss.pps_jitter_ns=100 (repeatable)")(
      "no-plots", "skip the PNG plots")("quiet,q", "no progress output");
  const po::variables_map vm = parse_options(args, opts, "sync", "config", 1);
  if (vm.count("help")) {
    print_command_help(
        "sync",
        "strata sync <config.json> --out <dir> [--duration-s <s>] "
        "[--set <key>=<value>]... [--no-plots] [--quiet]",
        opts,
        "\nwrites sync_report.json, time_error.csv, skew_histogram.csv, waveform.vcd, "
        "frames.csv (pipeline), config.resolved.json and PNG plots\n"
        "config keys ('strata keys --sync') and outputs: docs/timesync.md\n");
    return 0;
  }
  require_options(vm, {"config", "out"}, "sync", "config", "the config file");
  SyncRequest request;
  request.config_path = vm["config"].as<std::string>();
  if (vm.count("set")) request.overrides = vm["set"].as<std::vector<std::string>>();
  request.duration_s = duration_option(vm);
  const std::string out_dir = vm["out"].as<std::string>();
  const PreparedSync prepared = prepare_sync(request);
  prepare_output_dir(out_dir);
  const auto progress = simulated_time_progress("sync", vm.count("quiet") > 0);
  const SyncResult result = run_sync(prepared, progress);
  const auto files = sync_outputs(prepared, result);
  write_outputs_atomically(out_dir, files);
  // Outputs of an earlier run in another mode (no counter, no pipeline) would be stale: remove.
  for (const char* name :
       {"time_error.csv", "waveform.vcd", "frames.csv", "time_error.png", "skew.png"}) {
    bool written = false;
    for (const auto& f : files) written |= f.name == name;
    if (!written) std::remove((out_dir + "/" + name).c_str());
  }
  std::cout << sync_summary(nlohmann::json::parse(files[0].content)) << std::flush;
  if (!vm.count("no-plots"))
    run_plot_script("sync", "plot_sync.py", out_dir);  // prints "plot written: <path>" per plot
  std::cout << "outputs written to " << out_dir << "/\n";
  return 0;
}

}  // namespace strata
