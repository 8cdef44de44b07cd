// strata pareto: the Pareto-optimal design points of a sweep's results.csv (docs/sweeps.md).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/report/columns.h"
#include "sim/sweep/pareto.h"
#include "sim/sweep/sweep_runner.h"
#include "workloads/text_file.h"

namespace po = boost::program_options;

namespace strata {

namespace {

// A cycles axis over rows at different clocks ranks designs by a count that is not time: say so
// (the rows are still ranked as asked).
void warn_if_cycles_span_clocks(const CsvTable& t, const std::vector<size_t>& axes,
                                const std::map<std::string, std::vector<ParetoPoint>>& groups) {
  const auto freq = std::find(t.header.begin(), t.header.end(), "freq_mhz");
  if (freq == t.header.end()) return;
  const size_t cf = static_cast<size_t>(freq - t.header.begin());
  for (size_t axis : axes) {
    const auto& summary = summary_columns();
    const bool cycles = std::any_of(summary.begin(), summary.end(), [&](const SummaryColumn& c) {
      return c.name == t.header[axis] && c.unit == "cycles";
    });
    if (!cycles) continue;
    std::set<std::string> clocks;
    for (const auto& [workload, points] : groups) {
      for (const auto& p : points) clocks.insert(t.rows[p.row][cf]);
    }
    if (clocks.size() > 1) {
      std::cerr << "strata pareto: note: " << t.header[axis]
                << " is counted at each design's clock "
                << "and the rows run at " << clocks.size()
                << " clocks (freq_mhz); latency_ms compares their time\n";
    }
  }
}

}  // namespace

int cmd_pareto(const std::vector<std::string>& args) {
  po::options_description opts("strata pareto options");
  opts.add_options()("help,h", "this help")("csv", po::value<std::string>(),
                                            "results.csv of a sweep")(
      "x", po::value<std::string>(), "metric column on the x axis (minimized)")(
      "y", po::value<std::string>(), "metric column on the y axis (minimized)")(
      "maximize-x", "maximize x instead (e.g. tops_per_w)")("maximize-y", "maximize y instead")(
      "workload,w", po::value<std::string>()->default_value(""), "only this workload's rows")(
      "format", po::value<std::string>()->default_value("table"),
      "table (markdown, with the axis values) or csv (workload,point,x,y: for scripts)");
  const po::variables_map vm = parse_options(args, opts, "pareto", "csv", 1);
  if (vm.count("help")) {
    print_command_help("pareto",
                       "strata pareto <results.csv> --x <metric> --y <metric> [--maximize-x] "
                       "[--maximize-y] [--workload <w>] [--format table|csv]",
                       opts, "\nmetric columns: docs/reports.md; sweeps: docs/sweeps.md\n");
    return 0;
  }
  require_options(vm, {"csv", "x", "y"}, "pareto", "csv", "the results.csv file");
  const std::string file = vm["csv"].as<std::string>();
  const CsvTable t = parse_csv(read_text_file(file), file);
  const size_t cx = t.column(vm["x"].as<std::string>(), file);
  const size_t cy = t.column(vm["y"].as<std::string>(), file);
  const size_t cw = t.column("workload", file), cs = t.column("status", file);
  const size_t cp = t.column("point", file);
  // Axis columns: between status and the first metric.
  const size_t first_metric = t.column("macs", file);
  std::map<std::string, std::vector<ParetoPoint>> groups;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    if (r[cs] != "ok") continue;
    if (!vm["workload"].as<std::string>().empty() && r[cw] != vm["workload"].as<std::string>())
      continue;
    ParetoPoint p;
    p.row = i;
    try {
      size_t ux = 0, uy = 0;
      p.x = std::stod(r[cx], &ux);
      p.y = std::stod(r[cy], &uy);
      if (ux != r[cx].size() || uy != r[cy].size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw InputError(file + ":" + std::to_string(i + 2) + ": " + t.header[cx] + "/" +
                       t.header[cy] + " must be numbers, got '" + r[cx] + "', '" + r[cy] + "'");
    }
    groups[r[cw]].push_back(p);
  }
  if (groups.empty()) throw InputError(file + ": no successful rows to compare");
  warn_if_cycles_span_clocks(t, {cx, cy}, groups);
  const std::string format = vm["format"].as<std::string>();
  if (format != "table" && format != "csv") {
    throw InputError("--format: expected table or csv, got '" + format + "'");
  }
  if (format == "csv")
    std::cout << "workload,point," << t.header[cx] << "," << t.header[cy] << "\n";
  for (const auto& [workload, points] : groups) {
    if (format == "csv") {
      for (const auto& p :
           pareto_front(points, vm.count("maximize-x") > 0, vm.count("maximize-y") > 0)) {
        char b[96];
        std::snprintf(b, sizeof b, ",%.17g,%.17g\n", p.x, p.y);
        std::cout << csv_escape(workload) << "," << t.rows[p.row][cp] << b;
      }
      continue;
    }
    const auto front = pareto_front(points, vm.count("maximize-x") > 0, vm.count("maximize-y") > 0);
    std::cout << workload << ": " << front.size() << " of " << points.size()
              << " points on the Pareto front (" << t.header[cx]
              << (vm.count("maximize-x") ? " max" : " min") << ", " << t.header[cy]
              << (vm.count("maximize-y") ? " max" : " min") << ")\n\n| point |";
    for (size_t c = cs + 1; c < first_metric; ++c) std::cout << " " << t.header[c] << " |";
    std::cout << " " << t.header[cx] << " | " << t.header[cy] << " |\n|---|";
    for (size_t c = cs + 1; c < first_metric; ++c) std::cout << "---|";
    std::cout << "---|---|\n";
    for (const auto& p : front) {
      const auto& r = t.rows[p.row];
      std::cout << "| " << r[cp] << " |";
      for (size_t c = cs + 1; c < first_metric; ++c) std::cout << " " << r[c] << " |";
      char b[96];
      std::snprintf(b, sizeof b, " %.6g | %.6g |\n", p.x, p.y);
      std::cout << b;
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace strata
