#pragma once
// The strata command line: thin wrappers over the library. Exit codes: 0 success, 2 bad input
// (one-line message on stderr), 1 internal error.
#include <string>
#include <vector>

namespace strata {

int cli_main(int argc, char** argv);
int cmd_quantize(const std::vector<std::string>& args);

}  // namespace strata
