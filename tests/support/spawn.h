#pragma once
// Starts the strata binary (or a shell command) as a separate process, as a user or a sweep
// worker would.
#include <string>
#include <vector>

namespace strata::test {

struct SpawnResult {
  int exit_code = -1;  // 128 + signal if killed
  double wall_s = 0;
  long peak_rss_kib = 0;
};

// stdout/stderr go to the given files ("/dev/null" to discard); stdin is /dev/null.
SpawnResult spawn_strata(const std::vector<std::string>& args, const std::string& cwd,
                         const std::string& stdout_path, const std::string& stderr_path);

// `runs` runs of the same command: the median wall time and the largest peak memory; exit_code is
// the first non-zero one (the runs stop there), else 0.
SpawnResult spawn_strata_median(const std::vector<std::string>& args, const std::string& cwd,
                                int runs);

// Runs `command` with bash -c in `cwd`, as a user types it at a shell.
SpawnResult spawn_shell(const std::string& command, const std::string& cwd,
                        const std::string& stdout_path, const std::string& stderr_path);

}  // namespace strata::test
