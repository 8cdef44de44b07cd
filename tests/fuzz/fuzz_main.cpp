// The fuzz targets' one executable: libFuzzer's entry points, dispatched to the target named by
// the file the process was started as (fuzz_<name>, a symlink; scripts/fuzz.sh runs each).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz_support.h"

namespace strata::fuzz {

std::map<std::string, Target>& targets() {
  static std::map<std::string, Target> all;
  return all;
}

bool register_test(const char* name, TestOneInput f) {
  targets()[name].test = f;
  return true;
}

bool register_mutator(const char* name, CustomMutator f) {
  targets()[name].mutator = f;
  return true;
}

namespace {

const Target* chosen = nullptr;

}  // namespace
}  // namespace strata::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  using namespace strata::fuzz;
  const char* path = *argc > 0 ? (*argv)[0] : "";
  const char* base = std::strrchr(path, '/');
  std::string name = base ? base + 1 : path;
  if (name.rfind("fuzz_", 0) == 0) name = name.substr(5);
  const auto it = targets().find(name);
  if (it == targets().end() || !it->second.test) {
    std::string known;
    for (const auto& [n, t] : targets()) known += " fuzz_" + n;
    std::fprintf(stderr, "strata fuzz: '%s' names no target; run one of:%s\n", path, known.c_str());
    std::exit(1);
  }
  chosen = &it->second;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return strata::fuzz::chosen->test(data, size);
}

// Targets without a mutator of their own get libFuzzer's byte mutations, as they would without
// this function.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  const strata::fuzz::CustomMutator m = strata::fuzz::chosen->mutator;
  return m ? m(data, size, max_size, seed) : LLVMFuzzerMutate(data, size, max_size);
}
