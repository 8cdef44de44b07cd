#pragma once
// Runs the strata binary as a user would and captures what it prints.
#include <string>
#include <vector>

namespace strata::test {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

CliResult run_strata(const std::vector<std::string>& args,
                     const std::string& cwd = STRATA_SOURCE_DIR);

std::string make_temp_dir();
std::string write_file(const std::string& dir, const std::string& name, const std::string& text);
std::string read_file(const std::string& path);
std::vector<std::string> list_dir(const std::string& dir);

}  // namespace strata::test
