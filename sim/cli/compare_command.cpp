// strata compare: runs configs against a baseline on a set of workloads and prints the ratios a
// paper reports (speedup, energy reduction) per workload with their geometric mean. Every
// (config, workload) runs in its own `strata run` process (SystemC elaborates once per process),
// several at a time. With --out, the comparison's rows (compare.csv, from the one column list
// below) and every run's own outputs are kept.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress_line.h"
#include "sim/config/config_tree.h"
#include "sim/report/columns.h"
#include "sim/report/compare_columns.h"
#include "sim/report/csv.h"
#include "sim/report/output_dir.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sweep/worker_pool.h"
#include "workloads/json_file.h"
#include "workloads/text_file.h"

namespace po = boost::program_options;

namespace strata {
namespace {

using J = nlohmann::json;

struct Job {
  std::string config, workload, out_dir;
  J report;
};

std::vector<std::string> split_list(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

bool is_onnx_file(const std::string& w) {
  return w.size() > 5 && w.compare(w.size() - 5, 5, ".onnx") == 0;
}

std::string fixed(double x, int digits = 2) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", digits, x);
  return b;
}

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// A file name for a workload spec ("models/x.onnx:x=1x3x8x8" -> "x.onnx_x_1x3x8x8").
std::string file_name_of(const std::string& workload) {
  const size_t colon = workload.find(':');
  const std::string path = workload.substr(0, colon);
  std::string s = std::filesystem::path(path).filename().string() +
                  (colon == std::string::npos ? "" : workload.substr(colon));
  for (auto& c : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    if (!ok) c = '_';
  }
  return s.empty() || s == "." || s == ".." ? "workload" : s;
}

// Distinct names for a list (a suffix _2, _3, ... on repeats).
std::vector<std::string> distinct(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  std::map<std::string, int> seen;
  for (const auto& n : names) {
    const int k = ++seen[n];
    out.push_back(k == 1 ? n : n + "_" + std::to_string(k));
  }
  return out;
}

std::string cell(const J& v, int digits = 2) {
  return v.is_number() ? fixed(v.get<double>(), digits) : std::string("-");
}

po::options_description compare_options() {
  po::options_description opts("strata compare options");
  opts.add_options()("help,h", "this help")("baseline,b", po::value<std::string>(),
                                            "baseline accelerator config")(
      "config,c", po::value<std::vector<std::string>>()->composing(),
      "config to compare, repeatable")(
      "workload,w", po::value<std::vector<std::string>>()->composing(),
      "zoo name (strata list), trace (.json), topology (.csv) or ONNX model (.onnx); repeatable "
      "or comma-separated (an ONNX model's input shapes go in --input-shape)")(
      "input-shape", po::value<std::vector<std::string>>()->composing(),
      "the ONNX workloads' dynamic input: NAME=DIMS, e.g. x=1x3x640x640 (repeatable; applied to "
      "every .onnx workload)")("set,s", po::value<std::vector<std::string>>()->composing(),
                               "key.path=value applied to every run, repeatable")(
      "out,o", po::value<std::string>(),
      "keep the comparison: <dir>/compare.csv (one row per design and workload) and each run's "
      "report.json, layers.csv, vector_layers.csv and config.resolved.json in "
      "<dir>/<design>/<workload>/")("jobs,j", po::value<int>()->default_value(0),
                                    "runs at a time (0: all cores)")(
      "quiet,q", "no progress line on the terminal")(
      "cache-dir", po::value<std::string>(),
      "where workloads prepared by the configs' workload.* keys are cached (default: "
      "$STRATA_CACHE_DIR, else ~/.cache/strata/workloads)")(
      "no-cache", "prepare the workloads afresh, in a scratch cache removed afterwards")(
      "mappings", po::value<std::string>(),
      "explicit mappings pinned on layers by name for every run (memory.hierarchy = scratchpad "
      "configs; every workload must have the layers it names; docs/mapping.md)")(
      "inputs", po::value<std::string>(),
      "run every design in functional mode on this directory of images or .npy tensors and "
      "add how closely each design's quantized path follows the float network (agreement with "
      "float, not accuracy against labels) and the sparsity measured on the inputs "
      "(docs/functional.md)");
  return opts;
}

// What the command line asks for.
struct ComparePlan {
  std::string baseline;
  std::vector<std::string> configs;        // the baseline first, then every --config
  std::vector<std::string> workloads;      // as given
  std::vector<std::string> run_workloads;  // as each run is given them (ONNX with its shapes)
  std::vector<std::string> sets;           // --set, and sim.mode=functional with --inputs
  std::string inputs, out_dir;
  std::string mappings;  // --mappings, "" = none
  int jobs = 0;
};

ComparePlan plan_of(const po::variables_map& vm) {
  require_options(vm, {"baseline", "config", "workload"}, "compare");
  ComparePlan plan;
  plan.baseline = vm["baseline"].as<std::string>();
  plan.configs = {plan.baseline};
  for (const auto& c : vm["config"].as<std::vector<std::string>>()) plan.configs.push_back(c);
  plan.workloads = split_list(vm["workload"].as<std::vector<std::string>>());
  const std::vector<std::string> shapes = vm.count("input-shape")
                                              ? vm["input-shape"].as<std::vector<std::string>>()
                                              : std::vector<std::string>{};
  bool any_onnx = false;
  for (const auto& w : plan.workloads) {
    any_onnx = any_onnx || is_onnx_file(w);
    plan.run_workloads.push_back(is_onnx_file(w) ? with_input_shapes(w, shapes) : w);
  }
  if (!shapes.empty() && !any_onnx) {
    throw InputError("--input-shape: no workload is an ONNX model (.onnx): " +
                     vm["workload"].as<std::vector<std::string>>().front());
  }
  if (vm.count("set")) plan.sets = vm["set"].as<std::vector<std::string>>();
  plan.inputs = vm.count("inputs") ? vm["inputs"].as<std::string>() : "";
  plan.mappings = vm.count("mappings") ? vm["mappings"].as<std::string>() : "";
  if (!plan.inputs.empty()) plan.sets.push_back("sim.mode=functional");
  plan.jobs = vm["jobs"].as<int>();
  if (plan.jobs < 0) {
    throw InputError("command line: --jobs: must be 0 (all cores) or more, got " +
                     std::to_string(plan.jobs));
  }
  plan.out_dir = vm.count("out") ? vm["out"].as<std::string>() : "";
  return plan;
}

// The comparison's scratch directory under $TMPDIR (else /tmp): the runs' reports, removed
// however the command ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "strata_compare.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      throw InputError("cannot create a temporary directory under " +
                       std::filesystem::temp_directory_path().string() + " (set TMPDIR)");
    }
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Each distinct workload the configs prepare (workload.* keys) is prepared once, here; the runs
// read it from the comparison's cache. Workload by workload, so the configs of one network share
// its synthetic draws (kSharedDrawBytes holds VGG-16's).
constexpr int64_t kSharedDrawBytes = int64_t{1} << 30;

