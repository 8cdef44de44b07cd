#pragma once
// The strata command line: thin wrappers over the library. Exit codes: 0 success, 2 bad input
// (one-line message on stderr), 1 internal error.
namespace strata {

int cli_main(int argc, char** argv);

}  // namespace strata
