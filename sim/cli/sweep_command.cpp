// strata sweep: a design-space sweep from a JSON spec (docs/sweeps.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress_line.h"
#include "sim/report/output_dir.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/sweep/worker_pool.h"
#include "workloads/functional/image_input.h"

namespace po = boost::program_options;

namespace strata {
namespace {

std::string duration(double s) {
  char b[32];
  if (s < 60) {
    std::snprintf(b, sizeof b, "%.0fs", s);
  } else if (s < 3600) {
    std::snprintf(b, sizeof b, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  } else {
    std::snprintf(b, sizeof b, "%dh%02dm", static_cast<int>(s) / 3600,
                  static_cast<int>(s) % 3600 / 60);
  }
  return b;
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
  po::options_description opts("strata sweep options");
  opts.add_options()("help,h", "this help")("spec", po::value<std::string>(), "sweep spec (.json)")(
      "out,o", po::value<std::string>(), "output directory (results.csv, results.jsonl)")(
      "jobs,j", po::value<int>()->default_value(0), "worker processes at a time (0: all cores)")(
      "resume", "complete a sweep in --out that was interrupted")(
      "shard", po::value<std::string>()->default_value("0/1"),
      "run slice i of N (i/N, 0-based) of the rows")(
      "plan-only", "validate the spec and count its points; run nothing, write nothing")(
      "process-per-run",
      "start one worker process per row (default: each worker runs row after row, each in a "
      "fresh simulation context; the results are the same bytes)")(
      "inputs", po::value<std::string>(),
      "every point runs on these inputs (sim.mode = functional in the base config: "
      "docs/functional.md)")("quiet,q", "no progress output");
  const po::variables_map vm = parse_options(args, opts, "sweep", "spec", 1);
  if (vm.count("help")) {
    print_command_help("sweep",
                       "strata sweep <spec.json> --out <dir> [--jobs <n>] [--resume] "
                       "[--shard <i>/<N>] [--inputs <dir>] [--process-per-run] [--quiet]\n"
                       "       strata sweep <spec.json> --plan-only",
                       opts, "\nspec format and outputs: docs/sweeps.md\n");
    return 0;
  }
  const bool plan_only = vm.count("plan-only") > 0;
  require_options(
      vm, plan_only ? std::vector<std::string>{"spec"} : std::vector<std::string>{"spec", "out"},
      "sweep", "spec", "the spec file");
  SweepOptions o;
  parse_shard(vm["shard"].as<std::string>(), &o.shard_index, &o.shard_count);
  if (!plan_only) o.out_dir = vm["out"].as<std::string>();
  o.jobs = vm["jobs"].as<int>();
  if (o.jobs < 0)
    throw InputError("command line: --jobs: must be 0 (all cores) or more, got " +
                     std::to_string(o.jobs));
  o.resume = vm.count("resume") > 0;
  o.process_per_run = vm.count("process-per-run") > 0;
  if (vm.count("inputs")) {
    o.inputs_dir = std::filesystem::absolute(vm["inputs"].as<std::string>()).lexically_normal();
    list_input_files(o.inputs_dir);  // a directory without inputs fails here, not in every row
  }
  o.program = self_executable();
  const SweepSpec spec = load_sweep_spec(vm["spec"].as<std::string>());
  double planned = 1;  // the product (or zip) of the axes
  for (const auto& a : spec.axes) {
    planned = spec.zip ? static_cast<double>(a.values.size())
                       : planned * static_cast<double>(a.values.size());
  }
  if (planned > 100000 && vm.count("quiet") == 0 && planned <= kMaxSweepPoints &&
      isatty(STDERR_FILENO)) {
    // ~20 us a point: say so before a large plan keeps the terminal quiet for seconds.
    std::cerr << "strata sweep: planning " << static_cast<int64_t>(planned) << " points...\n";
  }
  const SweepPlan plan = plan_sweep(spec);
  if (plan_only) {
    std::cout << spec.file << ": " << plan.points.size() << " points x " << spec.workloads.size()
              << " workloads = " << plan.points.size() * spec.workloads.size() << " rows ("
              << plan.dropped << " points dropped by constraints)\n";
    return 0;
  }
  prepare_output_dir(o.out_dir);  // an unusable --out is the one error line, before any progress
  const bool quiet = vm.count("quiet") > 0;
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  auto last_line = start;
  size_t first_done = SIZE_MAX;
  if (!quiet) {
    std::cerr << "strata sweep: " << plan.points.size() << " points x " << spec.workloads.size()
              << " workloads (" << plan.dropped << " points dropped by constraints), shard "
              << o.shard_index << "/" << o.shard_count << "\n";
  }
  ProgressLine preparing_line(quiet);
  o.preparing = [&](size_t n, const std::string& what) {
    preparing_line.show("strata sweep: preparing workload " + std::to_string(n) + " (" + what +
                        ")");
  };
  o.progress = [&](size_t done, size_t total, size_t failed) {
    preparing_line.clear();
    if (quiet) return;
    const auto now = std::chrono::steady_clock::now();
    if (first_done == SIZE_MAX) first_done = done;  // rows resumed do not count for the rate
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const double rate = elapsed > 0 ? static_cast<double>(done - first_done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    char line[200];
    if (tty) {
      const int width = 30;
      const int filled = total ? static_cast<int>(width * done / total) : width;
      std::snprintf(line, sizeof line, "\r[%s%s] %zu/%zu rows, %.1f/s, ETA %s, %zu failed   ",
                    std::string(static_cast<size_t>(filled), '#').c_str(),
                    std::string(static_cast<size_t>(width - filled), '.').c_str(), done, total,
                    rate, duration(eta).c_str(), failed);
      std::cerr << line << (done == total ? "\n" : "") << std::flush;
    } else if (done == total || std::chrono::duration<double>(now - last_line).count() >= 10) {
      last_line = now;
      std::snprintf(line, sizeof line, "strata sweep: %zu/%zu rows, %.1f/s, ETA %s, %zu failed\n",
                    done, total, rate, duration(eta).c_str(), failed);
      std::cerr << line;
    }
  };
  const SweepSummary s = run_sweep(spec, plan, o);
  if (!quiet) {
    std::cerr << "strata sweep: " << s.rows << " rows (" << s.resumed << " from before, " << s.ran
              << " run now, " << s.failed << " failed) -> " << o.out_dir << "/results.csv\n";
  }
  return 0;
}

}  // namespace strata
