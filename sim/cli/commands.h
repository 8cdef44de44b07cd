#pragma once
// The strata command line: thin wrappers over the library. Exit codes: 0 success, 2 bad input
// (one-line message on stderr), 1 internal error.
#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

namespace strata {

int cli_main(int argc, char** argv);
// `strata <args>` in this process: the command's exit status, its errors on stderr.
int run_command_line(std::vector<std::string> args);
// The same, but errors are thrown (InputError for bad input) instead of printed.
int dispatch_command(std::vector<std::string> args);
int cmd_worker(const std::vector<std::string>& args);
int cmd_run(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);
int cmd_columns(const std::vector<std::string>& args);
int cmd_keys(const std::vector<std::string>& args);
int cmd_tech(const std::vector<std::string>& args);
int cmd_inspect(const std::vector<std::string>& args);

// `workload` with the --input-shape values as its ONNX suffix ("m.onnx:x=1x3x224x224"); throws
// InputError if there are shapes but the workload is not an ONNX model.
std::string with_input_shapes(const std::string& workload, const std::vector<std::string>& shapes);
int cmd_quantize(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_pareto(const std::vector<std::string>& args);
int cmd_map(const std::vector<std::string>& args);
int cmd_sync(const std::vector<std::string>& args);
int cmd_pipeline(const std::vector<std::string>& args);

// --duration-s when given (0 when not); throws InputError outside (0, 1e6].
double duration_option(const boost::program_options::variables_map& vm);
// Progress of a simulation in simulated seconds, every tenth of the run: on a terminal always
// (one line rewritten), in a log once the run has taken 5 s; nothing with --quiet.
std::function<void(double done_s, double total_s)> simulated_time_progress(
    const std::string& command, bool quiet);

// Runs scripts/<script> (Debian's python3-matplotlib) on an output directory to draw its PNGs; a
// failure there leaves the data files and says so on stderr, it does not fail the run.
void run_plot_script(const std::string& command, const std::string& script,
                     const std::string& out_dir);

// A command's --help: "usage: <usage>", the command's one-line summary, its options, `footer`.
// Usage lines bracket every optional part and name no machine path.
void print_command_help(const std::string& command, const std::string& usage,
                        const boost::program_options::options_description& opts,
                        const std::string& footer = "");

// Parses a command's options; a bad option is an InputError pointing at 'strata <command> --help'.
// `positional` (optional) names the option bare arguments fill, `positional_count` of them (-1:
// all).
boost::program_options::variables_map parse_options(
    const std::vector<std::string>& args, const boost::program_options::options_description& opts,
    const std::string& command, const std::string& positional = "", int positional_count = 1);

// Throws "command line: <option> is required (see 'strata <command> --help')" for the first of
// `options` not given. Options are named "--name", the positional one by `positional_what`.
void require_options(const boost::program_options::variables_map& vm,
                     const std::vector<std::string>& options, const std::string& command,
                     const std::string& positional = "", const std::string& positional_what = "");

}  // namespace strata
