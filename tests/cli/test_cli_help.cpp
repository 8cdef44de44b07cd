// Help behaves the same in every command: --help and -h work, usage lines bracket exactly the
// optional parts, no machine path is shown, short options mean the same everywhere, and a
// misspelled command, option, workload, zoo model or config key gets a suggestion.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_runner.h"

using strata::test::CliResult;
using strata::test::make_temp_dir;
using strata::test::read_file;
using strata::test::run_strata;
using strata::test::write_file;

namespace {

// The commands 'strata --help' lists.
std::vector<std::string> listed_commands() {
  const CliResult r = run_strata({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  std::vector<std::string> names;
  const size_t start = r.out.find("commands:\n");
  const size_t end = r.out.find("\n\n", start);
  const std::regex row(R"(\n  ([a-z]+) )");
  const std::string block = r.out.substr(start + 9, end - start - 9);
  for (auto m = std::sregex_iterator(block.begin(), block.end(), row); m != std::sregex_iterator();
       ++m) {
    names.push_back((*m)[1].str());
  }
  return names;
}

TEST(CliHelp, EveryCommandHasHelpWithAUsageLine) {
  const std::vector<std::string> commands = listed_commands();
  ASSERT_EQ(commands.size(), 14u);
  for (const auto& c : commands) {
    for (const char* flag : {"--help", "-h"}) {
      const CliResult r = run_strata({c, flag});
      EXPECT_EQ(r.exit_code, 0) << c << " " << flag << ": " << r.err;
      EXPECT_EQ(r.out.rfind("usage: strata " + c, 0), 0u) << c << " " << flag << ":\n" << r.out;
      EXPECT_TRUE(r.err.empty()) << c << " " << flag << ": " << r.err;
      // Defaults are named relative to the repository, never by this machine's paths.
      EXPECT_EQ(r.out.find(STRATA_SOURCE_DIR), std::string::npos) << c << ":\n" << r.out;
    }
  }
}

// A value for each placeholder that passes option parsing and fails fast afterwards (a file that
// does not exist, a model that is not in the zoo), so no check here runs a simulation.
std::string fast_failing_value(const std::string& option) {
  static const std::map<std::string, std::string> values = {{"--model", "no_such_model"},
                                                            {"--scheme", "rtn"},
                                                            {"--out", "/nonexistent/o.json"},
                                                            {"--baseline", "/nonexistent.json"},
                                                            {"--config", "/nonexistent.json"},
                                                            {"--workload", "no_such_model"},
                                                            {"--x", "cycles"},
                                                            {"--y", "energy_pj"}};
  const auto it = values.find(option);
  return it == values.end() ? "/nonexistent/file" : it->second;
}

struct UsagePart {
  std::string option;  // "--out", or "" for a positional placeholder
  bool required;
};

// The parts of a usage line outside and inside brackets.
std::vector<UsagePart> usage_parts(const std::string& usage) {
  std::vector<UsagePart> parts;
  int depth = 0;
  std::string token;
  bool after_option = false;
  auto flush = [&] {
    if (token.empty()) return;
    if (token.rfind("--", 0) == 0) {
      parts.push_back({token, depth == 0});
      after_option = true;
    } else if (token[0] == '<' && !after_option) {
      parts.push_back({"", depth == 0});
    } else {
      after_option = false;
    }
    if (token[0] == '<' && after_option) after_option = false;
    token.clear();
  };
  for (char ch : usage) {
    if (ch == '[') {
      flush();
      ++depth;
    } else if (ch == ']') {
      flush();
      --depth;
    } else if (ch == ' ') {
      flush();
    } else {
      token += ch;
    }
  }
  flush();
  return parts;
}

TEST(CliHelp, UsageLinesMarkExactlyTheRequiredOptions) {
  size_t required_checked = 0;
  for (const auto& c : listed_commands()) {
    const CliResult help = run_strata({c, "--help"});
    std::string usage = help.out.substr(0, help.out.find('\n'));
    usage = usage.substr(std::string("usage: strata ").size() + c.size());
    const std::vector<UsagePart> parts = usage_parts(usage);
    // Everything unbracketed given: the command gets past its required-option check.
    std::vector<std::string> all = {c};
    for (const auto& p : parts) {
      if (!p.required) continue;
      if (!p.option.empty()) all.push_back(p.option);
      all.push_back(fast_failing_value(p.option));
    }
    const CliResult full = run_strata(all);
    EXPECT_EQ(full.err.find("is required"), std::string::npos)
        << c << ": the usage line's unbracketed parts are not enough: " << full.err;
    // Each unbracketed option left out: the error names exactly it.
    for (size_t skip = 0; skip < parts.size(); ++skip) {
      if (!parts[skip].required || parts[skip].option.empty()) continue;
      std::vector<std::string> args = {c};
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i == skip || !parts[i].required) continue;
        if (!parts[i].option.empty()) args.push_back(parts[i].option);
        args.push_back(fast_failing_value(parts[i].option));
      }
      const CliResult r = run_strata(args);
      EXPECT_EQ(r.exit_code, 2) << c << " without " << parts[skip].option;
      EXPECT_NE(r.err.find(parts[skip].option + " is required"), std::string::npos)
          << c << ": usage marks " << parts[skip].option << " required, but without it: " << r.err;
      ++required_checked;
    }
  }
  EXPECT_GE(required_checked, 10u);
}

TEST(CliHelp, ShortOptionsMeanTheSameInEveryCommand) {
  std::map<std::string, std::string> long_of_short, short_of_long;
  std::map<std::string, std::set<std::string>> commands_with_long;
  const std::regex pair(R"(\n  -(\w) \[ --([\w-]+) \])"), bare(R"(\n  --([\w-]+))");
  for (const auto& c : listed_commands()) {
    const std::string help = run_strata({c, "--help"}).out;
    for (auto m = std::sregex_iterator(help.begin(), help.end(), pair); m != std::sregex_iterator();
         ++m) {
      const std::string s = (*m)[1].str(), l = (*m)[2].str();
      const auto [it, fresh] = long_of_short.emplace(s, l);
      EXPECT_EQ(it->second, l) << "-" << s << " is --" << it->second << " elsewhere but --" << l
                               << " in " << c;
      short_of_long.emplace(l, s);
    }
    for (auto m = std::sregex_iterator(help.begin(), help.end(), bare); m != std::sregex_iterator();
         ++m) {
      commands_with_long[(*m)[1].str()].insert(c);
    }
  }
  // An option with a short form somewhere has it everywhere.
  for (const auto& [l, cs] : commands_with_long) {
    if (short_of_long.count(l)) {
      for (const auto& c : cs) {
        ADD_FAILURE() << "--" << l << " has no -" << short_of_long[l] << " in " << c;
      }
    }
  }
  EXPECT_EQ(long_of_short["s"], "set");
  EXPECT_EQ(long_of_short["o"], "out");
}

void expect_suggestion(const std::vector<std::string>& args, const std::string& suggestion) {
  const CliResult r = run_strata(args);
  EXPECT_EQ(r.exit_code, 2) << args[0];
  EXPECT_NE(r.err.find("did you mean '" + suggestion + "'?"), std::string::npos)
      << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliHelp, MisspellingsGetASuggestion) {
  expect_suggestion({"rnu"}, "run");
  expect_suggestion({"qunatize"}, "quantize");
  expect_suggestion({"run", "--worklaod", "resnet18"}, "--workload");
  expect_suggestion({"run", "--workload", "resnet81"}, "resnet18");
  expect_suggestion({"run", "--workload", "resnet18:bach=2"}, "batch");
  expect_suggestion({"run", "--set", "array.row=8"}, "array.rows");
  expect_suggestion({"run", "--set", "buffers.weight.size_kb=64"}, "buffers.weight.size_kib");
  expect_suggestion({"quantize", "--model", "mobilenetv1", "--scheme", "ant", "--out", "x.json"},
                    "mobilenet_v1");
  expect_suggestion({"compare", "--baseline", "configs/default.json", "--confg", "x"}, "--config");
  expect_suggestion({"sweep", "x.json", "--otu", "d"}, "--out");
}

TEST(CliHelp, EveryCommandSuggestsItsOwnOptions) {
  for (const auto& c : listed_commands()) {
    const CliResult r = run_strata({c, "--hlep"});
    EXPECT_EQ(r.exit_code, 2) << c;
    EXPECT_NE(r.err.find("unknown option '--hlep' for 'strata " + c + "'; did you mean '--help'?"),
              std::string::npos)
        << c << ": " << r.err;
  }
  // A word nothing resembles gets no guess, only the pointer to the help.
  const CliResult r = run_strata({"run", "--zzzzzz"});
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("see 'strata run --help'"), std::string::npos) << r.err;
}