void prepare_workloads(const ComparePlan& plan, const std::string& cache_dir,
                       ProgressLine& progress) {
  if (!plan.inputs.empty()) return;  // functional runs build their traces from the graph
  std::vector<RunParams> params;
  for (const auto& c : plan.configs) {
    ConfigTree tree = ConfigTree::load(c);
    for (const auto& set : plan.sets) tree.set_override(set);
    params.push_back(make_run_params(resolve_config(tree)));
  }
  std::set<std::string> prepared;
  for (const auto& w : plan.run_workloads) {
    const auto draws = std::make_shared<SyntheticDrawCache>(kSharedDrawBytes);
    for (size_t c = 0; c < plan.configs.size(); ++c) {
      ModelQuantRequest q;
      if (!front_end_request(params[c], w, &q) || q.with_tensors) continue;
      if (!prepared.insert(workload_cache_key(q)).second) continue;
      progress.show("strata compare: preparing workload " + std::to_string(prepared.size()) + " (" +
                    stem(plan.configs[c]) + ", " + describe_workload_request(q) + ")");
      q.synthetic_draws = draws;
      try {
        quantize_model_cached(q, cache_dir);
      } catch (const InputError& e) {
        throw InputError(plan.configs[c] + " on " + w + ": " + e.what());
      }
    }
  }
}

// Every (config, workload) in its own `strata run`, config-major; their reports into `runs`.
// Throws InputError naming the first run that failed.
void run_all(const ComparePlan& plan, const std::string& cache_dir, std::vector<Job>& runs,
             ProgressLine& progress) {
  std::vector<WorkerJob> jobs;
  for (const auto& j : runs) {
    WorkerJob w;
    w.args = {"run",   "--config", j.config, "--workload",  j.workload,
              "--out", j.out_dir,  "-q",     "--cache-dir", cache_dir};
    for (const auto& set : plan.sets) {
      w.args.push_back("--set");
      w.args.push_back(set);
    }
    if (!plan.inputs.empty()) {
      w.args.push_back("--inputs");
      w.args.push_back(plan.inputs);
    }
    if (!plan.mappings.empty()) {
      w.args.push_back("--mappings");
      w.args.push_back(plan.mappings);
    }
    w.stderr_path = j.out_dir + ".err";
    jobs.push_back(std::move(w));
  }
  std::string failure;
  size_t finished = 0;
  progress.show("strata compare: 0/" + std::to_string(jobs.size()) + " runs");
  run_workers(
      self_executable(), jobs, plan.jobs,
      [&](const WorkerResult& r) {
        Job& j = runs[r.index];
        progress.show("strata compare: " + std::to_string(++finished) + "/" +
                      std::to_string(jobs.size()) + " runs (" + stem(j.config) + " on " +
                      j.workload + " done)");
        if (r.exit_code != 0) {
          if (failure.empty()) failure = j.config + " on " + j.workload + ": " + r.error;
        } else {
          j.report = load_json_file(j.out_dir + "/report.json");
        }
      },
      [&] { return failure.empty(); });
  progress.clear();
  if (!failure.empty()) throw InputError(failure);
}

