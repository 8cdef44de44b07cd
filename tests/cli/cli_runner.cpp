#include "cli/cli_runner.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/spawn.h"

namespace strata::test {

std::string make_temp_dir() {
  char tmpl[] = "/tmp/strata_cli_test_XXXXXX";
  return mkdtemp(tmpl);
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

}  // namespace strata::test
