#include "sim/sweep/worker_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "workloads/text_file.h"

extern char** environ;

namespace strata {

void worker_dies_with_parent() {
  const char* parent = std::getenv(kWorkerParentEnv);
  if (!parent || !*parent) return;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != static_cast<pid_t>(std::atol(parent))) _exit(1);  // the pool died first
}

std::string self_executable() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

void run_workers(const std::string& self, const std::vector<WorkerJob>& jobs, int parallel,
                 const std::function<void(const WorkerResult&)>& on_done,
                 const std::function<bool()>& keep_going) {
  if (parallel <= 0) parallel = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  // Workers die with this process (main.cpp): a killed sweep leaves no orphan writing into the
  // output directory that a resume is cleaning.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind(std::string(kWorkerParentEnv) + "=", 0) != 0)
      env_strings.push_back(*e);
  }
  env_strings.push_back(std::string(kWorkerParentEnv) + "=" + std::to_string(getpid()));
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::map<pid_t, size_t> running;
  size_t next = 0;
  while (next < jobs.size() || !running.empty()) {
    while (static_cast<int>(running.size()) < parallel && next < jobs.size() &&
           (!keep_going || keep_going())) {
      const WorkerJob& job = jobs[next];
      std::vector<std::string> args = job.args;
      args.insert(args.begin(), self);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 2, job.stderr_path.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
      pid_t pid = 0;
      const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), envp.data());
      posix_spawn_file_actions_destroy(&actions);
      if (rc != 0) throw std::runtime_error("cannot start a worker process (" + self + ")");
      running[pid] = next++;
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) throw std::runtime_error("lost track of the worker processes");
    auto it = running.find(pid);
    if (it == running.end()) continue;
    WorkerResult r;
    r.index = it->second;
    running.erase(it);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    if (r.exit_code != 0) {
      std::string err;
      try {
        err = read_text_file(jobs[r.index].stderr_path);
      } catch (const std::exception&) {
      }
      while (!err.empty() && err.back() == '\n') err.pop_back();
      // The worker's last line, without its "strata: error: ": the caller adds its own context.
      const size_t last = err.rfind('\n');
      if (last != std::string::npos) err = err.substr(last + 1);
      const std::string prefix = "strata: error: ";
      if (err.rfind(prefix, 0) == 0) err = err.substr(prefix.size());
      if (err.empty()) err = "worker exited with code " + std::to_string(r.exit_code);
      r.error = err;
    }
    on_done(r);
  }
}

}  // namespace strata
