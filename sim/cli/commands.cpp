#include "sim/cli/commands.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "sim/config/param_specs.h"
#include "sim/report/output_dir.h"
#include "sim/report/report.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sync/sync_params.h"
#include "workloads/json_file.h"
#include "workloads/zoo.h"

namespace po = boost::program_options;

namespace strata {
namespace {

constexpr const char* kUsage =
    "strata: simulator of quantized, structured-sparse DNN accelerators (SystemC/TLM-2.0)\n\n"
    "usage: strata <command> [options]\n\n"
    "commands:\n"
    "  run       simulate a workload on an accelerator config and report cycles, traffic, energy\n"
    "  quantize  quantize a zoo model (ANT, SQuant, OliVe, DBB, Block-Skim) into a trace for "
    "'run'\n"
    "  list      list the zoo models and the example configs\n"
    "  keys      print every config key with unit, default, range and meaning (markdown)\n"
    "  compare   run configs against a baseline on workloads: speedup and energy ratios\n"
    "  sweep     run a design-space sweep from a JSON spec (parallel, resumable, shardable)\n"
    "  merge     join the output directories of a sharded sweep, checking none is missing\n"
    "  pareto    the Pareto-optimal points of a sweep's results.csv on two metrics\n"
    "  sync      time-synchronization unit, sensors and camera-to-inference pipeline\n"
    "  tech      print a technology table's entries with their sources (markdown)\n\n"
    "options:\n"
    "  -h, --help     this help; 'strata <command> --help' for a command's options\n"
    "  --version      print the version\n\n"
    "examples:\n"
    "  strata run --config configs/default.json --workload resnet18 --out out/resnet18\n"
    "  strata quantize --model mobilenet_v1 --scheme ant --bits 4 --out out/mnv1.json\n";

std::string default_config() { return builtin_config_dir() + "/default.json"; }

void list_configs(const std::string& subdir);

int cmd_list() {
  std::cout << "zoo models (--workload NAME[:option=value,...]):\n";
  for (const auto& m : zoo_models()) {
    std::string opts;
    for (const auto& o : m.options) opts += (opts.empty() ? "" : ", ") + o;
    std::cout << "  " << m.name << std::string(m.name.size() < 14 ? 14 - m.name.size() : 1, ' ')
              << m.description << "  [options: " << opts << "]\n";
  }
  std::cout << "\nexample configs (strata run --config):\n";
  list_configs("");
  std::cout << "\ntime-sync configs (strata sync):\n";
  list_configs("timesync/");
  return 0;
}

// The example configs in configs/<subdir> with their descriptions.
void list_configs(const std::string& subdir) {
  const std::string dir = builtin_config_dir() + "/" + subdir;
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".json") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  size_t width = 0;
  for (const auto& n : names) width = std::max(width, ("configs/" + subdir + n).size() + 2);
  for (const auto& n : names) {
    std::string description;
    try {
      const auto doc = load_json_file(dir + n);
      if (doc.contains("description") && doc["description"].is_string())
        description = doc["description"];
    } catch (const InputError&) {
      description = "(unreadable)";
    }
    const std::string path = "configs/" + subdir + n;
    std::cout << "  " << path << std::string(width - path.size(), ' ') << description << "\n";
  }
}

int cmd_tech(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    if (args.size() == 1) {
      std::cout << "usage: strata tech <table.json>: every entry of a technology table (after "
                   "scaling) with its source, as a markdown table\n";
      return 0;
    }
    throw InputError("command line: expected 'strata tech <table.json>'");
  }
  const TechTable t = load_tech_table(args[0]);
  std::cout << "| entry | value | source |\n|---|---|---|\n";
  for (const auto& row : tech_table_entries(t)) {
    std::cout << "| `" << row.key << "` | " << row.value << " | " << row.source << " |\n";
  }
  return 0;
}

