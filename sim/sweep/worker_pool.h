#pragma once
// Runs `strata` subcommands in worker processes, several at a time. By default each worker is a
// `strata worker` that runs job after job, each in a fresh SystemC simulation context
// (sim/run/sim_context.h); `process_per_job` starts one process per job instead. Each job's stderr
// goes to a file; the callback sees each job as it ends, in completion order. A worker that dies
// in a job fails that job alone: a new worker takes the next.
#include <functional>
#include <string>
#include <vector>

namespace strata {

struct WorkerJob {
  std::vector<std::string> args;  // after the program name: {"run", "--config", ...}
  std::string stderr_path;        // where the job's stderr goes
};

struct WorkerResult {
  size_t index = 0;   // into the job list
  int exit_code = 0;  // -signal when killed
  std::string error;  // the job's stderr, trailing newlines removed (empty on success)
};

// Runs `program` once per job, at most `parallel` at a time (0: all cores); `on_done` runs in this
// process as each ends. If `keep_going` returns false, no further jobs start (running ones finish).
// Set in each worker's environment to the pool's pid; a worker seeing it dies with the pool
// (worker_dies_with_parent()).
constexpr const char* kWorkerParentEnv = "STRATA_WORKER_PARENT";

// In a worker: asks the kernel to kill this process when the pool that started it dies, and exits
// at once if it already has. Does nothing outside a pool.
void worker_dies_with_parent();

void run_workers(const std::string& program, const std::vector<WorkerJob>& jobs, int parallel,
                 const std::function<void(const WorkerResult&)>& on_done,
                 const std::function<bool()>& keep_going = nullptr, bool process_per_job = false);

// This executable's path, for spawning workers of the same build.
std::string self_executable();

}  // namespace strata
