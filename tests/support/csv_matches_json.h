#pragma once
// Checks a CSV table against JSON rows of the same data: every row has the header's width and
// every column equals the JSON field of the same name (numbers by value, null as empty).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sim/sweep/pareto.h"

namespace strata::test {

// `field_of(row, column)` gives the JSON value a CSV column stands for in `row`.
template <class FieldOf>
void expect_csv_matches_json(const std::string& csv, const nlohmann::json& rows, FieldOf field_of) {
  const CsvTable t = parse_csv(csv, "table.csv");
  ASSERT_EQ(t.rows.size(), rows.size());
  for (size_t r = 0; r < t.rows.size(); ++r) {
    ASSERT_EQ(t.rows[r].size(), t.header.size()) << "row " << r + 1;
    for (size_t c = 0; c < t.header.size(); ++c) {
      const std::string& name = t.header[c];
      const std::string& cell = t.rows[r][c];
      const nlohmann::json v = field_of(rows[r], name);
      if (v.is_null()) {
        EXPECT_EQ(cell, "") << name << " row " << r + 1;
      } else if (v.is_number()) {
        ASSERT_FALSE(cell.empty()) << name << " row " << r + 1;
        EXPECT_EQ(std::stod(cell), v.get<double>()) << name << " row " << r + 1;
      } else if (v.is_string()) {
        EXPECT_EQ(cell, v.get<std::string>()) << name << " row " << r + 1;
      } else {
        ADD_FAILURE() << name << ": not a scalar in the JSON rows";
      }
    }
  }
}

}  // namespace strata::test
