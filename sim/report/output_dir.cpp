#include "sim/report/output_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/input_error.h"

namespace strata {
namespace {

// The directories prepare_output_dir made, in the order it made them (parents first).
std::vector<std::string>& created_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

// Writes `content` to a new file: 0, or the errno of the failure.
int write_whole_file(const std::string& path, const std::string& content) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno != 0 ? errno : EIO;
  int error = write_fully(fd, content);
  if (close(fd) != 0 && error == 0) error = errno != 0 ? errno : EIO;
  return error;
}

}  // namespace

int write_fully(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 && errno != 0 ? errno : ENOSPC;
    done += static_cast<size_t>(n);
  }
  return 0;
}

void forget_created_output_dirs() { created_dirs().clear(); }

void remove_created_output_dirs() {
  auto& dirs = created_dirs();
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) rmdir(it->c_str());  // only if empty
  dirs.clear();
}

void prepare_output_dir(const std::string& dir) {
  if (dir.empty()) throw InputError("--out: an output directory is required");
  std::string partial;
  size_t start = 0;
  while (start <= dir.size()) {
    const size_t slash = dir.find('/', start);
    partial = dir.substr(0, slash == std::string::npos ? dir.size() : slash);
    if (!partial.empty()) {
      struct stat st {};
      if (stat(partial.c_str(), &st) != 0) {
        if (mkdir(partial.c_str(), 0755) != 0) {
          throw InputError(dir + ": cannot create output directory: " + std::strerror(errno));
        }
        created_dirs().push_back(partial);
      } else if (!S_ISDIR(st.st_mode)) {
        throw InputError(dir + ": output path exists and is not a directory (" + partial + ")");
      }
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    throw InputError(dir + ": output directory is not writable: " + std::strerror(errno));
  }
}

void write_outputs_atomically(const std::string& dir, const std::vector<OutputFile>& files) {
  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) std::remove(t.c_str());
  };
  for (const auto& f : files) {
    const std::string temp = dir + "/." + f.name + ".tmp." + std::to_string(getpid());
    temps.push_back(temp);
    if (const int error = write_whole_file(temp, f.content)) {
      cleanup();
      throw InputError(dir + "/" + f.name + ": cannot write: " + std::strerror(error));
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string final_path = dir + "/" + files[i].name;
    if (std::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      cleanup();
      throw InputError(final_path + ": cannot rename into place: " + std::strerror(errno));
    }
  }
}

}  // namespace strata
