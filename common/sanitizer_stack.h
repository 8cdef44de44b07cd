#pragma once
// After a SystemC simulation, tells AddressSanitizer that the main thread runs on its own stack
// again. libsystemc annotates its coroutine switches for the sanitizers (weak
// __sanitizer_*_switch_fiber calls), but the bounds it leaves recorded for the main thread are
// those of the last coroutine stack it ran; by exit that stack may be unmapped or partly guard
// pages, and LeakSanitizer's at-exit scan of it faults on some kernels ("Tracer caught signal
// 11"). Re-announcing the main thread's real stack lets LeakSanitizer scan what it should.
// Without it, an exception thrown after sc_start (an unwritable output, say) also makes
// AddressSanitizer print "False positive error reports may follow", as it sees the throw outside
// the stack it knows. Call it on the main stack after every sc_start and after sc_elab_and_sim
// returns; a no-op without sanitizers.
#include <pthread.h>

#include <cstddef>

extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size)
    __attribute__((weak));
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old,
                                     size_t* size_old) __attribute__((weak));
}

namespace strata {

inline void restore_main_stack_for_sanitizers() {
  if (!__sanitizer_start_switch_fiber || !__sanitizer_finish_switch_fiber) return;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  const int got = pthread_attr_getstack(&attr, &bottom, &size);
  pthread_attr_destroy(&attr);
  if (got != 0) return;
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

}  // namespace strata
