// strata compare: runs configs against a baseline on a set of workloads and prints the ratios a
// paper reports (speedup, energy reduction) per workload with their geometric mean. Every
// (config, workload) runs in its own `strata run` process (SystemC elaborates once per process),
// several at a time.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/cli/progress_line.h"
#include "sim/config/config_tree.h"
#include "sim/report/columns.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sweep/worker_pool.h"
#include "workloads/json_file.h"

namespace po = boost::program_options;

namespace strata {
namespace {

struct Job {
  std::string config, workload, out_dir;
  nlohmann::json report;
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

// A figure of a report, read through the summary columns sweeps use.
double total(const nlohmann::json& r, const char* column) {
  return summary_value(r, column).get<double>();
}

double on_chip_energy(const nlohmann::json& r) {
  return total(r, "energy_pj") - total(r, "energy_dram_pj");
}

std::string ratio(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", x);
  return b;
}

std::string stem(const std::string& path) {
  std::string s = std::filesystem::path(path).stem().string();
  return s;
}

}  // namespace

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description opts("strata compare options");
  opts.add_options()("help,h", "this help")("baseline,b", po::value<std::string>(),
                                            "baseline accelerator config")(
      "config,c", po::value<std::vector<std::string>>()->composing(),
      "config to compare, repeatable")("workload,w",
                                       po::value<std::vector<std::string>>()->composing(),
                                       "zoo name or trace, repeatable or comma-separated")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "key.path=value applied to every run, repeatable")(
      "jobs,j", po::value<int>()->default_value(0), "runs at a time (0: all cores)")(
      "quiet,q", "no progress line on the terminal")(
      "cache-dir", po::value<std::string>(),
      "where workloads prepared by the configs' workload.* keys are cached (default: "
      "$STRATA_CACHE_DIR, else ~/.cache/strata/workloads)")(
      "no-cache", "prepare the workloads afresh, in a scratch cache removed afterwards")(
      "inputs", po::value<std::string>(),
      "run every design in functional mode on this directory of images or .npy tensors and "
      "add the accuracy of each design's quantized path (docs/functional.md)");
  const po::variables_map vm = parse_options(args, opts, "compare");
  if (vm.count("help")) {
    print_command_help(
        "compare",
        "strata compare --baseline <config> --config <config>... --workload "
        "<w>[,<w>...] [--set <key>=<value>]... [--inputs <dir>] [--jobs <n>] [--quiet]",
        opts,
        "\nPer workload: speedup = baseline cycles / cycles (and on compute cycles "
        "alone), energy reduction = baseline energy / energy (total, and on-chip without "
        "DRAM); the last row is the geometric mean.\n");
    return 0;
  }
  require_options(vm, {"baseline", "config", "workload"}, "compare");
  const std::string baseline = vm["baseline"].as<std::string>();
  const std::vector<std::string> configs = vm["config"].as<std::vector<std::string>>();
  const std::vector<std::string> workloads =
      split_list(vm["workload"].as<std::vector<std::string>>());
  std::vector<std::string> sets =
      vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const std::string inputs = vm.count("inputs") ? vm["inputs"].as<std::string>() : "";
  if (!inputs.empty()) sets.push_back("sim.mode=functional");
  const int jobs_parallel = vm["jobs"].as<int>();
  if (jobs_parallel < 0) {
    throw InputError("command line: --jobs: must be 0 (all cores) or more, got " +
                     std::to_string(jobs_parallel));
  }

