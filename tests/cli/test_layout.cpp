// The source tree's layering (docs/architecture.md, "What may include what"): every include of a
// strata header runs down the floors, and inside a floor down its folders' levels, never up.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "tests/cli/cli_runner.h"

namespace strata::test {
namespace {

// floor -> its level; inside a floor, folder -> its level ("" = the floor's root files). A file
// may include its own folder, or a folder of a lower level (a lower floor: any of its folders).
const std::map<std::string, int> kFloors = {
    {"common", 0}, {"workloads", 1}, {"hw_models", 2}, {"sim", 3}, {"python", 4}};
const std::map<std::string, std::map<std::string, int>> kFolders = {
    {"workloads",
     {{"quant", 0},
      {"mapping", 0},
      {"", 1},
      {"weights", 2},
      {"onnx", 2},
      {"optics", 2},
      {"zoo", 2},
      {"trace", 3},
      {"functional", 3},
      {"models", 4},
      {"front_end", 5}}},
    {"hw_models",
     {{"common", 0},
      {"array", 1},
      {"memory", 1},
      {"vector", 1},
      {"sensor", 1},
      {"mapping", 2},
      {"soc", 3},
      {"timesync", 4},
      {"pipeline", 4}}},
    {"sim",
     {{"config", 0},
      {"energy", 1},
      {"run", 2},
      {"report", 3},
      {"sweep", 4},
      {"sync", 4},
      {"pipeline", 5},
      {"cli", 6}}},
};

struct Place {
  std::string floor, folder;
};

// "sim/run/x.h" -> {"sim", "run"}; "workloads/layer.h" -> {"workloads", ""}.
Place place_of(const std::string& path) {
  const size_t slash = path.find('/');
  const std::string floor = path.substr(0, slash);
  const std::string rest = path.substr(slash + 1);
  const size_t next = rest.find('/');
  return {floor, next == std::string::npos ? "" : rest.substr(0, next)};
}

TEST(Layout, IncludesRunDownTheFloorsAndTheirFolders) {
  const std::regex include_line("^#include \"([a-z_]+/[^\"]+)\"");
  int files = 0, includes = 0;
  for (const auto& [floor, level] : kFloors) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kSourceDir / floor)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      const std::string rel = std::filesystem::relative(entry.path(), kSourceDir).string();
      const Place from = place_of(rel);
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, include_line)) continue;
        const Place to = place_of(m[1].str());
        if (!kFloors.count(to.floor)) continue;  // a third-party path such as "tlm_utils/..."
        ++includes;
        EXPECT_LE(kFloors.at(to.floor), level) << rel << " includes " << m[1] << ": a floor up";
        if (to.floor != from.floor || to.folder == from.folder || !kFolders.count(floor)) continue;
        const auto& folders = kFolders.at(floor);
        ASSERT_TRUE(folders.count(from.folder)) << rel << ": folder not in the layering table";
        ASSERT_TRUE(folders.count(to.folder)) << m[1] << ": folder not in the layering table";
        EXPECT_LT(folders.at(to.folder), folders.at(from.folder))
            << rel << " includes " << m[1] << ": not a lower level of " << floor << "/";
      }
    }
  }
  EXPECT_GT(files, 250);
  EXPECT_GT(includes, 600);
}

}  // namespace
}  // namespace strata::test
