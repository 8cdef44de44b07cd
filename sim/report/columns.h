#pragma once
// The report's columns, declared once (name, unit, description, getter). report.json's layer and
// totals objects, layers.csv, a sweep's rows (results.jsonl and results.csv) and strata compare
// are all written from these lists, so a column cannot shift or go missing in one writer only.
// docs/reports.md documents every column (a test checks it).
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/report/column_schema.h"
#include "sim/run/simulation.h"

namespace strata {

// What one row of a run's report is computed from.
struct RowContext {
  const PreparedRun& run;
  const RunResult& result;
  const IntervalResult& interval;
  const Layer* layer;  // null for the totals
  size_t index;        // the layer's index (0 for the totals)
};

using Column = ColumnOf<RowContext>;

// Per layer: report.json layers[] and layers.csv.
const std::vector<Column>& layer_columns();
// The whole inference: report.json totals.
const std::vector<Column>& totals_columns();

// One of the workload's vector layers: report.json vector_layers[] and vector_layers.csv.
struct VectorRowContext {
  const PreparedRun& run;
  const VectorLayer& layer;
  const VectorLayerResult* result;  // null when the vector unit is not simulated
};
using VectorColumn = ColumnOf<VectorRowContext>;
const std::vector<VectorColumn>& vector_layer_columns();

// A design point's figures for sweeps and comparisons, read back from a report.json: every
// totals column, then the hardware's clock, area and leakage.
struct SummaryColumn {
  std::string name, unit, description;
  std::string section;  // where report.json holds it: "totals" or "hardware"
};
const std::vector<SummaryColumn>& summary_columns();

// The value of a summary column in a report; throws std::runtime_error naming the column if the
// report lacks it or `name` is not a summary column.
nlohmann::json summary_value(const nlohmann::json& report, const std::string& name);

// `rows` (objects keyed by column name) as CSV: a header of `names`, then one line per row;
// throws std::runtime_error naming the row and the column if a row lacks one.
std::string rows_csv(const std::vector<std::string>& names, const nlohmann::json& rows);

}  // namespace strata