// The finished comparison: each design's row on each workload.
struct CompareTable {
  const ComparePlan& plan;
  const std::vector<Job>& runs;
  std::vector<std::string> designs;  // distinct names of plan.configs
  CompareRow row(size_t c, size_t w) const {
    const size_t n = plan.workloads.size();
    return CompareRow{designs[c], plan.configs[c], plan.workloads[w], &runs[c * n + w].report,
                      &runs[w].report};
  }
};

// Per workload, each design's ratios to the baseline (the columns compare.csv writes), then their
// geometric means.
void print_ratio_table(const CompareTable& t) {
  const std::vector<std::string>& workloads = t.plan.workloads;
  const size_t designs = t.designs.size();
  const char* const ratios[] = {"speedup", "compute_speedup", "energy_reduction",
                                "on_chip_energy_reduction"};
  const char* const ratio_heads[] = {"speedup", "compute speedup", "energy red.",
                                     "on-chip energy red."};
  std::cout << "baseline: " << t.plan.baseline
            << "\n\n| workload | baseline cycles | baseline ms | baseline energy uJ |";
  for (size_t c = 1; c < designs; ++c) {
    for (const char* h : ratio_heads) std::cout << " " << t.designs[c] << " " << h << " |";
  }
  std::cout << "\n|---|---|---|---|";
  for (size_t c = 1; c < designs; ++c) std::cout << "---|---|---|---|";
  std::cout << "\n";
  std::vector<std::vector<double>> logs((designs - 1) * 4);
  for (size_t w = 0; w < workloads.size(); ++w) {
    const CompareRow b = t.row(0, w);
    std::cout << "| " << workloads[w] << " | " << fixed(compare_value("cycles", b).get<double>(), 0)
              << " | " << fixed(compare_value("latency_ms", b).get<double>(), 3) << " | "
              << fixed(compare_value("energy_uj", b).get<double>(), 1) << " |";
    for (size_t c = 1; c < designs; ++c) {
      for (int k = 0; k < 4; ++k) {
        const double v = compare_value(ratios[k], t.row(c, w)).get<double>();
        std::cout << " " << fixed(v) << " |";
        logs[(c - 1) * 4 + k].push_back(std::log(v));
      }
    }
    std::cout << "\n";
  }
  std::cout << "| geometric mean | | | |";
  for (const auto& l : logs) {
    double s = 0;
    for (double x : l) s += x;
    std::cout << " **" << fixed(std::exp(s / static_cast<double>(l.size()))) << "** |";
  }
  std::cout << "\n";
}

// What each design costs: its clock, area, and the weight error of the workload it prepares,
// marked real or synthetic.
void print_design_table(const CompareTable& t) {
  const std::vector<std::string>& workloads = t.plan.workloads;
  std::cout << "\n| design | clock MHz | area mm2 | leakage mW |";
  for (const auto& w : workloads) std::cout << " " << w << " weight SQNR dB |";
  std::cout << "\n|---|---|---|---|";
  for (size_t w = 0; w < workloads.size(); ++w) std::cout << "---|";
  std::cout << "\n";
  for (size_t c = 0; c < t.designs.size(); ++c) {
    const CompareRow r0 = t.row(c, 0);
    char head[160];
    std::snprintf(head, sizeof head, "| %s | %g | %.3f | %.1f |", t.designs[c].c_str(),
                  compare_value("freq_mhz", r0).get<double>(),
                  compare_value("area_mm2", r0).get<double>(),
                  compare_value("leakage_mw", r0).get<double>());
    std::cout << head;
    for (size_t w = 0; w < workloads.size(); ++w) {
      const CompareRow r = t.row(c, w);
      const J sqnr = compare_value("weight_sqnr_db", r);
      std::cout << " "
                << (sqnr.is_number()
                        ? cell(sqnr) + " (" + compare_value("weights", r).get<std::string>() + ")"
                        : std::string("-"))
                << " |";
    }
    std::cout << "\n";
  }
}

