#pragma once
// The one column mechanism of every report strata writes: a column is declared once (name, unit,
// description, getter) and every writer of its rows (JSON objects, CSV files, docs tables,
// `strata columns`) iterates the same list, so a column cannot shift or go missing in one writer
// only. The run report's columns are in columns.h; the pipeline's and sync's beside their
// reports.
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/report/csv.h"

namespace strata {

// A column of rows computed from a `Context`.
template <class Context>
struct ColumnOf {
  std::string name, unit, description;
  std::function<nlohmann::json(const Context&)> get;
  bool nullable = false;  // may be null (a figure only some modes compute); else never null
};
// A column's name, unit and description, as docs and `strata columns` list them.
struct ColumnInfo {
  std::string name, unit, description;
};
template <class C>
std::vector<ColumnInfo> column_info(const std::vector<C>& columns) {
  std::vector<ColumnInfo> v;
  for (const auto& c : columns) v.push_back({c.name, c.unit, c.description});
  return v;
}

// The column called `name`; throws std::logic_error if the list has none.
template <class C>
const C& column_named(const std::vector<C>& columns, const std::string& name) {
  for (const auto& c : columns) {
    if (c.name == name) return c;
  }
  throw std::logic_error("no report column '" + name + "'");
}

template <class C>
std::vector<std::string> column_names(const std::vector<C>& columns) {
  std::vector<std::string> n;
  for (const auto& c : columns) n.push_back(c.name);
  return n;
}

// One row's object, every column by name; throws std::logic_error naming the column and `row`
// if a column that may not be null has no value.
template <class Context>
nlohmann::json row_object(const std::vector<ColumnOf<Context>>& columns, const Context& context,
                          const std::string& row) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& c : columns) {
    nlohmann::json v = c.get(context);
    if (v.is_null() && !c.nullable) {
      throw std::logic_error("report column '" + c.name + "' has no value for " + row);
    }
    j[c.name] = std::move(v);
  }
  return j;
}

// A CSV file: a header of the columns' names, then one line per context, each value as
// csv_escape writes it (null: an empty field). Throws as row_object does.
template <class Context>
std::string csv_table(const std::vector<ColumnOf<Context>>& columns,
                      const std::vector<Context>& rows) {
  std::string out = csv_line(column_names(columns));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> fields;
    for (const auto& c : columns) {
      nlohmann::json v = c.get(rows[i]);
      if (v.is_null() && !c.nullable) {
        throw std::logic_error("report column '" + c.name + "' has no value for row " +
                               std::to_string(i));
      }
      fields.push_back(csv_escape(v));
    }
    out += csv_line(fields);
  }
  return out;
}

}  // namespace strata
