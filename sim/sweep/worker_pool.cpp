#include "sim/sweep/worker_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/report/output_dir.h"
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

namespace {

// A failed job's error: its stderr's last line, without "strata: error: " (the caller adds its
// own context).
std::string job_error(const WorkerJob& job, int exit_code) {
  std::string err;
  try {
    err = read_text_file(job.stderr_path);
  } catch (const std::exception&) {
  }
  while (!err.empty() && err.back() == '\n') err.pop_back();
  const size_t last = err.rfind('\n');
  if (last != std::string::npos) err = err.substr(last + 1);
  const std::string prefix = "strata: error: ";
  if (err.rfind(prefix, 0) == 0) err = err.substr(prefix.size());
  if (err.empty()) {
    err = exit_code < 0 ? "the worker died of signal " + std::to_string(-exit_code) + " (" +
                              strsignal(-exit_code) + "), twice (it was retried once)"
                        : "worker exited with code " + std::to_string(exit_code);
  }
  return err;
}

// The environment of every worker: this process's, with the pool's pid (worker_dies_with_parent).
class WorkerEnvironment {
 public:
  WorkerEnvironment() {
    for (char** e = environ; *e; ++e) {
      if (std::string(*e).rfind(std::string(kWorkerParentEnv) + "=", 0) != 0)
        strings_.push_back(*e);
    }
    strings_.push_back(std::string(kWorkerParentEnv) + "=" + std::to_string(getpid()));
    for (auto& e : strings_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
  }
  char* const* envp() { return envp_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> envp_;
};

// One `strata worker` process: jobs go down its stdin as JSON lines, "exit <code>" lines come
// back on its stdout.
struct PersistentWorker {
  pid_t pid = -1;
  int to = -1, from = -1;
  std::string received;
  long job = -1;  // the job it runs, -1 when idle
};

void start_worker(const std::string& self, char* const* envp, PersistentWorker* w) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("cannot create a pipe to a worker");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    throw std::runtime_error("cannot create a pipe from a worker");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string program = self, command = "worker";
  char* argv[] = {program.data(), command.data(), nullptr};
  const int rc = posix_spawn(&w->pid, self.c_str(), &actions, nullptr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    throw std::runtime_error("cannot start a worker process (" + self + ")");
  }
  w->to = in[1];
  w->from = out[0];
  w->received.clear();
  w->job = -1;
}

// Ends a worker: EOF on its stdin (or a kill), then its exit status.
int stop_worker(PersistentWorker* w, bool kill_it) {
  if (w->pid < 0) return 0;
  if (kill_it) kill(w->pid, SIGKILL);
  if (w->to >= 0) close(w->to);
  if (w->from >= 0) close(w->from);
  int status = 0;
  waitpid(w->pid, &status, 0);
  *w = PersistentWorker{};
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// The jobs still to start, in order, with those whose worker died in them once put first again:
// a worker that dies in a job (a crash, a kill -9, the OOM killer) is not the job's fault by
// itself, so the job runs once more in a fresh worker and fails only if that one dies too.
class JobQueue {
 public:
  explicit JobQueue(size_t jobs) : count_(jobs), retried_(jobs, false) {}
  bool empty() const { return retry_.empty() && next_ >= count_; }
  size_t take() {
    if (retry_.empty()) return next_++;
    const size_t job = retry_.front();
    retry_.pop_front();
    return job;
  }
  // True if the job is queued again (its first death); false on its second.
  bool retry(size_t job) {
    if (retried_[job]) return false;
    retried_[job] = true;
    retry_.push_back(job);
    return true;
  }

 private:
  size_t count_, next_ = 0;
  std::deque<size_t> retry_;
  std::vector<bool> retried_;
};

void run_persistent_workers(const std::string& self, const std::vector<WorkerJob>& jobs,
                            int parallel, const std::function<void(const WorkerResult&)>& on_done,
                            const std::function<bool()>& keep_going) {
  WorkerEnvironment env;
  std::vector<PersistentWorker> workers(static_cast<size_t>(parallel));
  // A worker that dies while a job is sent must not kill the pool with SIGPIPE.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  struct Cleanup {
    std::vector<PersistentWorker>& workers;
    struct sigaction previous;
    bool normal = false;
    ~Cleanup() {
      for (auto& w : workers) stop_worker(&w, !normal);
      sigaction(SIGPIPE, &previous, nullptr);
    }
  } cleanup{workers, previous};
  JobQueue queue(jobs.size());
  auto finish = [&](PersistentWorker& w, int exit_code) {
    WorkerResult r;
    r.index = static_cast<size_t>(w.job);
    r.exit_code = exit_code;
    if (exit_code != 0) r.error = job_error(jobs[r.index], exit_code);
    w.job = -1;
    on_done(r);
  };
  // A worker gone with its job: the job fails with its exit status (at least 1).
  auto fail_job = [&](PersistentWorker& w, bool kill_it) {
    const long job = w.job;
    const int code = stop_worker(&w, kill_it);
    if (queue.retry(static_cast<size_t>(job))) return;
    w.job = job;
    finish(w, code != 0 ? code : 1);
  };
  for (;;) {
    for (auto& w : workers) {
      if (w.job >= 0 || queue.empty() || (keep_going && !keep_going())) continue;
      if (w.pid < 0) start_worker(self, env.envp(), &w);
      const size_t job = queue.take();
      const nlohmann::json line = {{"args", jobs[job].args}, {"stderr", jobs[job].stderr_path}};
      w.job = static_cast<long>(job);
      if (write_fully(w.to, line.dump() + "\n") != 0) fail_job(w, true);  // it died before the job
    }
    std::vector<pollfd> fds;
    std::vector<PersistentWorker*> polled;
    for (auto& w : workers) {
      if (w.job < 0) continue;
      fds.push_back({w.from, POLLIN, 0});
      polled.push_back(&w);
    }
    if (fds.empty()) {
      if (!queue.empty() && (!keep_going || keep_going())) continue;
      break;
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("lost track of the worker processes");
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      PersistentWorker& w = *polled[i];
      char buffer[256];
      const ssize_t n = read(w.from, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        // The worker died in its job (a crash, a signal): the job failed; a new worker takes the
        // next one.
        fail_job(w, false);
        continue;
      }
      w.received.append(buffer, static_cast<size_t>(n));
      size_t end;
      while ((end = w.received.find('\n')) != std::string::npos) {
        const std::string reply = w.received.substr(0, end);
        w.received.erase(0, end + 1);
        int code = 1;
        if (std::sscanf(reply.c_str(), "exit %d", &code) != 1 || w.job < 0) {
          throw std::runtime_error("a worker answered '" + reply + "'");
        }
        finish(w, code);
      }
    }
  }
  // Every job answered: the workers end at EOF, and must end well (a sanitizer's leak report at
  // exit shows here, not lost).
  cleanup.normal = true;
  for (auto& w : workers) {
    const int code = stop_worker(&w, false);
    if (code != 0) {
      throw std::runtime_error("a strata worker exited with code " + std::to_string(code) +
                               " after its jobs (--process-per-run runs each job alone)");
    }
  }
}

}  // namespace

void run_workers(const std::string& self, const std::vector<WorkerJob>& jobs, int parallel,
                 const std::function<void(const WorkerResult&)>& on_done,
                 const std::function<bool()>& keep_going, bool process_per_job) {
  if (parallel <= 0) parallel = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  if (!process_per_job) {
    run_persistent_workers(self, jobs, parallel, on_done, keep_going);
    return;
  }
  // Workers die with this process (main.cpp): a killed sweep leaves no orphan writing into the
  // output directory that a resume is cleaning.
  WorkerEnvironment env;
  std::map<pid_t, size_t> running;
  JobQueue queue(jobs.size());  // a job killed by a signal once runs again
  while (!queue.empty() || !running.empty()) {
    while (static_cast<int>(running.size()) < parallel && !queue.empty() &&
           (!keep_going || keep_going())) {
      const size_t index = queue.take();
      const WorkerJob& job = jobs[index];
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
      const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), env.envp());
      posix_spawn_file_actions_destroy(&actions);
      if (rc != 0) throw std::runtime_error("cannot start a worker process (" + self + ")");
      running[pid] = index;
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
    if (r.exit_code < 0 && queue.retry(r.index)) continue;
    if (r.exit_code != 0) r.error = job_error(jobs[r.index], r.exit_code);
    on_done(r);
  }
}

}  // namespace strata
