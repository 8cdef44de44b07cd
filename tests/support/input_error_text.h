#pragma once
#include <functional>
#include <string>

#include "common/input_error.h"

namespace strata::test {

// The message of the InputError `fn` throws, or "" if it throws none.
inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace strata::test
