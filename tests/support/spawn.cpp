#include "support/spawn.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace strata::test {

namespace {

SpawnResult spawn(const std::vector<std::string>& argv_strings, const std::string& cwd,
                  const std::string& stdout_path, const std::string& stderr_path) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    dup2(out, 1);
    dup2(err, 2);
    dup2(in, 0);
    std::vector<std::string> copy = argv_strings;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  SpawnResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.peak_rss_kib = usage.ru_maxrss;
  return r;
}

}  // namespace

SpawnResult spawn_strata(const std::vector<std::string>& args, const std::string& cwd,
                         const std::string& stdout_path, const std::string& stderr_path) {
  std::vector<std::string> argv = {STRATA_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(argv, cwd, stdout_path, stderr_path);
}

SpawnResult spawn_shell(const std::string& command, const std::string& cwd,
                        const std::string& stdout_path, const std::string& stderr_path) {
  return spawn({"/bin/bash", "-c", command}, cwd, stdout_path, stderr_path);
}

SpawnResult spawn_strata_median(const std::vector<std::string>& args, const std::string& cwd,
                                int runs) {
  std::vector<double> walls;
  SpawnResult r;
  for (int i = 0; i < runs; ++i) {
    const SpawnResult s = spawn_strata(args, cwd, "/dev/null", "/dev/stderr");
    if (s.exit_code != 0) {
      r.exit_code = s.exit_code;
      return r;
    }
    walls.push_back(s.wall_s);
    r.peak_rss_kib = std::max(r.peak_rss_kib, s.peak_rss_kib);
  }
  std::sort(walls.begin(), walls.end());
  r.exit_code = 0;
  r.wall_s = walls.empty() ? 0 : walls[walls.size() / 2];
  return r;
}

}  // namespace strata::test
