#pragma once
// What strata pipeline writes (docs/pipeline.md lists every field): pipeline_report.json,
// frames.csv (one row per job: per node and per frame), trace.json (Chrome trace events, for
// Perfetto or chrome://tracing) and the resolved config.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/pipeline/pipeline_run.h"
#include "sim/report/column_schema.h"
#include "sim/report/output_dir.h"

namespace strata {

// frames.csv's columns, declared once through the report column schema: the CSV, the trace's
// job arguments and docs/pipeline.md use this list.
std::vector<ColumnInfo> job_column_info();

nlohmann::json pipeline_report(const PreparedPipeline& prepared, const PipelineResult& result);
std::string frames_csv(const PreparedPipeline& prepared, const PipelineResult& result);
std::string chrome_trace(const PreparedPipeline& prepared, const PipelineResult& result);
// Every output file, ready for write_outputs_atomically.
std::vector<OutputFile> pipeline_outputs(const PreparedPipeline& prepared,
                                         const PipelineResult& result);
// A few lines for the terminal.
std::string pipeline_summary(const nlohmann::json& report);

}  // namespace strata
