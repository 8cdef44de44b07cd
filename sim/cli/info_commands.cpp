// strata list, keys and tech: what the simulator offers (zoo, example configs, config keys,
// technology tables).
#include <dirent.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/config/param_specs.h"
#include "sim/config/sync_params.h"
#include "sim/energy/tech_table.h"
#include "sim/pipeline/pipeline_config.h"
#include "sim/report/columns.h"
#include "sim/report/compare_columns.h"
#include "workloads/json_file.h"
#include "workloads/zoo/zoo.h"

namespace po = boost::program_options;

namespace strata {
namespace {

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

}  // namespace

int cmd_list(const std::vector<std::string>& args) {
  po::options_description opts("strata list options");
  opts.add_options()("help,h", "this help");
  const po::variables_map vm = parse_options(args, opts, "list");
  if (vm.count("help")) {
    print_command_help("list", "strata list", opts);
    return 0;
  }
  std::cout << "zoo models (--workload NAME[:option=value,...]):\n";
  for (const auto& m : zoo_models()) {
    std::string opts;
    for (const auto& o : m.options) opts += (opts.empty() ? "" : ", ") + o;
    std::cout << "  " << m.name << std::string(m.name.size() < 14 ? 14 - m.name.size() : 1, ' ')
              << m.description << "  [options: " << opts << "; weights: " << m.weights << "]\n";
  }
  std::cout << "\nexample configs (strata run --config):\n";
  list_configs("");
  std::cout << "\ntime-sync configs (strata sync):\n";
  list_configs("timesync/");
  return 0;
}

namespace {

// One markdown row per column, in the schema's order.
template <class C>
void print_column_table(const std::vector<C>& columns, const std::set<std::string>& skip = {}) {
  std::cout << "| field | unit | meaning |\n|---|---|---|\n";
  for (const auto& c : columns) {
    if (skip.count(c.name)) continue;
    std::cout << "| `" << c.name << "` | " << c.unit << " | " << c.description << " |\n";
  }
}

}  // namespace

int cmd_columns(const std::vector<std::string>& args) {
  po::options_description opts("strata columns options");
  opts.add_options()("help,h", "this help")(
      "layers",
      "report.json layers[] and layers.csv (the totals carry these too, but name, shape "
      "and the per-layer settings)")("totals", "the columns only report.json totals has")(
      "vector-layers", "report.json vector_layers[] and vector_layers.csv")(
      "summary",
      "a sweep's results.csv and results.jsonl rows (after point, workload, status and "
      "the axes)")("compare", "strata compare --out's compare.csv");
  const po::variables_map vm = parse_options(args, opts, "columns");
  if (vm.count("help")) {
    print_command_help("columns",
                       "strata columns [--layers | --totals | --vector-layers | --summary | "
                       "--compare]",
                       opts,
                       "\nWithout an option, every table with a heading (docs/reports.md).\n");
    return 0;
  }
  const bool all = !vm.count("layers") && !vm.count("totals") && !vm.count("vector-layers") &&
                   !vm.count("summary") && !vm.count("compare");
  auto section = [&](const char* option, const char* heading, const std::function<void()>& print) {
    if (!all && !vm.count(option)) return;
    if (all) std::cout << "## " << heading << "\n\n";
    print();
    if (all) std::cout << "\n";
  };
  section("layers", "layers[] and layers.csv", [] { print_column_table(layer_columns()); });
  section("totals", "totals only", [] {
    std::set<std::string> per_layer;
    for (const auto& c : layer_columns()) per_layer.insert(c.name);
    print_column_table(totals_columns(), per_layer);
  });
  section("vector-layers", "vector_layers[] and vector_layers.csv",
          [] { print_column_table(vector_layer_columns()); });
  section("summary", "sweep rows", [] { print_column_table(summary_columns()); });
  section("compare", "compare.csv", [] { print_column_table(compare_columns()); });
  return 0;
}

int cmd_tech(const std::vector<std::string>& args) {
  po::options_description opts("strata tech options");
  opts.add_options()("help,h", "this help")(
      "table", po::value<std::string>(), "technology table (.json), e.g. configs/tech/16nm.json");
  const po::variables_map vm = parse_options(args, opts, "tech", "table", 1);
  if (vm.count("help")) {
    print_command_help("tech", "strata tech <table.json>", opts,
                       "\nEvery entry after scaling to the table's node, with its source.\n");
    return 0;
  }
  require_options(vm, {"table"}, "tech", "table", "the table file");
  const TechTable t = load_tech_table(vm["table"].as<std::string>());
  std::cout << "| entry | value | source |\n|---|---|---|\n";
  for (const auto& row : tech_table_entries(t)) {
    std::cout << "| `" << row.key << "` | " << row.value << " | " << row.source << " |\n";
  }
  return 0;
}

int cmd_keys(const std::vector<std::string>& args) {
  po::options_description opts("strata keys options");
  opts.add_options()("help,h", "this help")("sync", "the time-sync keys ('strata sync' configs)")(
      "pipeline", "the keys a pipeline config adds to the time-sync keys ('strata pipeline')")(
      "host-kernels", "the pipeline host CPU's built-in kernel costs");
  const po::variables_map vm = parse_options(args, opts, "keys");
  if (vm.count("help")) {
    print_command_help("keys", "strata keys [--sync] [--pipeline] [--host-kernels]", opts,
                       "\nThe same tables as docs/config.md, docs/timesync.md and "
                       "docs/pipeline.md.\n");
    return 0;
  }
  if (vm.count("sync") + vm.count("pipeline") + vm.count("host-kernels") > 1)
    throw InputError(
        "command line: --sync, --pipeline and --host-kernels print different tables: give one");
  if (vm.count("host-kernels")) {
    std::cout << "| kernel | element | cycles per element | fixed cycles per call | derivation "
                 "(strata's estimate) |\n|---|---|---|---|---|\n";
    for (const auto& [name, k] : host_kernel_table()) {
      std::cout << "| `" << name << "` | " << k.element << " | "
                << nlohmann::json(k.cycles_per_element).dump() << " | "
                << nlohmann::json(k.fixed_cycles).dump() << " | " << k.derivation << " |\n";
    }
    return 0;
  }
  std::vector<ParamSpec> specs = param_specs();
  if (vm.count("sync")) specs = sync_param_specs();
  if (vm.count("pipeline")) {
    // The pipeline's own keys: those it adds to the sync keys.
    specs.clear();
    for (const auto& s : pipeline_param_specs())
      if (!find_param_spec(s.path, sync_param_specs())) specs.push_back(s);
  }
  std::cout << "| key | unit | default | allowed | meaning |\n|---|---|---|---|---|\n";
  for (const auto& s : specs) {
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

}  // namespace strata
