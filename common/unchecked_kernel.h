#pragma once
// Hot loops that run without per-access sanitizer checks. In the sanitizer build every load and
// store carries AddressSanitizer's check and every signed add UBSan's, and such loops neither
// vectorize nor stay cheap: the GEMMs were three quarters of a bit-true run, the quantizers most
// of preparing a network. A kernel marked STRATA_UNCHECKED_KERNEL is a plain loop over memory its
// caller checked once, whole (require_addressable below, or a size check against a vector), and
// does arithmetic that cannot overflow. Calls out of a kernel are not inlined into it (the
// sanitizer attributes differ), so a kernel's inner loop calls nothing.
#include <cstddef>
#include <stdexcept>
#include <string>

#if defined(__clang__)
#define STRATA_UNCHECKED_KERNEL __attribute__((no_sanitize("address", "undefined")))
#else
#define STRATA_UNCHECKED_KERNEL
#endif

extern "C" {
// AddressSanitizer's query (a weak reference: null without the sanitizer): the first poisoned
// byte of [begin, begin + size), or null if all of it is addressable.
void* __asan_region_is_poisoned(void* begin, size_t size) __attribute__((weak));
}

namespace strata {

// In the sanitizer build, checks once that all `bytes` from `p` are addressable (the checks the
// kernel's loop does not make); throws std::logic_error naming `what` if not. A no-op otherwise.
inline void require_addressable(const void* p, size_t bytes, const char* what) {
  if (!__asan_region_is_poisoned || bytes == 0) return;
  if (__asan_region_is_poisoned(const_cast<void*>(p), bytes) != nullptr) {
    throw std::logic_error(std::string(what) + ": " + std::to_string(bytes) +
                           " bytes are not all addressable");
  }
}

}  // namespace strata
