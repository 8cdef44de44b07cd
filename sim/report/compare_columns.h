#pragma once
// strata compare's rows, one per (design, workload): the columns declared once, for compare.csv
// and the terminal tables alike (docs/reports.md lists them: strata columns --compare).
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/report/column_schema.h"

namespace strata {

struct CompareRow {
  std::string design, config, workload;
  const nlohmann::json* report;    // this design's report.json
  const nlohmann::json* baseline;  // the baseline's on the same workload
};

// Through the report column schema: a figure only --inputs or a prepared workload has is
// nullable, every other one never null.
using CompareColumn = ColumnOf<CompareRow>;

const std::vector<CompareColumn>& compare_columns();

// The value of the column `name` for `row`; throws std::logic_error for an unknown column.
nlohmann::json compare_value(const char* name, const CompareRow& row);

}  // namespace strata
