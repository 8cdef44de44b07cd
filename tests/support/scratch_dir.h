#pragma once
// Scratch directories for tests, under $TMPDIR (else /tmp), each removed when the test process
// exits. scripts/test.sh runs the suite with TMPDIR set to an empty directory and fails if
// anything is left in it.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::test {

inline std::string scratch_root() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

inline std::string make_scratch_dir(const std::string& prefix) {
  static std::vector<std::string> made;
  // Registered after `made` exists, so it runs before `made` is destroyed.
  static const int registered = std::atexit([] {
    std::error_code ec;
    for (const auto& d : made) std::filesystem::remove_all(d, ec);
  });
  (void)registered;
  std::string tmpl = scratch_root() + "/" + prefix + "XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create " + tmpl);
  made.push_back(tmpl);
  return tmpl;
}

}  // namespace strata::test
