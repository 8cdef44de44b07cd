// The repository stands on its own: no doc, comment, script or config points at a file outside
// it or at a machine's path, every relative markdown link resolves inside the repository, and
// every "docs/references.md §N" citation names a section that exists.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_runner.h"
#include "hw_models/vector/vector_mapping.h"
#include "hw_models/vector/vector_ops.h"
#include "sim/pipeline/pipeline_report.h"

namespace fs = std::filesystem;
using strata::test::read_file;

namespace {

using strata::test::kSourceDir;

bool is_text_source(const fs::path& p) {
  static const std::set<std::string> kExtensions = {".md",  ".h",    ".cpp", ".sh",
                                                    ".py",  ".json", ".txt", ".cmake",
                                                    ".csv", ".dict", ".cfg", ".bib"};
  const std::string name = p.filename().string();
  return kExtensions.count(p.extension().string()) > 0 || name == "LICENSE" ||
         name == "CHANGELOG" || name == "run";
}

// The repository's own files: build trees (any directory with a CMakeCache.txt), outputs, caches
// and version control are not part of it.
std::vector<fs::path> repository_files() {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kSourceDir);
       it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (it->is_directory()) {
      if (name == ".git" || name == "out" || name == ".cache" || name == "node_modules" ||
          fs::exists(p / "CMakeCache.txt")) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file() && is_text_source(p)) files.push_back(p);
  }
  return files;
}

std::string repo_path(const fs::path& p) { return fs::relative(p, kSourceDir).string(); }

int line_of(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

TEST(Docs, NothingPointsOutsideTheRepository) {
  // Files that lived beside the repository during development, and home or work directories.
  const std::vector<std::string> forbidden = {"reference.md", "shared/data",  "../shared",
                                              "shared/docs",  "shared/seeds", "/home/",
                                              "/Users/",      "/root/",       "/work/"};
  const std::string self = "tests/cli/test_docs.cpp";
  size_t scanned = 0;
  for (const auto& file : repository_files()) {
    if (repo_path(file) == self) continue;
    ++scanned;
    const std::string text = read_file(file.string());
    for (const auto& pattern : forbidden) {
      for (size_t at = text.find(pattern); at != std::string::npos;
           at = text.find(pattern, at + 1)) {
        // A sweep's work/ subdirectory under an output directory is not a machine path.
        if (pattern == "/work/" && at > 0 && text[at - 1] == '"') continue;
        ADD_FAILURE() << repo_path(file) << ":" << line_of(text, at) << ": points outside the "
                      << "repository ('" << pattern << "')";
      }
    }
  }
  EXPECT_GT(scanned, 100u);  // the walk really saw the sources
}

TEST(Docs, RelativeLinksResolveInsideTheRepository) {
  const std::regex link(R"(\]\(([^)\s]+)\))");
  size_t checked = 0;
  for (const auto& file : repository_files()) {
    if (file.extension() != ".md") continue;
    const std::string text = read_file(file.string());
    for (auto m = std::sregex_iterator(text.begin(), text.end(), link); m != std::sregex_iterator();
         ++m) {
      std::string target = (*m)[1].str();
      if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0 ||
          target.rfind("mailto:", 0) == 0 || target[0] == '#') {
        continue;
      }
      target = target.substr(0, target.find('#'));
      const fs::path resolved = fs::weakly_canonical(file.parent_path() / target);
      const std::string rel = fs::relative(resolved, fs::weakly_canonical(kSourceDir)).string();
      ++checked;
      EXPECT_TRUE(rel.rfind("..", 0) != 0 && fs::exists(resolved))
          << repo_path(file) << ":" << line_of(text, m->position()) << ": link '" << (*m)[1].str()
          << "' does not resolve to a file in the repository";
    }
  }
  EXPECT_GT(checked, 10u);
}

TEST(Docs, ReferenceCitationsNameExistingSections) {
  const std::string references = read_file((kSourceDir / "docs/references.md").string());
  std::set<std::string> sections;
  const std::regex heading(R"((^|\n)#{2,3} (\d+(\.\d+)?) )");
  for (auto m = std::sregex_iterator(references.begin(), references.end(), heading);
       m != std::sregex_iterator(); ++m) {
    sections.insert((*m)[2].str());
  }
  ASSERT_GE(sections.size(), 8u);
  const std::regex cite(R"(references\.md §(\d+(\.\d+)?))");
  size_t checked = 0;
  for (const auto& file : repository_files()) {
    const std::string text = read_file(file.string());
    for (auto m = std::sregex_iterator(text.begin(), text.end(), cite); m != std::sregex_iterator();
         ++m) {
      ++checked;
      EXPECT_TRUE(sections.count((*m)[1].str()))
          << repo_path(file) << ":" << line_of(text, m->position()) << ": cites §" << (*m)[1].str()
          << ", which docs/references.md does not have";
    }
  }
  EXPECT_GT(checked, 50u);
}

}  // namespace

namespace {

TEST(Docs, VectorOpTableMatchesTheModel) {
  const std::string doc = read_file((kSourceDir / "docs/vector.md").string());
  for (const auto& s : strata::vector_op_specs()) {
    char ops[32];
    std::snprintf(ops, sizeof ops, "%g", s.ops_per_element);
    const std::string row = "| `" + std::string(s.name) + "` | " + ops + " | " +
                            std::to_string(s.passes) + " | " + std::to_string(s.latency_cycles) +
                            " | " + s.implementation + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/vector.md lacks: " << row;
  }
}

}  // namespace

namespace {

// frames.csv's columns are declared once (sim/pipeline/pipeline_report.cpp): docs/pipeline.md
// lists each, with its unit and meaning, in the same order.
TEST(Docs, PipelineFramesColumnsMatchTheReport) {
  const std::string doc = read_file((kSourceDir / "docs/pipeline.md").string());
  size_t last = 0;
  for (const auto& c : strata::job_column_info()) {
    const std::string row = "| `" + c.name + "` | " + c.unit + " | " + c.description + " |";
    const size_t at = doc.find(row);
    EXPECT_NE(at, std::string::npos) << "docs/pipeline.md lacks: " << row;
    if (at != std::string::npos) {
      EXPECT_GT(at, last) << c.name << " is out of order in docs/pipeline.md";
      last = at;
    }
  }
}

}  // namespace

namespace {

// Every operator docs/workloads.md says the ONNX importer supports, except the array layers, the
// views and Constant, has a vector-unit cost.
TEST(Docs, EveryImportedOnnxOperatorHasAVectorCost) {
  const std::string doc = read_file((kSourceDir / "docs/workloads.md").string());
  const size_t start = doc.find("Supported operators for shape inference:");
  ASSERT_NE(start, std::string::npos);
  const std::string list = doc.substr(start, doc.find("\n\n", start) - start);
  const std::set<std::string> not_vector = {"Conv",     "ConvTranspose", "Gemm",    "MatMul",
                                            "Reshape",  "Flatten",       "Squeeze", "Unsqueeze",
                                            "Identity", "Dropout",       "Constant"};
  const std::regex op(R"(`([A-Z][A-Za-z]+)`)");
  size_t checked = 0;
  for (auto m = std::sregex_iterator(list.begin(), list.end(), op); m != std::sregex_iterator();
       ++m) {
    const std::string name = (*m)[1].str();
    if (not_vector.count(name)) continue;
    strata::VectorLayer v;
    v.name = "n";
    v.op = name;
    v.input_shapes = {{2, 4}};
    v.output_shape = {2, 4};
    EXPECT_NO_THROW(strata::vector_work_of(v)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 80u);
}

}  // namespace
