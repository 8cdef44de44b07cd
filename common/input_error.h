#pragma once
// The one error type for bad user input (config, workload, CLI). Its message is a single line that
// names the file, key path or line, and what was expected; the CLI prints it and exits with 2.
#include <stdexcept>
#include <string>

namespace strata {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace strata