TEST(CliHelp, RunWithoutOutSaysNothingWasWritten) {
  const std::string dir = make_temp_dir();
  const CliResult r = run_strata({"run", "--workload", "resnet18"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nno files written (--out <dir> writes report.json"), std::string::npos)
      << r.out;
  EXPECT_TRUE(strata::test::list_dir(dir).empty());
  const CliResult quiet = run_strata({"run", "--workload", "resnet18", "-q"}, dir);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(quiet.out.empty()) << quiet.out;
  // Nothing printed and nothing written: one line says the run finished and how to keep it.
  EXPECT_TRUE(
      std::regex_match(quiet.err, std::regex("strata run: finished \\([0-9]+ cycles\\); -q without "
                                             "--out prints and writes nothing: add --out <dir> to "
                                             "keep the report\n")))
      << quiet.err;
  EXPECT_TRUE(strata::test::list_dir(dir).empty());
}

// One rule for a config path, the default's and an explicit one's alike: the working directory
// first, then the built-in configs; reports name the config as given.
TEST(CliHelp, ConfigPathsResolveFromAnyDirectory) {
  const std::string dir = make_temp_dir();
  for (const std::string given : {"configs/s2ta_aw_16nm.json", "s2ta_aw_16nm.json"}) {
    const CliResult r = run_strata(
        {"run", "--config", given, "--workload", "alexnet", "--out", dir + "/o", "-q"}, dir);
    ASSERT_EQ(r.exit_code, 0) << given << ": " << r.err;
    const nlohmann::json report = nlohmann::json::parse(read_file(dir + "/o/report.json"));
    EXPECT_EQ(report["config"]["source"], given);
    EXPECT_EQ(report["config"]["name"], "s2ta_aw_16nm");
  }
  // A file of the same name in the working directory wins.
  std::filesystem::create_directories(dir + "/configs");
  write_file(dir, "configs/s2ta_aw_16nm.json",
             R"({"include": ")" + std::string(STRATA_SOURCE_DIR) +
                 R"(/configs/s2ta_aw_16nm.json", "name": "local"})");
  const CliResult local = run_strata({"run", "--config", "configs/s2ta_aw_16nm.json", "--workload",
                                      "alexnet", "--out", dir + "/l", "-q"},
                                     dir);
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(nlohmann::json::parse(read_file(dir + "/l/report.json"))["config"]["name"], "local");
  const CliResult missing =
      run_strata({"run", "--config", "configs/nothing.json", "--workload", "alexnet"}, dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("configs/nothing.json: no such config, in the working directory or "
                             "among the built-in configs ("),
            std::string::npos)
      << missing.err;
  // compare and sweeps follow the same rule.
  const CliResult compare = run_strata(
      {"compare", "-b", "configs/int8_sa_16nm.json", "-c", "s2ta_aw_16nm.json", "-w", "alexnet"},
      dir);
  EXPECT_EQ(compare.exit_code, 0) << compare.err;
}

TEST(CliHelp, VersionNamesTheCommit) {
  const CliResult r = run_strata({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_match(
      r.out, std::regex(R"(strata \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-modified)?|unknown)\)\n)")))
      << r.out;
}

}  // namespace
