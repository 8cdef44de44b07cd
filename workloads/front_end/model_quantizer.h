#pragma once
// The front end for a whole model: zoo shapes + real or synthetic weights -> DBB pruning ->
// per-layer weight quantization under a scheme -> activation quantization from declared
// distributions -> a trace (docs/trace-format.md) and, optionally, its integer codes.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "workloads/onnx/onnx_import.h"
#include "workloads/quant/dbb.h"
#include "workloads/quant/synthetic_draws.h"
#include "workloads/trace/safetensors.h"
#include "workloads/trace/trace.h"

namespace strata {

struct ModelQuantRequest {
  std::string model;  // zoo spec: "mobilenet_v1", "bert_base:seq_len=128"
  // A model already imported with its weights (functional mode's graphs built in memory): its
  // layers and weights are used instead of `model`'s, which then only names it.
  std::shared_ptr<const OnnxImport> onnx_import;
  std::string
      weights_path;  // real weights; "" = weights_dir/<default file> for models with a mapping
  std::string weights_dir;     // where scripts/fetch_weights.sh put them
  std::string scheme = "ant";  // rtn | ant | ant4-8 | squant | olive
  int bits = 4;
  DbbSpec dbb;             // weight DBB (8/8 = dense)
  DbbSpec activation_dbb;  // activation top-k per block (8/8 = dense)
  // > 0: per layer, the smallest NNZ_a whose top-k keeps this fraction of the layer's modelled
  // activation energy (activation_dbb's NNZ is then ignored; its BZ is the weight DBB's).
  double activation_dbb_keep = 0;
  std::map<std::string, DbbSpec> layer_activation_dbb;  // per-layer NNZ_a overrides by name
  int64_t seq_len = 0;                    // BERT: overrides the spec's sequence length when > 0
  std::vector<double> skim;               // BERT Block-Skim keep schedule
  std::map<std::string, int> layer_bits;  // per-layer width overrides by layer name
  bool allow_float = false;  // ant: also try the float type (exponent bits per make_type's default)
  bool with_tensors = false;
  bool keep_float_weights = false;  // the unpruned float weights, for bit-true references
  int threads = 0;  // layers quantized in parallel; 0 = all cores (results do not depend on it)
  uint64_t seed = 1;
  // Optional: synthetic draws shared with other requests for the same network (a comparison's
  // configs); the result is the same with or without it.
  std::shared_ptr<SyntheticDrawCache> synthetic_draws;
};

struct ModelQuantSummary {
  int64_t weight_params = 0;
  int64_t real_params = 0;       // from real weights
  double weight_sqnr_db = 0;     // over all weights: 10 log10(sum w^2 / sum (w - q)^2)
  double weight_density = 1;     // non-zero fraction over all weights
  double low_bit_mac_share = 0;  // share of weight-layer MACs whose weights use fewer than 8 bits
};

struct ModelQuantResult {
  Trace trace;
  SafeTensorMap tensors;  // empty unless with_tensors
  // Layer name -> unpruned float weights in the codes' layout; empty unless keep_float_weights.
  std::map<std::string, std::vector<float>> float_weights;
  ModelQuantSummary summary;
};

const std::vector<std::string>& quant_scheme_names();

// Throws InputError for bad requests (unknown scheme, bits out of range, NNZ > BZ, missing or
// mismatching weights, options that do not apply to the model).
ModelQuantResult quantize_model(const ModelQuantRequest& request);

}  // namespace strata
