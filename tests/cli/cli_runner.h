#pragma once
// Runs the strata binary as a user would and captures what it prints.
#include <filesystem>
#include <string>
#include <vector>

namespace strata::test {

// The repository the tests read (configs, docs, fetched weights).
inline const std::filesystem::path kSourceDir{STRATA_SOURCE_DIR};
// Photographs Debian's python3-skimage ships: the functional tests' inputs.
inline const std::string kSkimagePhotos = "/usr/lib/python3/dist-packages/skimage/data";

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

// With $STRATA_BAD_INPUT_CATALOGUE set, appends one markdown row (case, command, message) for the
// bad-input catalogue of docs/reliability.md (scripts/bad_input_catalogue.sh); `scratch` in the
// arguments and the message is written as $D.
void record_bad_input(const std::string& name, const std::vector<std::string>& args,
                      const std::string& message, const std::string& scratch);
// The catalogue in docs/reliability.md has a row for this case.
void expect_catalogued(const std::string& name);

}  // namespace strata::test
