// Start-up of the strata executable: libsystemc's static initializer allocates and clears a 3 MB
// scratch heap (sc_temp_heap) in every process, before main. On 4 KiB pages that is ~770 page
// faults, about 1.5 ms of a 4.5 ms start on a 2-core VM (docs/performance.md). Before any
// library's initializer runs (.preinit_array), this asks glibc's malloc to serve that block from
// the brk heap and advises transparent huge pages for the heap's next few MiB, so the block is
// cleared on a couple of huge pages instead. A hint only: where THP is off, or another malloc is
// in use, nothing changes but where the block lives.
// Not in sanitizer builds (their allocator is not glibc's).
#include <malloc.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define STRATA_NO_STARTUP_HEAP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_NO_STARTUP_HEAP 1
#endif

#ifndef STRATA_NO_STARTUP_HEAP
namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kAdvised = size_t{8} << 20;  // covers the 3 MB block wherever it starts

void* parked = nullptr;  // kept for the process's life

void advise_huge_heap(int, char**, char**) {
  // Large blocks from the brk heap (not mmap), and no trimming of what is freed below: the
  // thresholds glibc's own dynamic rule reaches (at most 32 MiB and twice that) once a program
  // has freed large blocks, as every simulation does; kept for the process's life, so a sweep
  // worker reuses its heap from run to run instead of mapping fresh pages.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  void* block = std::malloc(kAdvised);
  if (!block) return;
  const auto start = reinterpret_cast<uintptr_t>(block);
  const uintptr_t lo = (start + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t hi = (start + kAdvised) & ~(kHugePage - 1);
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  std::free(block);
  // Park the bytes below the first huge page (never touched beyond a header), so the next large
  // block starts on it. glibc's chunk holding n bytes spans n + 8 rounded up to 16.
  if (lo - start > 64) parked = std::malloc(lo - start - 8);
}

__attribute__((section(".preinit_array"),
               used)) void (*const kAdviseHugeHeap)(int, char**, char**) = advise_huge_heap;

}  // namespace
#endif
