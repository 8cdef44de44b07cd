#pragma once
// The per-inference report: report.json, layers.csv, vector_layers.csv and a readable table
// (docs/reports.md).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/run/simulation.h"

namespace strata {

nlohmann::json report_json(const PreparedRun& run, const RunResult& result);
std::string layers_csv(const nlohmann::json& report);
std::string vector_layers_csv(const nlohmann::json& report);
std::string report_table(const nlohmann::json& report);

}  // namespace strata
