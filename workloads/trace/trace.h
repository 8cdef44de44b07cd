#pragma once
// strata's trace format v1 (docs/trace-format.md): a quantized, possibly sparse model as the
// simulator consumes it. JSON metadata per layer; optionally a companion safetensors file with
// each layer's integer weight codes and scales.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/layer.h"
#include "workloads/weight_file.h"

namespace strata {

struct TraceWeights {
  bool present = false;      // false for operand-only products (QK^T, P*V)
  std::string type = "int";  // "int", "pot", "flint", "float", "olive"
  int bits = 8;
  bool is_signed = true;
  int exp_bits = 0;    // float only
  double density = 1;  // non-zero fraction after pruning and quantization
  double sqnr_db = 0;
  double mse = 0;
  std::vector<double> scales;       // per output channel
  std::vector<double> zero_points;  // per output channel (empty: all zero)
  std::string source;               // "real: ..." or "synthetic: ..."
  bool synthetic = true;
};

struct TraceActivation {
  std::string type = "int";
  int bits = 8;
  bool is_signed = false;
  int exp_bits = 0;
  double scale = 1;
  double sqnr_db = 0;
  std::string distribution;
};

struct TraceDbb {
  int nnz = 8, bz = 8;  // weight bound
  double weight_density = 1;
  int activation_nnz = 8;         // top-k per activation block (== bz: dense)
  double activation_density = 1;  // modelled density after top-k
};

struct TraceLayer {
  Layer layer;
  TraceWeights weight;
  TraceActivation activation;
  TraceDbb dbb;
};

struct Trace {
  std::string model;   // zoo spec it came from
  std::string scheme;  // rtn, ant, ant4-8, squant, olive
  int bits = 8;
  std::string tensors_file;  // companion safetensors file name (same directory), "" if none
  std::vector<TraceLayer> layers;
  // Where the weights came from: the real files read (by content), and how the synthetic ones
  // were drawn ("" when no layer is synthetic). Optional in a trace file ("weights").
  std::vector<WeightFile> weight_files;
  std::string synthetic_weights;
};

constexpr const char* kTraceFormat = "strata-trace";
constexpr int kTraceVersion = 1;

}  // namespace strata
