#pragma once
// Density-bound-block (DBB) sparsity (docs/references.md §4). Weights are pruned offline so that
// every block of BZ consecutive elements along the reduction dimension keeps at most NNZ non-zeros:
// the NNZ largest magnitudes, ties to the lower index. Blocks run along the input channels at
// each kernel position; a layer with one input channel per group (depthwise) blocks its kernel
// positions instead. Activations are pruned at run time by a top-k unit per block; their NNZ is
// a per-layer parameter, and `activation_dbb_density` models the density that results.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/quant/weight_tensor.h"

namespace strata {

struct DbbSpec {
  int nnz = 8;
  int bz = 8;
  bool enabled() const { return nnz < bz; }
  std::string str() const { return std::to_string(nnz) + "/" + std::to_string(bz); }
};

// Parses "4/8"; throws std::invalid_argument naming what is wrong (NNZ > BZ, zero, syntax).
DbbSpec parse_dbb(const std::string& text);

// Prunes in place; returns the density reached (non-zero fraction of the whole tensor).
double dbb_prune(WeightTensor& w, const DbbSpec& spec);

// True if every block of `w` holds at most spec.nnz non-zeros.
bool satisfies_dbb(const WeightTensor& w, const DbbSpec& spec);

// Expected density of activations after a top-NNZ_a unit per block of BZ, when each value is
// non-zero independently with probability p (0.5 after a ReLU of a zero-mean pre-activation):
// E[min(X, NNZ_a)] / BZ with X ~ Binomial(BZ, p).
double activation_dbb_density(int nnz, int bz, double p_nonzero);

// The smallest NNZ_a whose top-NNZ_a (by magnitude) per block of `bz` consecutive values keeps at
// least `keep` of the sample's energy (sum of squares): a per-layer A-DBB schedule from each
// layer's activation sample. Returns bz for an all-zero sample.
int activation_nnz_for_keep(const std::vector<float>& sample, int bz, double keep);

}  // namespace strata
