#pragma once
// Runs a planned sweep (docs/sweeps.md): one `strata run` worker process per (point, workload),
// several at a time; every row is appended to <out>/results.jsonl as one line in one write, so a
// sweep killed at any moment and rerun with `resume` neither loses nor duplicates a row; then
// <out>/results.csv is rewritten, sorted by point id and workload.
#include <functional>
#include <string>

#include "sim/report/csv.h"
#include "sim/sweep/sweep_spec.h"

namespace strata {

struct SweepOptions {
  std::string out_dir;
  std::string program;  // the strata executable the workers run
  int jobs = 0;         // 0: all cores
  bool resume = false;
  int shard_index = 0, shard_count = 1;  // run rows whose index in id order % count == index
  // One worker process per row instead of workers that run row after row (worker_pool.h).
  bool process_per_run = false;
  // Every row runs on these inputs (strata run --inputs); part of the sweep's fingerprint.
  std::string inputs_dir;
  // Called after each finished row: (rows done in this shard, rows in this shard, failed rows).
  std::function<void(size_t, size_t, size_t)> progress;
  // Told before each distinct workload the sweep prepares (warm_workload_cache).
  std::function<void(size_t, const std::string&)> preparing;
};

struct SweepSummary {
  size_t rows = 0;     // in this shard
  size_t resumed = 0;  // already in results.jsonl
  size_t ran = 0;
  size_t failed = 0;              // rows recorded with an error (this run and before)
  size_t prepared_workloads = 0;  // distinct front-end workloads prepared into <out>/cache
};

// Prepares every distinct front-end workload of the plan's points (configs with workload.* keys
// on zoo workloads) once into `cache_dir`; returns how many there are. A request that fails is
// left for its rows to report.
// `preparing` (optional) is told each request before it is prepared (the count so far, and what).
size_t warm_workload_cache(
    const SweepSpec& spec, const SweepPlan& plan, const std::string& cache_dir,
    const std::function<void(size_t, const std::string&)>& preparing = nullptr);

// Parses "i/N" (0 <= i < N); throws InputError naming --shard.
void parse_shard(const std::string& text, int* index, int* count);

SweepSummary run_sweep(const SweepSpec& spec, const SweepPlan& plan, const SweepOptions& options);

// A point as JSON ({"id", "overrides", "axes"}) and back, for a worker (and Python) to make its
// row; point_from_json throws InputError naming `what` on a malformed point.
nlohmann::json point_json(const SweepPoint& point);
SweepPoint point_from_json(const nlohmann::json& j, const std::string& what);

// The figures a row keeps from a report.
nlohmann::json sweep_row(const SweepPoint& point, const std::string& workload,
                         const nlohmann::json& report);

// The row of a point that failed: `error` is the one-line message.
nlohmann::json sweep_error_row(const SweepPoint& point, const std::string& workload,
                               const std::string& error);

// results.csv from results.jsonl rows, sorted by point id then workload; one column per axis key.
std::string sweep_csv(const std::vector<nlohmann::json>& rows,
                      const std::vector<std::string>& axes);

// The rows of a results.jsonl; a last line cut short by a kill is removed from the file.
std::vector<nlohmann::json> read_sweep_rows(const std::string& path);

}  // namespace strata
