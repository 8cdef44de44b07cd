#include "cli/cli_runner.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/scratch_dir.h"
#include "support/spawn.h"

namespace strata::test {

std::string make_temp_dir() {
  // Every scratch directory goes when the test process exits (ctest runs one test a process).
  return make_scratch_dir("strata_cli_test_");
}

std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

CliResult run_strata(const std::vector<std::string>& args, const std::string& cwd) {
  const std::string io = make_temp_dir();
  const std::string out_path = io + "/stdout", err_path = io + "/stderr";
  CliResult r;
  r.exit_code = spawn_strata(args, cwd, out_path, err_path).exit_code;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  rmdir(io.c_str());
  return r;
}

void record_bad_input(const std::string& name, const std::vector<std::string>& args,
                      const std::string& message, const std::string& scratch) {
  const char* path = std::getenv("STRATA_BAD_INPUT_CATALOGUE");
  if (!path || !*path) return;
  auto clean = [&](std::string s) {
    if (!scratch.empty()) {
      for (size_t p; (p = s.find(scratch)) != std::string::npos;)
        s.replace(p, scratch.size(), "$D");
    }
    // Other scratch directories of the tests ("$TMPDIR/strata_cli_test_XXXXXX") as $T.
    const std::string temp = scratch_root() + "/strata_cli_test_";
    for (size_t p; (p = s.find(temp)) != std::string::npos;) s.replace(p, temp.size() + 6, "$T");
    const std::string source = STRATA_SOURCE_DIR "/";
    for (size_t p; (p = s.find(source)) != std::string::npos;) s.erase(p, source.size());
    std::string out;
    for (char c : s) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        continue;
      else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
        out += "?";
      else
        out += c;
    }
    return out.size() > 160 ? out.substr(0, 157) + "..." : out;
  };
  std::string command = "strata";
  for (const auto& a : args) command += " " + a;
  std::string msg = message;
  const std::string prefix = "strata: error: ";
  if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
  std::ofstream(path, std::ios::app)
      << "| " << name << " | `" << clean(command) << "` | " << clean(msg) << " |\n";
}

void expect_catalogued(const std::string& name) {
  static const std::string doc = read_file(std::string(STRATA_SOURCE_DIR) + "/docs/reliability.md");
  EXPECT_NE(doc.find("| " + name + " |"), std::string::npos)
      << name << " is not in docs/reliability.md (run scripts/bad_input_catalogue.sh)";
}

}  // namespace strata::test
