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

}  // namespace

int cmd_compare(const std::vector<std::string>& args) {
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
      "inputs", po::value<std::string>(),
      "run every design in functional mode on this directory of images or .npy tensors and "
      "add how closely each design's quantized path follows the float network (agreement with "
      "float, not accuracy against labels) and the sparsity measured on the inputs "
      "(docs/functional.md)");
  const po::variables_map vm = parse_options(args, opts, "compare");
  if (vm.count("help")) {
    print_command_help(
        "compare",
        "strata compare --baseline <config> --config <config>... --workload "
        "<w>[,<w>...] [--input-shape <name>=<dims>]... [--set <key>=<value>]... [--inputs <dir>] "
        "[--out <dir>] [--jobs <n>] [--quiet]",
        opts,
        "\nPer workload: speedup = baseline latency / latency (time, so designs at different "
        "clocks compare fairly), compute speedup = the same on the compute cycles alone, each "
        "at its design's clock; energy reduction = baseline energy / energy (total, and on-chip "
        "without DRAM); the last row is the geometric mean. compare.csv's columns: "
        "docs/reports.md.\n");
    return 0;
  }
  require_options(vm, {"baseline", "config", "workload"}, "compare");
  const std::string baseline = vm["baseline"].as<std::string>();
  const std::vector<std::string> configs = vm["config"].as<std::vector<std::string>>();
  const std::vector<std::string> workloads =
      split_list(vm["workload"].as<std::vector<std::string>>());
  const std::vector<std::string> shapes = vm.count("input-shape")
                                              ? vm["input-shape"].as<std::vector<std::string>>()
                                              : std::vector<std::string>{};
  // What each run is given: an ONNX model with the input shapes.
  std::vector<std::string> run_workloads;
  bool any_onnx = false;
  for (const auto& w : workloads) {
    any_onnx = any_onnx || is_onnx_file(w);
    run_workloads.push_back(is_onnx_file(w) ? with_input_shapes(w, shapes) : w);
  }
  if (!shapes.empty() && !any_onnx) {
    throw InputError("--input-shape: no workload is an ONNX model (.onnx): " +
                     vm["workload"].as<std::vector<std::string>>().front());
  }
  std::vector<std::string> sets =
      vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const std::string inputs = vm.count("inputs") ? vm["inputs"].as<std::string>() : "";
  if (!inputs.empty()) sets.push_back("sim.mode=functional");
  const int jobs_parallel = vm["jobs"].as<int>();
  if (jobs_parallel < 0) {
    throw InputError("command line: --jobs: must be 0 (all cores) or more, got " +
                     std::to_string(jobs_parallel));
  }
  const std::string out_dir = vm.count("out") ? vm["out"].as<std::string>() : "";
  if (!out_dir.empty()) prepare_output_dir(out_dir);

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
                       run_workloads[w],
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
      for (const auto& w : run_workloads) {
        ModelQuantRequest q;
        // Functional runs build their traces from the graph they execute.
        if (!inputs.empty() || !front_end_request(make_run_params(config), w, &q) || q.with_tensors)
          continue;
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
  if (!failure.empty()) {
    std::filesystem::remove_all(tmp);
    throw InputError(failure);
  }

  std::vector<std::string> stems;
  for (const auto& c : all_configs) stems.push_back(stem(c));
  const std::vector<std::string> designs = distinct(stems);
  auto row_of = [&](size_t c, size_t w) {
    return CompareRow{designs[c], all_configs[c], workloads[w],
                      &queue[c * workloads.size() + w].report, &queue[w].report};
  };
  // The ratio tables read the same columns compare.csv writes.
  const char* const ratios[] = {"speedup", "compute_speedup", "energy_reduction",
                                "on_chip_energy_reduction"};
  const char* const ratio_heads[] = {"speedup", "compute speedup", "energy red.",
                                     "on-chip energy red."};
  std::cout << "baseline: " << baseline
            << "\n\n| workload | baseline cycles | baseline ms | baseline energy uJ |";
  for (size_t c = 1; c < designs.size(); ++c) {
    for (const char* h : ratio_heads) std::cout << " " << designs[c] << " " << h << " |";
  }
  std::cout << "\n|---|---|---|---|";
  for (size_t c = 1; c < designs.size(); ++c) std::cout << "---|---|---|---|";
  std::cout << "\n";
  std::vector<std::vector<double>> logs(configs.size() * 4);
  for (size_t w = 0; w < workloads.size(); ++w) {
    const CompareRow b = row_of(0, w);
    std::cout << "| " << workloads[w] << " | " << fixed(compare_value("cycles", b).get<double>(), 0)
              << " | " << fixed(compare_value("latency_ms", b).get<double>(), 3) << " | "
              << fixed(compare_value("energy_uj", b).get<double>(), 1) << " |";
    for (size_t c = 0; c < configs.size(); ++c) {
      for (int k = 0; k < 4; ++k) {
        const double v = compare_value(ratios[k], row_of(c + 1, w)).get<double>();
        std::cout << " " << fixed(v) << " |";
        logs[c * 4 + k].push_back(std::log(v));
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
  // What each design costs: its clock, area, and the weight error of the workload it prepares,
  // marked real or synthetic.
  std::cout << "\n| design | clock MHz | area mm2 | leakage mW |";
  for (const auto& w : workloads) std::cout << " " << w << " weight SQNR dB |";
  std::cout << "\n|---|---|---|---|";
  for (size_t w = 0; w < workloads.size(); ++w) std::cout << "---|";
  std::cout << "\n";
  for (size_t c = 0; c < all_configs.size(); ++c) {
    const CompareRow r0 = row_of(c, 0);
    char head[160];
    std::snprintf(head, sizeof head, "| %s | %g | %.3f | %.1f |", designs[c].c_str(),
                  compare_value("freq_mhz", r0).get<double>(),
                  compare_value("area_mm2", r0).get<double>(),
                  compare_value("leakage_mw", r0).get<double>());
    std::cout << head;
    for (size_t w = 0; w < workloads.size(); ++w) {
      const CompareRow r = row_of(c, w);
      const J sqnr = compare_value("weight_sqnr_db", r);
      std::cout << " "
                << (sqnr.is_number()
                        ? cell(sqnr) + " (" + compare_value("weights", r).get<std::string>() + ")"
                        : std::string("-"))
                << " |";
    }
    std::cout << "\n";
  }
  if (!inputs.empty()) {
    // How closely each design's quantized path follows float on the inputs (its primary output),
    // and the sparsity the inputs gave its array.
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
    for (size_t c = 0; c < all_configs.size(); ++c) {
      std::cout << "| " << designs[c] << " |";
      for (size_t w = 0; w < workloads.size(); ++w) {
        for (const auto& m : measured) {
          const bool density = std::string(m.first).find("density") != std::string::npos;
          std::cout << " " << cell(compare_value(m.first, row_of(c, w)), density ? 3 : 2) << " |";
        }
      }
      std::cout << "\n";
    }
  }
  if (!out_dir.empty()) {
    // Every run's outputs under <design>/<workload>/, then compare.csv: nothing half-written.
    std::vector<std::string> names;
    for (const auto& w : workloads) names.push_back(file_name_of(w));
    const std::vector<std::string> workload_dirs = distinct(names);
    try {
      for (size_t c = 0; c < all_configs.size(); ++c) {
        for (size_t w = 0; w < workloads.size(); ++w) {
          const std::string from = queue[c * workloads.size() + w].out_dir;
          const std::string to = out_dir + "/" + designs[c] + "/" + workload_dirs[w];
          prepare_output_dir(to);
          std::vector<OutputFile> files;
          for (const char* f :
               {"report.json", "layers.csv", "vector_layers.csv", "config.resolved.json"}) {
            files.push_back({f, read_text_file(from + "/" + f)});
          }
          write_outputs_atomically(to, files);
        }
      }
      const auto& columns = compare_columns();
      std::vector<std::string> header;
      for (const auto& col : columns) header.push_back(col.name);
      std::string csv = csv_line(header);
      for (size_t c = 0; c < all_configs.size(); ++c) {
        for (size_t w = 0; w < workloads.size(); ++w) {
          std::vector<std::string> fields;
          for (const auto& col : columns) fields.push_back(csv_escape(col.get(row_of(c, w))));
          csv += csv_line(fields);
        }
      }
      write_outputs_atomically(out_dir, {{"compare.csv", csv}});
    } catch (...) {
      std::filesystem::remove_all(tmp);
      throw;
    }
    std::cout << "\noutputs written to " << out_dir << "/ (compare.csv, <design>/<workload>/)\n";
  }
  std::filesystem::remove_all(tmp);
  return 0;
}

}  // namespace strata