// With --inputs: how closely each design's quantized path follows float on the inputs (its
// primary output), and the sparsity the inputs gave its array.
void print_agreement_table(const CompareTable& t) {
  const std::vector<std::string>& workloads = t.plan.workloads;
  const std::vector<std::pair<const char*, std::string>> measured = {
      {"vs_float_output_sqnr_db", "output SQNR vs float dB"},
      {"vs_float_top1_agreement", "top-1 agreement with float"},
      {"vs_float_cosine_similarity", "cosine to float"},
      {"input_density_measured", "input density measured"},
      {"product_density_measured", "non-zero products measured"}};
  std::cout << "\n| design |";
  for (const auto& w : workloads) {
    for (const auto& m : measured) std::cout << " " << w << " " << m.second << " |";
  }
  std::cout << "\n|---|";
  for (size_t w = 0; w < workloads.size(); ++w) {
    for (size_t m = 0; m < measured.size(); ++m) std::cout << "---|";
  }
  std::cout << "\n";
  for (size_t c = 0; c < t.designs.size(); ++c) {
    std::cout << "| " << t.designs[c] << " |";
    for (size_t w = 0; w < workloads.size(); ++w) {
      for (const auto& m : measured) {
        const bool density = std::string(m.first).find("density") != std::string::npos;
        std::cout << " " << cell(compare_value(m.first, t.row(c, w)), density ? 3 : 2) << " |";
      }
    }
    std::cout << "\n";
  }
}

// --out: every run's outputs under <design>/<workload>/, then compare.csv; nothing half-written.
void write_compare_outputs(const CompareTable& t) {
  const std::string& out_dir = t.plan.out_dir;
  const std::vector<std::string>& workloads = t.plan.workloads;
  std::vector<std::string> names;
  for (const auto& w : workloads) names.push_back(file_name_of(w));
  const std::vector<std::string> workload_dirs = distinct(names);
  for (size_t c = 0; c < t.designs.size(); ++c) {
    for (size_t w = 0; w < workloads.size(); ++w) {
      const std::string from = t.runs[c * workloads.size() + w].out_dir;
      const std::string to = out_dir + "/" + t.designs[c] + "/" + workload_dirs[w];
      prepare_output_dir(to);
      std::vector<OutputFile> files;
      for (const char* f :
           {"report.json", "layers.csv", "vector_layers.csv", "config.resolved.json"}) {
        files.push_back({f, read_text_file(from + "/" + f)});
      }
      write_outputs_atomically(to, files);
    }
  }
  std::vector<CompareRow> rows;
  for (size_t c = 0; c < t.designs.size(); ++c) {
    for (size_t w = 0; w < workloads.size(); ++w) rows.push_back(t.row(c, w));
  }
  write_outputs_atomically(out_dir, {{"compare.csv", csv_table(compare_columns(), rows)}});
  std::cout << "\noutputs written to " << out_dir << "/ (compare.csv, <design>/<workload>/)\n";
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args) {
  const po::options_description opts = compare_options();
  const po::variables_map vm = parse_options(args, opts, "compare");
  if (vm.count("help")) {
    print_command_help(
        "compare",
        "strata compare --baseline <config> --config <config>... --workload "
        "<w>[,<w>...] [--input-shape <name>=<dims>]... [--set <key>=<value>]... [--inputs <dir>] "
        "[--mappings <file.json>] "
        "[--out <dir>] [--jobs <n>] [--quiet]",
        opts,
        "\nPer workload: speedup = baseline latency / latency (time, so designs at different "
        "clocks compare fairly), compute speedup = the same on the compute cycles alone, each "
        "at its design's clock; energy reduction = baseline energy / energy (total, and on-chip "
        "without DRAM); the last row is the geometric mean. compare.csv's columns: "
        "docs/reports.md.\n");
    return 0;
  }
  const ComparePlan plan = plan_of(vm);
  if (!plan.out_dir.empty()) prepare_output_dir(plan.out_dir);
  const ScratchDir tmp;
  const std::string cache_dir = vm.count("no-cache")    ? tmp.path() + "/cache"
                                : vm.count("cache-dir") ? vm["cache-dir"].as<std::string>()
                                                        : default_workload_cache_dir();
  std::vector<Job> runs;
  for (size_t c = 0; c < plan.configs.size(); ++c) {
    for (size_t w = 0; w < plan.workloads.size(); ++w) {
      runs.push_back({plan.configs[c],
                      plan.run_workloads[w],
                      tmp.path() + "/" + std::to_string(c) + "_" + std::to_string(w),
                      {}});
    }
  }
  ProgressLine progress(vm.count("quiet") > 0);
  prepare_workloads(plan, cache_dir, progress);
  run_all(plan, cache_dir, runs, progress);

  std::vector<std::string> stems;
  for (const auto& c : plan.configs) stems.push_back(stem(c));
  const CompareTable table{plan, runs, distinct(stems)};
  print_ratio_table(table);
  print_design_table(table);
  if (!plan.inputs.empty()) print_agreement_table(table);
  if (!plan.out_dir.empty()) write_compare_outputs(table);
  return 0;
}

}  // namespace strata