int cmd_keys(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] != "--sync") {
    throw InputError("command line: unknown option '" + args[0] +
                     "' for 'strata keys'; expected nothing (accelerator keys) or --sync "
                     "(time-sync keys)");
  }
  const bool sync = !args.empty();
  std::cout << "| key | unit | default | allowed | meaning |\n|---|---|---|---|---|\n";
  for (const auto& s : sync ? sync_param_specs() : param_specs()) {
    std::string allowed;
    switch (s.kind) {
      case ParamKind::kInt:
      case ParamKind::kFloat: {
        nlohmann::json lo = s.kind == ParamKind::kInt ? nlohmann::json(static_cast<int64_t>(s.min))
                                                      : nlohmann::json(s.min);
        nlohmann::json hi = s.kind == ParamKind::kInt ? nlohmann::json(static_cast<int64_t>(s.max))
                                                      : nlohmann::json(s.max);
        allowed = std::string(s.min_exclusive ? "(" : "[") + lo.dump() + ", " + hi.dump() + "]";
        break;
      }
      case ParamKind::kBool:
        allowed = "true, false";
        break;
      case ParamKind::kString:
        allowed = "string";
        break;
      case ParamKind::kPath:
        allowed = "file path";
        break;
      case ParamKind::kChoice:
        for (const auto& c : s.choices) allowed += (allowed.empty() ? "" : ", ") + ("`" + c + "`");
        break;
    }
    std::cout << "| `" << s.path << "` | " << (s.unit.empty() ? "-" : s.unit) << " | `"
              << s.default_value.dump() << "` | " << allowed << " | " << s.description << " |\n";
  }
  return 0;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("strata run options");
  opts.add_options()("help,h", "this help")(
      "config,c", po::value<std::string>()->default_value(default_config()),
      "accelerator config (JSON)")(
      "workload,w", po::value<std::string>()->default_value("resnet18"),
      "zoo name (see 'strata list'), native layer list (.json) or SCALE-Sim topology (.csv)")(
      "out,o", po::value<std::string>(),
      "output directory for report.json, layers.csv, config.resolved.json (created if missing)")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "override a config key, repeatable: --set array.rows=64 --set array.dataflow=ws")(
      "quiet,q", "print nothing on success (outputs still written)")(
      "cache-dir", po::value<std::string>(),
      "where workloads prepared by a config's workload.* keys are cached (default: "
      "$STRATA_CACHE_DIR, else ~/.cache/strata/workloads)")(
      "no-cache", "prepare the workload afresh and cache nothing");
  const po::variables_map vm = parse_options(args, opts, "run");
  if (vm.count("help")) {
    std::cout << "usage: strata run --config <file.json> --workload <zoo name | trace.json | "
                 "topology.csv> "
                 "--out <dir> [--set <key.path>=<value>]...\n\n"
              << opts << "\nconfig keys: docs/config.md; report fields: docs/reports.md\n";
    return 0;
  }
  RunRequest request;
  request.config_path = vm["config"].as<std::string>();
  // Reports never carry machine paths: the built-in default is named relative to the project.
  if (vm["config"].defaulted()) request.config_label = "configs/default.json";
  request.workload = vm["workload"].as<std::string>();
  if (vm.count("set")) request.overrides = vm["set"].as<std::vector<std::string>>();
  if (!vm.count("no-cache")) {
    request.workload_cache_dir =
        vm.count("cache-dir") ? vm["cache-dir"].as<std::string>() : default_workload_cache_dir();
  }
  const PreparedRun prepared = prepare_run(request);
  std::string out_dir;
  if (vm.count("out")) {
    out_dir = vm["out"].as<std::string>();
    prepare_output_dir(out_dir);
  }
  const bool quiet = vm.count("quiet") > 0;
  // Progress on a terminal only: reports and piped output stay clean.
  const bool show_progress = !quiet && isatty(STDERR_FILENO);
  const RunResult result = run_simulation(prepared, [&](size_t done, size_t total) {
    if (!show_progress) return;
    std::cerr << "\r[" << done << "/" << total << " layers] " << std::flush;
    if (done == total) std::cerr << "\r" << std::string(32, ' ') << "\r" << std::flush;
  });
  const nlohmann::json report = report_json(prepared, result);
  if (!out_dir.empty()) {
    write_outputs_atomically(out_dir,
                             {{"report.json", report.dump(2) + "\n"},
                              {"layers.csv", layers_csv(report)},
                              {"config.resolved.json", prepared.config.values.dump(2) + "\n"}});
  }
  if (!quiet) std::cout << report_table(report);
  if (!quiet && !out_dir.empty()) std::cout << "outputs written to " << out_dir << "/\n";
  return 0;
}

}  // namespace

po::variables_map parse_options(const std::vector<std::string>& args,
                                const po::options_description& opts, const std::string& command,
                                const std::string& positional, int positional_count) {
  po::variables_map vm;
  po::positional_options_description bare;
  if (!positional.empty()) bare.add(positional.c_str(), positional_count);
  try {
    po::store(po::command_line_parser(args).options(opts).positional(bare).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(std::string("command line: ") + e.what() + " (see 'strata " + command +
                     " --help')");
  }
  return vm;
}

void require_options(const po::variables_map& vm, const std::vector<std::string>& options,
                     const std::string& command, const std::string& positional,
                     const std::string& positional_what) {
  for (const auto& o : options) {
    if (vm.count(o)) continue;
    throw InputError("command line: " + (o == positional ? positional_what : "--" + o) +
                     " is required (see 'strata " + command + " --help')");
  }
}

int cli_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
      std::cout << kUsage;
      return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
      std::cout << "strata " << STRATA_VERSION << "\n";
      return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "list") return cmd_list();
    if (command == "keys") return cmd_keys(args);
    if (command == "tech") return cmd_tech(args);
    if (command == "compare") return cmd_compare(args);
    if (command == "sweep") return cmd_sweep(args);
    if (command == "merge") return cmd_merge(args);
    if (command == "pareto") return cmd_pareto(args);
    if (command == "sync") return cmd_sync(args);
    if (command == "quantize") return cmd_quantize(args);
    if (command == "run") return cmd_run(args);
    throw InputError(
        "command line: unknown command '" + command +
        "'; expected run, quantize, compare, sweep, merge, pareto, sync, list, keys or tech (see "
        "'strata --help')");
  } catch (const InputError& e) {
    std::cerr << "strata: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "strata: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace strata
