#pragma once
// Shared by the libFuzzer targets (one per input parser, docs/reliability.md). A target feeds
// the input to the parser's own function: an InputError is the expected answer to bad input;
// any other exception escapes, terminates the process and is a finding, as are crashes,
// sanitizer reports, hangs (-timeout) and memory blow-ups (-rss_limit_mb).
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "common/input_error.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

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

// Three times in four, a structural edit of the parsed input: `edit(text, rng)` returns the
// edited input, or nothing if it could not parse or edit it; otherwise (and then) libFuzzer's own
// byte mutations. For LLVMFuzzerCustomMutator.
template <class Edit>
size_t structural_or_byte_mutation(uint8_t* data, size_t size, size_t max_size, unsigned seed,
                                   Edit&& edit) {
  std::mt19937 rng(seed);
  if (rng() % 4 != 0) {
    const std::optional<std::string> edited = edit(input_text(data, size), rng);
    if (edited && edited->size() <= max_size) {
      std::copy(edited->begin(), edited->end(), data);
      return edited->size();
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

template <class Fn>
int expect_input_errors_only(Fn&& fn) {
  try {
    fn();
  } catch (const InputError&) {
  }
  return 0;
}

// The targets share one executable (one link and one compile of the headers instead of fifteen);
// each is a symlink fuzz_<name> to it, and fuzz_main.cpp picks the target its name says.
using TestOneInput = int (*)(const uint8_t* data, size_t size);
using CustomMutator = size_t (*)(uint8_t* data, size_t size, size_t max_size, unsigned seed);
struct Target {
  TestOneInput test = nullptr;
  CustomMutator mutator = nullptr;  // null: libFuzzer's byte mutations alone
};
std::map<std::string, Target>& targets();
bool register_test(const char* name, TestOneInput f);
bool register_mutator(const char* name, CustomMutator f);

}  // namespace strata::fuzz

// STRATA_FUZZ_TARGET(npy) { ... } is the target fuzz_npy's LLVMFuzzerTestOneInput(data, size);
// STRATA_FUZZ_MUTATOR(npy) { ... } its LLVMFuzzerCustomMutator(data, size, max_size, seed).
#define STRATA_FUZZ_TARGET(name)                                          \
  static int strata_fuzz_test_##name(const uint8_t* data, size_t size);   \
  [[maybe_unused]] static const bool strata_fuzz_test_registered_##name = \
      strata::fuzz::register_test(#name, strata_fuzz_test_##name);        \
  static int strata_fuzz_test_##name(const uint8_t* data, size_t size)
#define STRATA_FUZZ_MUTATOR(name)                                                       \
  static size_t strata_fuzz_mutator_##name(uint8_t* data, size_t size, size_t max_size, \
                                           unsigned seed);                              \
  [[maybe_unused]] static const bool strata_fuzz_mutator_registered_##name =            \
      strata::fuzz::register_mutator(#name, strata_fuzz_mutator_##name);                \
  static size_t strata_fuzz_mutator_##name(uint8_t* data, size_t size, size_t max_size, \
                                           unsigned seed)
