#pragma once
// CSV fields and rows for every table strata writes (layers.csv, a sweep's results.csv, strata
// pareto): one escape rule.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace strata {

// A CSV field: strings as they are, numbers as JSON writes them, null as an empty field; quoted
// (with "" escapes) when they hold a comma, a quote or a newline.
std::string csv_escape(const nlohmann::json& v);

// One line: the fields joined by commas, ending in a newline.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace strata
