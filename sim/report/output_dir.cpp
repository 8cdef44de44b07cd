#include "sim/report/output_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/input_error.h"

namespace strata {

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
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out) {
      cleanup();
      throw InputError(dir + "/" + f.name + ": cannot write: " + std::strerror(errno));
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
