// strata worker (internal): the persistent worker strata sweep and strata compare start
// (sim/sweep/worker_pool.h). It reads one job per line on stdin, {"args": [...], "stderr":
// "path"}, runs it as `strata <args>` would, in a fresh SystemC simulation context, with its
// stdout discarded and its stderr written to the file, and answers "exit <code>" on its stdout.
// It ends at the end of its input.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/run/sim_context.h"

namespace strata {

namespace {

void flush_all() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace

int cmd_worker(const std::vector<std::string>& args) {
  if (!args.empty()) {
    throw InputError(
        "command line: strata worker takes no arguments (strata sweep and strata compare start "
        "it)");
  }
  // The replies keep the real stdout; every job's stdout goes to /dev/null.
  flush_all();
  const int replies_fd = dup(1);
  const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const int stderr_fd = dup(2);
  if (replies_fd < 0 || null_fd < 0 || stderr_fd < 0) {
    throw std::runtime_error("strata worker: cannot set up its file descriptors");
  }
  FILE* replies = fdopen(replies_fd, "w");
  dup2(null_fd, 1);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::vector<std::string> job;
    std::string stderr_path;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      job = j.at("args").get<std::vector<std::string>>();
      stderr_path = j.at("stderr").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("strata worker: a malformed job: ") + e.what());
    }
    use_fresh_simulation_context();
    // Fault injection for the sweep's tests (docs/reliability.md): the first worker to claim the
    // marker file dies in its job as a `kill -9` would kill it.
    if (const char* marker = std::getenv("STRATA_FAULT_KILL_WORKER")) {
      const std::string claimed = std::string(marker) + ".claimed";
      if (*marker && std::rename(marker, claimed.c_str()) == 0) raise(SIGKILL);
    }
    const int job_stderr =
        open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    flush_all();
    if (job_stderr >= 0) dup2(job_stderr, 2);
    const int code = job_stderr >= 0 ? run_command_line(job) : 1;
    flush_all();
    dup2(stderr_fd, 2);
    if (job_stderr >= 0) close(job_stderr);
    std::fprintf(replies, "exit %d\n", code);
    std::fflush(replies);
  }
  std::fclose(replies);
  return 0;
}

}  // namespace strata
