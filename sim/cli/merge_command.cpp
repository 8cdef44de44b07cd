// strata merge: joins the output directories of a sharded sweep (docs/sweeps.md), checking that
// they come from one plan, that every shard is there once, and that no row is missing or doubled.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/report/json_text.h"
#include "sim/report/output_dir.h"
#include "sim/sweep/sweep_runner.h"
#include "workloads/json_file.h"

namespace po = boost::program_options;

namespace strata {

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("strata merge options");
  opts.add_options()("help,h", "this help")("dirs", po::value<std::vector<std::string>>(),
                                            "shard output directories")(
      "out,o", po::value<std::string>(), "merged output directory");
  const po::variables_map vm = parse_options(args, opts, "merge", "dirs", -1);
  if (vm.count("help")) {
    print_command_help("merge", "strata merge <shard dir>... --out <dir>", opts,
                       "\nsharded sweeps: docs/sweeps.md\n");
    return 0;
  }
  require_options(vm, {"dirs", "out"}, "merge", "dirs", "shard directories");
  const auto dirs = vm["dirs"].as<std::vector<std::string>>();
  nlohmann::json first;
  std::set<int> shards;
  int count = 0;
  std::map<std::string, nlohmann::json> rows;  // "point|workload" -> row
  for (const auto& d : dirs) {
    const nlohmann::json m = load_json_file(d + "/sweep.json");
    if (!m.is_object() || m.value("format", "") != "strata-sweep" || !m.contains("shard") ||
        !m["shard"].is_string() || !m.contains("fingerprint") || !m.contains("axes") ||
        !m["axes"].is_array() ||
        !std::all_of(m["axes"].begin(), m["axes"].end(),
                     [](const auto& a) { return a.is_string(); })) {
      throw InputError(d +
                       "/sweep.json: not a strata sweep manifest (needs format \"strata-sweep\", "
                       "shard, fingerprint and axes)");
    }
    int index = 0, n = 0;
    parse_shard(m.value("shard", ""), &index, &n);
    if (first.is_null()) {
      first = m;
      count = n;
    } else if (m["fingerprint"] != first["fingerprint"]) {
      throw InputError(d + "/sweep.json: a different sweep plan than " + dirs.front());
    } else if (n != count) {
      throw InputError(d + "/sweep.json: shard " + m["shard"].get<std::string>() + " of a " +
                       std::to_string(n) + "-way split, the others are " + std::to_string(count) +
                       "-way");
    }
    if (!shards.insert(index).second) {
      throw InputError(d + ": shard " + std::to_string(index) + "/" + std::to_string(n) +
                       " is given twice");
    }
    for (auto& r : read_sweep_rows(d + "/results.jsonl")) {
      const std::string key =
          r["point"].get<std::string>() + "|" + r["workload"].get<std::string>();
      if (rows.count(key)) {
        throw InputError(d + "/results.jsonl: row " + key + " is also in another shard");
      }
      rows[key] = std::move(r);
    }
  }
  for (int i = 0; i < count; ++i) {
    if (!shards.count(i)) {
      throw InputError("shard " + std::to_string(i) + "/" + std::to_string(count) +
                       " is missing from the directories given");
    }
  }
  // Every planned row, exactly once.
  size_t missing = 0;
  std::string example;
  for (const auto& id : first["point_ids"]) {
    for (const auto& w : first["workloads"]) {
      const std::string key = id.get<std::string>() + "|" + w.get<std::string>();
      if (!rows.count(key)) {
        if (example.empty()) example = key;
        ++missing;
      }
    }
  }
  if (missing > 0) {
    throw InputError(std::to_string(missing) + " planned rows have no result (e.g. " + example +
                     "): finish the shards with 'strata sweep ... --resume' first");
  }
  std::vector<nlohmann::json> all;
  std::string jsonl;
  for (const auto& [key, r] : rows) {
    jsonl += json_text(r) + "\n";
    all.push_back(r);
  }
  nlohmann::json merged = first;
  merged["shard"] = "0/1";
  merged["merged_from"] = dirs;
  const std::string out = vm["out"].as<std::string>();
  prepare_output_dir(out);
  std::vector<std::string> axes;
  for (const auto& a : first["axes"]) axes.push_back(a.get<std::string>());
  write_outputs_atomically(out, {{"sweep.json", json_text(merged, 1) + "\n"},
                                 {"results.jsonl", jsonl},
                                 {"results.csv", sweep_csv(all, axes)}});
  std::cerr << "strata merge: " << rows.size() << " rows from " << dirs.size() << " shards -> "
            << out << "/results.csv\n";
  return 0;
}

}  // namespace strata
