#pragma once
// Starts the strata binary as a separate process, as a user or a sweep worker would.
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

}  // namespace strata::test
