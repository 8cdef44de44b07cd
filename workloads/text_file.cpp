#include "workloads/text_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/input_error.h"

namespace strata {

int64_t input_file_size(const std::string& path, int64_t max_bytes) {
  if (path.find('\0') != std::string::npos) {
    throw InputError("a file name holds a NUL byte; expected a path");
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    throw InputError(path + ": cannot open: " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) throw InputError(path + ": is a directory; expected a file");
  if (!S_ISREG(st.st_mode)) {
    throw InputError(path + ": not a regular file (a FIFO, socket or device); expected a file");
  }
  if (st.st_size > max_bytes) {
    throw InputError(path + ": " + std::to_string(st.st_size) + " bytes, larger than the " +
                     std::to_string(max_bytes) + " bytes strata reads from one file");
  }
  return static_cast<int64_t>(st.st_size);
}

std::string read_text_file(const std::string& path, int64_t max_bytes) {
  const int64_t size = input_file_size(path, max_bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  // One allocation of the file's size (weight shards run to tens of MB).
  std::string bytes(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(bytes.data(), size))
    throw InputError(path + ": read failed (the file shrank while it was read?)");
  return bytes;
}

std::string base_name_without_extension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

}  // namespace strata
