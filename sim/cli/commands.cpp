#include "sim/cli/commands.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "common/printable.h"
#include "common/suggest.h"
#include "sim/report/output_dir.h"
#include "strata_git_commit.h"
#include "workloads/onnx/onnx_import.h"

#ifndef STRATA_SOURCE_DIR
#define STRATA_SOURCE_DIR "."
#endif

namespace po = boost::program_options;

namespace strata {
namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*handler)(const std::vector<std::string>&);
};

// Every command, in the order 'strata --help' lists them.
const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "simulate a workload on an accelerator config and report cycles, traffic, energy",
       cmd_run},
      {"quantize", "quantize a zoo model (ANT, SQuant, OliVe, DBB, Block-Skim) into a trace",
       cmd_quantize},
      {"compare", "run configs against a baseline on workloads: speedup and energy ratios",
       cmd_compare},
      {"sweep", "run a design-space sweep from a JSON spec (parallel, resumable, shardable)",
       cmd_sweep},
      {"merge", "join the output directories of a sharded sweep, checking none is missing",
       cmd_merge},
      {"pareto", "the Pareto-optimal points of a sweep's results.csv on two metrics", cmd_pareto},
      {"map", "each layer's best mapping on the scratchpad hierarchy, beside strata's own",
       cmd_map},
      {"sync", "time-synchronization unit, sensors and camera-to-inference pipeline", cmd_sync},
      {"pipeline", "sensor-to-actuation task graph on a multi-engine SoC with shared DRAM",
       cmd_pipeline},
      {"inspect", "show how an ONNX model maps onto array layers and vector operations",
       cmd_inspect},
      {"list", "list the zoo models and the example configs", cmd_list},
      {"keys", "print every config key with unit, default, range and meaning (markdown)", cmd_keys},
      {"columns", "print every report column with unit and meaning, in output order (markdown)",
       cmd_columns},
      {"tech", "print a technology table's entries with their sources (markdown)", cmd_tech},
  };
  return table;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.push_back(c.name);
  return names;
}

std::string main_usage() {
  std::string text =
      "strata: simulator of quantized, structured-sparse DNN accelerators (SystemC/TLM-2.0)\n\n"
      "usage: strata <command> [options]\n\ncommands:\n";
  for (const auto& c : commands()) {
    const std::string name = c.name;
    text += "  " + name + std::string(10 - name.size(), ' ') + c.summary + "\n";
  }
  text +=
      "\noptions:\n"
      "  -h, --help     this help; 'strata <command> --help' for a command's options\n"
      "  --version      print the version and the git commit strata was built from\n\n"
      "examples:\n"
      "  strata run --config configs/default.json --workload resnet18 --out out/resnet18\n"
      "  strata quantize --model faceres --scheme ant --bits 4 --out out/faceres.json\n";
  return text;
}

std::vector<std::string> long_option_names(const po::options_description& opts) {
  std::vector<std::string> names;
  for (const auto& o : opts.options()) names.push_back(o->long_name());
  return names;
}

}  // namespace

double duration_option(const po::variables_map& vm) {
  if (!vm.count("duration-s")) return 0;
  const double d = vm["duration-s"].as<double>();
  if (!(d > 0 && d <= 1e6)) {
    throw InputError("command line: --duration-s must be a number in (0, 1000000], got " +
                     std::to_string(d));
  }
  return d;
}

std::function<void(double, double)> simulated_time_progress(const std::string& command,
                                                            bool quiet) {
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  return [command, quiet, tty, start](double done, double total) {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (quiet || (!tty && wall < 5)) return;
    std::cerr << (tty ? "\r" : "") << "strata " << command << ": " << done << " of " << total
              << " s simulated (" << static_cast<int64_t>(wall) << " s wall)"
              << (tty ? "   " : "\n") << std::flush;
    if (tty && done >= total) std::cerr << "\n";
  };
}

void run_plot_script(const std::string& command, const std::string& script,
                     const std::string& out_dir) {
  const std::string path = std::string(STRATA_SOURCE_DIR) + "/scripts/" + script;
  if (access(path.c_str(), R_OK) != 0 || access("/usr/bin/python3", X_OK) != 0) {
    std::cerr << "strata " << command << ": plots skipped (needs /usr/bin/python3 and " << path
              << ")\n";
    return;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/usr/bin/python3", "python3", path.c_str(), out_dir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "strata " << command << ": plots not made (scripts/" << script
              << " failed; is python3-matplotlib installed?)\n";
  }
}

void print_command_help(const std::string& command, const std::string& usage,
                        const po::options_description& opts, const std::string& footer) {
  std::string summary;
  for (const auto& c : commands()) {
    if (command == c.name) summary = c.summary;
  }
  std::cout << "usage: " << usage << "\n\n" << summary << "\n\n" << opts << footer;
}

po::variables_map parse_options(const std::vector<std::string>& args,
                                const po::options_description& opts, const std::string& command,
                                const std::string& positional, int positional_count) {
  po::variables_map vm;
  po::positional_options_description bare;
  if (!positional.empty()) bare.add(positional.c_str(), positional_count);
  try {
    po::store(po::command_line_parser(args).options(opts).positional(bare).run(), vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    std::string name = e.get_option_name();
    const std::string bare = name.substr(name.find_first_not_of('-'));
    throw InputError("command line: unknown option '" + name + "' for 'strata " + command + "'" +
                     did_you_mean(bare, long_option_names(opts), "--") + " (see 'strata " +
                     command + " --help')");
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

// The --input-shape values of a command, as the workload suffix load_workload reads
// ("model.onnx:x=1x3x224x224,y=...").
std::string with_input_shapes(const std::string& workload, const std::vector<std::string>& shapes) {
  if (shapes.empty()) return workload;
  if (workload.size() < 5 || workload.substr(workload.size() - 5) != ".onnx") {
    throw InputError("--input-shape: only an ONNX workload (.onnx) takes input shapes, got '" +
                     workload + "'");
  }
  std::string spec = workload;
  for (size_t i = 0; i < shapes.size(); ++i) {
    parse_input_shape(shapes[i]);  // one-line error naming --input-shape
    spec += (i ? "," : ":") + shapes[i];
  }
  return spec;
}

int cli_main(int argc, char** argv) {
  return run_command_line(std::vector<std::string>(argv + 1, argv + argc));
}

int run_command_line(std::vector<std::string> args) {
  forget_created_output_dirs();
  try {
    return dispatch_command(std::move(args));
  } catch (const InputError& e) {
    // One line whatever the message quotes (names, paths and values from the user's files may
    // hold newlines, terminal escapes or bytes that are not UTF-8).
    remove_created_output_dirs();
    std::cerr << "strata: error: " << printable(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    remove_created_output_dirs();
    std::cerr << "strata: internal error: " << printable(e.what()) << "\n";
    return 1;
  }
}

int dispatch_command(std::vector<std::string> args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::cout << main_usage();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "strata " << STRATA_VERSION << " (commit " << STRATA_GIT_COMMIT << ")\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "worker") return cmd_worker(args);  // internal: sweep and compare start it
  for (const auto& c : commands()) {
    if (command == c.name) return c.handler(args);
  }
  std::string names;
  for (const auto& c : commands()) names += (names.empty() ? "" : ", ") + std::string(c.name);
  throw InputError("command line: unknown command '" + command + "'" +
                   did_you_mean(command, command_names()) + " (commands: " + names +
                   "; see 'strata --help')");
}

}  // namespace strata
