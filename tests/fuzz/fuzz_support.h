#pragma once
// Shared by the libFuzzer targets (one per input parser, docs/reliability.md). A target feeds
// the input to the parser's own function: an InputError is the expected answer to bad input;
// any other exception escapes, terminates the process and is a finding, as are crashes,
// sanitizer reports, hangs (-timeout) and memory blow-ups (-rss_limit_mb).
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/input_error.h"

namespace strata::fuzz {

inline std::string input_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A scratch directory for the process (targets whose parser reads files).
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* root = std::getenv("TMPDIR");
    std::string tmpl = std::string(root && *root ? root : "/tmp") + "/strata_fuzz_XXXXXX";
    const char* d = mkdtemp(tmpl.data());
    if (!d) std::abort();
    return std::string(d);
  }();
  // Gone with the process; registered after `dir` exists, so it runs before `dir` is freed.
  static const int registered = std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  });
  (void)registered;
  return dir;
}

inline std::string write_scratch(const std::string& name, const std::string& text) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

template <class Fn>
int expect_input_errors_only(Fn&& fn) {
  try {
    fn();
  } catch (const InputError&) {
  }
  return 0;
}

}  // namespace strata::fuzz