  // The system's temporary directory ($TMPDIR, else /tmp) holds the runs' reports.
  std::string tmpl = (std::filesystem::temp_directory_path() / "strata_compare.XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    throw InputError("cannot create a temporary directory under " +
                     std::filesystem::temp_directory_path().string() + " (set TMPDIR)");
  }
  const std::string tmp = tmpl;
  const std::string cache_dir = vm.count("no-cache")    ? tmp + "/cache"
                                : vm.count("cache-dir") ? vm["cache-dir"].as<std::string>()
                                                        : default_workload_cache_dir();
  std::vector<std::string> all_configs = {baseline};
  all_configs.insert(all_configs.end(), configs.begin(), configs.end());
  std::vector<Job> queue;
  for (size_t c = 0; c < all_configs.size(); ++c) {
    for (size_t w = 0; w < workloads.size(); ++w) {
      queue.push_back({all_configs[c],
                       workloads[w],
                       tmp + "/" + std::to_string(c) + "_" + std::to_string(w),
                       {}});
    }
  }
  // Each distinct workload the configs prepare (workload.* keys) is prepared once, here; the runs
  // read it from the comparison's cache.
  std::set<std::string> prepared;
  ProgressLine progress(vm.count("quiet") > 0);
  try {
    for (const auto& c : all_configs) {
      ConfigTree tree = ConfigTree::load(c);
      for (const auto& set : sets) tree.set_override(set);
      const ResolvedConfig config = resolve_config(tree);
      for (const auto& w : workloads) {
        ModelQuantRequest q;
        // Functional runs build their traces from the graph they execute.
        if (!inputs.empty() || !front_end_request(config, w, &q) || q.with_tensors) continue;
        if (!prepared.insert(workload_cache_key(q)).second) continue;
        progress.show("strata compare: preparing workload " + std::to_string(prepared.size()) +
                      " (" + stem(c) + ", " + describe_workload_request(q) + ")");
        try {
          quantize_model_cached(q, cache_dir);
        } catch (const InputError& e) {
          throw InputError(c + " on " + w + ": " + e.what());
        }
      }
    }
  } catch (...) {
    std::filesystem::remove_all(tmp);
    throw;
  }
  std::vector<WorkerJob> jobs;
  for (const auto& j : queue) {
    WorkerJob w;
    w.args = {"run",   "--config", j.config, "--workload",  j.workload,
              "--out", j.out_dir,  "-q",     "--cache-dir", cache_dir};
    for (const auto& set : sets) {
      w.args.push_back("--set");
      w.args.push_back(set);
    }
    if (!inputs.empty()) {
      w.args.push_back("--inputs");
      w.args.push_back(inputs);
    }
    w.stderr_path = j.out_dir + ".err";
    jobs.push_back(std::move(w));
  }
  std::string failure;
  size_t finished = 0;
  progress.show("strata compare: 0/" + std::to_string(jobs.size()) + " runs");
  run_workers(
      self_executable(), jobs, jobs_parallel,
      [&](const WorkerResult& r) {
        Job& j = queue[r.index];
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
  std::filesystem::remove_all(tmp);
  if (!failure.empty()) throw InputError(failure);

  auto report_of = [&](size_t c, size_t w) -> const nlohmann::json& {
    return queue[c * workloads.size() + w].report;
  };
  std::cout << "baseline: " << baseline
            << "\n\n| workload | baseline cycles | baseline energy uJ |";
  for (const auto& c : configs) {
    const std::string n = stem(c);
    std::cout << " " << n << " speedup | " << n << " compute speedup | " << n << " energy red. | "
              << n << " on-chip energy red. |";
  }
  std::cout << "\n|---|---|---|";
  for (size_t c = 0; c < configs.size(); ++c) std::cout << "---|---|---|---|";
  std::cout << "\n";
  std::vector<std::vector<double>> logs(configs.size() * 4);
  for (size_t w = 0; w < workloads.size(); ++w) {
    const auto& b = report_of(0, w);
    char head[128];
    std::snprintf(head, sizeof head, "| %s | %.0f | %.1f |", workloads[w].c_str(),
                  total(b, "cycles"), total(b, "energy_pj") * 1e-6);
    std::cout << head;
    for (size_t c = 0; c < configs.size(); ++c) {
      const auto& r = report_of(c + 1, w);
      const double v[4] = {total(b, "cycles") / total(r, "cycles"),
                           total(b, "compute_cycles") / total(r, "compute_cycles"),
                           total(b, "energy_pj") / total(r, "energy_pj"),
                           on_chip_energy(b) / on_chip_energy(r)};
      for (int k = 0; k < 4; ++k) {
        std::cout << " " << ratio(v[k]) << " |";
        logs[c * 4 + k].push_back(std::log(v[k]));
      }
    }
    std::cout << "\n";
  }
  std::cout << "| geometric mean | | |";
  for (const auto& l : logs) {
    double s = 0;
    for (double x : l) s += x;
    std::cout << " **" << ratio(std::exp(s / static_cast<double>(l.size()))) << "** |";
  }
  std::cout << "\n";
  // What each design costs: area, and the weight error of the workload it prepares.
  std::cout << "\n| design | area mm2 | leakage mW |";
  for (const auto& w : workloads) std::cout << " " << w << " weight SQNR dB |";
  std::cout << "\n|---|---|---|";
  for (size_t w = 0; w < workloads.size(); ++w) std::cout << "---|";
  std::cout << "\n";
  for (size_t c = 0; c < all_configs.size(); ++c) {
    char head[160];
    std::snprintf(head, sizeof head, "| %s | %.3f | %.1f |", stem(all_configs[c]).c_str(),
                  total(report_of(c, 0), "area_mm2"), total(report_of(c, 0), "leakage_mw"));
    std::cout << head;
    for (size_t w = 0; w < workloads.size(); ++w) {
      const auto& wl = report_of(c, w)["workload"];
      if (wl.contains("preparation") && wl["preparation"]["weight_sqnr_db"].is_number()) {
        std::cout << " " << ratio(wl["preparation"]["weight_sqnr_db"].get<double>()) << " |";
      } else {
        std::cout << " - |";
      }
    }
    std::cout << "\n";
  }
  if (!inputs.empty()) {
    // The accuracy of each design's quantized path on the inputs (its primary output).
    std::cout << "\n| design |";
    for (const auto& w : workloads) {
      std::cout << " " << w << " output SQNR dB | " << w << " top-1 agreement | " << w
                << " cosine |";
    }
    std::cout << "\n|---|";
    for (size_t w = 0; w < workloads.size(); ++w) std::cout << "---|---|---|";
    std::cout << "\n";
    for (size_t c = 0; c < all_configs.size(); ++c) {
      std::cout << "| " << stem(all_configs[c]) << " |";
      for (size_t w = 0; w < workloads.size(); ++w) {
        for (const char* column :
             {"accuracy_output_sqnr_db", "accuracy_top1_agreement", "accuracy_cosine_similarity"}) {
          const nlohmann::json v = summary_value(report_of(c, w), column);
          std::cout << " " << (v.is_number() ? ratio(v.get<double>()) : std::string("-")) << " |";
        }
      }
      std::cout << "\n";
    }
  }
  return 0;
}

}  // namespace strata
