// The README's quick start works as written: every command of its code blocks runs, in order, as
// a newcomer would type it in the repository, with a fresh output directory.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "support/spawn.h"

namespace fs = std::filesystem;
using strata::test::make_temp_dir;
using strata::test::read_file;

namespace {

using strata::test::kSourceDir;

// The commands of the fenced sh blocks under "## Quick start", continuation lines joined and
// trailing comments dropped.
std::vector<std::string> quick_start_commands() {
  const std::string readme = read_file((kSourceDir / "README.md").string());
  const size_t start = readme.find("\n## Quick start");
  EXPECT_NE(start, std::string::npos) << "README.md has no '## Quick start' section";
  const size_t end = readme.find("\n## ", start + 1);
  const std::string section = readme.substr(start, end - start);
  std::vector<std::string> commands;
  bool in_block = false;
  std::string pending;
  size_t pos = 0;
  while (pos < section.size()) {
    const size_t eol = std::min(section.find('\n', pos), section.size());
    std::string line = section.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block;
      continue;
    }
    if (!in_block) continue;
    const size_t comment = line.find(" #");
    if (comment != std::string::npos) line = line.substr(0, comment);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    line = pending + line;
    pending.clear();
    const size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) commands.push_back(line.substr(first));
  }
  return commands;
}

TEST(Readme, QuickStartCommandsRunInOrderOnAFreshOutputDirectory) {
  // The README's commands build and use <repository>/build: run them only from that build.
  const fs::path binary_dir = fs::path(STRATA_BINARY).parent_path().parent_path();
  if (fs::weakly_canonical(binary_dir) != fs::weakly_canonical(kSourceDir / "build")) {
    GTEST_SKIP() << "the README's commands use build/; this build is " << binary_dir.string();
  }
  const std::vector<std::string> commands = quick_start_commands();
  ASSERT_GE(commands.size(), 10u);
  // A checkout whose out/ is new: every entry of the repository but out/ (and version control).
  const std::string checkout = make_temp_dir();
  for (const auto& entry : fs::directory_iterator(kSourceDir)) {
    const std::string name = entry.path().filename().string();
    if (name == "out" || name == ".git") continue;
    fs::create_directory_symlink(entry.path(), fs::path(checkout) / name);
  }
  const std::string logs = make_temp_dir();
  bool ran_test_command = false;
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string& command = commands[i];
    if (command == "bash scripts/test.sh") {
      // The suite itself: CI runs exactly this command (.ci/run), so it cannot run inside it.
      EXPECT_NE(read_file((kSourceDir / ".ci/run").string()).find("\nbash scripts/test.sh\n"),
                std::string::npos)
          << ".ci/run does not run the README's test command";
      ran_test_command = true;
      continue;
    }
    const std::string out = logs + "/" + std::to_string(i) + ".out";
    const std::string err = logs + "/" + std::to_string(i) + ".err";
    const auto result = strata::test::spawn_shell(command, checkout, out, err);
    // Each command's time, in the test's output (ctest -V): where the quick start spends it.
    std::printf("README command %zu: %.1f s: %s\n", i, result.wall_s, command.c_str());
    EXPECT_EQ(result.exit_code, 0) << "README command failed: " << command << "\n"
                                   << read_file(err).substr(0, 2000);
    // Whatever it names after --out exists now, inside the fresh out/.
    const size_t flag = command.find("--out ");
    if (result.exit_code == 0 && flag != std::string::npos) {
      const std::string target = command.substr(flag + 6, command.find(' ', flag + 6) - flag - 6);
      EXPECT_TRUE(fs::exists(fs::path(checkout) / target)) << command << ": no " << target;
    }
  }
  EXPECT_TRUE(ran_test_command) << "the README's quick start lost its test command";
  EXPECT_TRUE(fs::exists(fs::path(checkout) / "out/resnet18/report.json"))
      << "the quick start's main job did not write out/resnet18/report.json";
}

}  // namespace
