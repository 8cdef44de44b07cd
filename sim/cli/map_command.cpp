// strata map: each layer's best mapping on the scratchpad hierarchy for an objective, beside
// strata's own (docs/mapping.md, "The mapspace and the search").
#include <chrono>
#include <cstdio>
#include <iostream>

#include "common/input_error.h"
#include "hw_models/mapping/mapping_search.h"
#include "hw_models/soc/tiling.h"
#include "sim/cli/commands.h"
#include "sim/report/column_schema.h"
#include "sim/report/output_dir.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"

namespace po = boost::program_options;

namespace strata {
namespace {

// One layer's search.
struct LayerSearch {
  std::string layer;
  std::string mapping, default_mapping;
  int64_t cycles = 0, default_cycles = 0;
  int64_t dram_bytes = 0, default_dram_bytes = 0;
  int64_t candidates = 0;
};

int64_t dram_bytes(const MappedExecution& x) {
  return x.input_bytes + x.weight_bytes + x.psum_read_bytes + x.output_bytes + x.psum_write_bytes;
}

// map.csv's columns, declared once (the report's column mechanism).
const std::vector<ColumnOf<LayerSearch>>& map_columns() {
  using J = nlohmann::json;
  static const std::vector<ColumnOf<LayerSearch>> c = {
      {"layer", "-", "layer name", [](const LayerSearch& s) { return J(s.layer); }},
      {"mapping", "-", "the searched mapping (docs/mapping.md syntax)",
       [](const LayerSearch& s) { return J(s.mapping); }},
      {"cycles", "cycles", "its cycles", [](const LayerSearch& s) { return J(s.cycles); }},
      {"dram_bytes", "B", "its DRAM traffic", [](const LayerSearch& s) { return J(s.dram_bytes); }},
      {"default_mapping", "-", "strata's own mapping",
       [](const LayerSearch& s) { return J(s.default_mapping); }},
      {"default_cycles", "cycles", "its cycles",
       [](const LayerSearch& s) { return J(s.default_cycles); }},
      {"default_dram_bytes", "B", "its DRAM traffic",
       [](const LayerSearch& s) { return J(s.default_dram_bytes); }},
      {"candidates", "-", "mappings the search costed",
       [](const LayerSearch& s) { return J(s.candidates); }},
  };
  return c;
}

}  // namespace

int cmd_map(const std::vector<std::string>& args) {
  po::options_description opts("strata map options");
  opts.add_options()("help,h", "this help")(
      "config,c", po::value<std::string>(),
      "accelerator config with memory.hierarchy = \"scratchpad\" (configs/gemmini_16x16.json)")(
      "workload,w", po::value<std::string>(), "zoo name, layer list (.json) or topology (.csv)")(
      "objective", po::value<std::string>()->default_value("latency"), "latency")(
      "set,s", po::value<std::vector<std::string>>()->composing(),
      "override a config key, repeatable")(
      "loop-orders", "also search the order of the DRAM loops (tiling.walk = \"mapping\")")(
      "out,o", po::value<std::string>(),
      "output directory for mappings.json (feeds --mappings) and map.csv")("quiet,q",
                                                                           "no table on stdout");
  const po::variables_map vm = parse_options(args, opts, "map");
  if (vm.count("help")) {
    print_command_help("map",
                       "strata map --config <file.json> --workload <w> [--objective latency] "
                       "[--loop-orders] [--set <key>=<value>]... [--out <dir>] [--quiet]",
                       opts, "\nthe mapspace and the search: docs/mapping.md\n");
    return 0;
  }
  require_options(vm, {"config", "workload"}, "map");
  const MapObjective objective = parse_map_objective(vm["objective"].as<std::string>());
  RunRequest request;
  request.config_path = vm["config"].as<std::string>();
  request.workload = vm["workload"].as<std::string>();
  if (vm.count("set")) request.overrides = vm["set"].as<std::vector<std::string>>();
  request.workload_cache_dir = default_workload_cache_dir();
  const PreparedRun run = prepare_run(request);
  const TilingParams& tiling = run.soc.controller.tiling;
  if (!tiling.mapped) {
    throw InputError(run.config.source +
                     ": memory.hierarchy: strata map searches the scratchpad hierarchy's mappings "
                     "(memory.hierarchy = \"scratchpad\"); the separate buffers' tiler is not "
                     "searchable yet");
  }
  std::string out_dir;
  if (vm.count("out")) {
    out_dir = vm["out"].as<std::string>();
    prepare_output_dir(out_dir);
  }
  MapSpaceOptions options;
  options.loop_orders = vm.count("loop-orders") > 0;
  std::vector<LayerSearch> rows;
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < run.workload.layers.size(); ++i) {
    const Layer& l = run.workload.layers[i];
    const OperandBits b = layer_operand_bits(tiling.bits, run.workload, i);
    const MappedOperandBits bits{b.input, b.weight, b.output};
    const std::string where = "layer '" + l.name + "'";
    const MapSearchResult r =
        exhaustive_map_search(l, tiling.hierarchy, bits, objective, options, where);
    const Mapping own = default_mapping(l, tiling.hierarchy, bits, where);
    const MappedExecution own_cost = cost_mapped_layer(l, own, tiling.hierarchy, bits, where);
    rows.push_back({l.name, format_mapping(r.mapping), format_mapping(own), r.plan.cycles,
                    own_cost.cycles, dram_bytes(r.plan), dram_bytes(own_cost), r.evaluated});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int64_t candidates = 0, cycles = 0, own_cycles = 0;
  nlohmann::json mappings = nlohmann::json::object();
  for (const LayerSearch& s : rows) {
    candidates += s.candidates;
    cycles += s.cycles;
    own_cycles += s.default_cycles;
    mappings[s.layer] = s.mapping;
  }
  if (!vm.count("quiet")) {
    std::cout
        << "| layer | searched cycles | strata's own | gain | mapping |\n|---|---|---|---|---|\n";
    for (const LayerSearch& s : rows) {
      char gain[32];
      std::snprintf(gain, sizeof gain, "%.2fx",
                    static_cast<double>(s.default_cycles) / static_cast<double>(s.cycles));
      std::cout << "| " << s.layer << " | " << s.cycles << " | " << s.default_cycles << " | "
                << gain << " | `" << s.mapping << "` |\n";
    }
  }
  // Timing is the machine's: on stderr, never in the files (same inputs, same bytes).
  std::fprintf(stderr,
               "strata map: %zu layers, %lld candidates costed in %.2f s; %lld cycles against "
               "strata's own %lld (%.2fx)\n",
               rows.size(), static_cast<long long>(candidates), seconds,
               static_cast<long long>(cycles), static_cast<long long>(own_cycles),
               static_cast<double>(own_cycles) / static_cast<double>(cycles));
  if (!out_dir.empty()) {
    write_outputs_atomically(
        out_dir, {{"mappings.json", nlohmann::json({{"mappings", mappings}}).dump(2) + "\n"},
                  {"map.csv", csv_table(map_columns(), rows)}});
  }
  return 0;
}

}  // namespace strata
