#pragma once
// Bit-true execution of one layer on the array (docs/bittrue.md): operand codes are decoded the
// way the PE's decoder does (int, flint, PoT, float codes to significand << shift), activation
// blocks are cut by the top-k unit when the array has one, and every output is the exact integer
// sum of products the PEs accumulate. Pure C++, independent of the timing model that runs beside
// it; the run driver dequantizes and requantizes the sums.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/layer.h"
#include "workloads/quant/numeric_type.h"

namespace strata {

struct OperandCodes {
  NumericType type;
  std::vector<uint8_t> codes;
  // Weights only: per output channel, in grid units (value = grid(code) - zero point); empty =
  // all zero. Zero points are integers (SQuant's asymmetric grid).
  std::vector<double> zero_points;
};

// One layer's operands. Layouts:
//   conv2d: input [batch][in_h][in_w][in_c], weight [out_c][in_c/groups][kernel_h][kernel_w];
//   gemm:   input [batch][m][k],             weight [n][k] (one weight for every batch);
//   matmul (two activations): input [batch][m][k], weight [batch][n][k].
struct BitTrueOperands {
  OperandCodes input;
  OperandCodes weight;
  bool weight_per_batch = false;  // matmul: the second operand differs per batch
  // A-DBB: keep the `activation_nnz` largest magnitudes of every `bz` input channels (conv) or
  // `bz` consecutive k (gemm) per position, ties to the lower index; 0 = no top-k.
  int activation_nnz = 0;
  int bz = 8;
};

// Exact integer sums, [batch][out_h][out_w][out_c] (conv) or [batch][m][n] (gemm, matmul).
struct BitTrueResult {
  std::vector<int64_t> sums;
  int64_t macs = 0;
  // Products whose operands are both non-zero (after top-k): the MACs a zero-gating array cannot
  // gate. Counted exactly as sum over k of (non-zero inputs at k) x (non-zero weights at k).
  int64_t nonzero_products = 0;
};

// Throws std::invalid_argument when a code does not fit its type, the operand sizes do not match
// the layer, or the sums could overflow 64 bits.
BitTrueResult bittrue_layer(const Layer& layer, const BitTrueOperands& operands);

// Integer value of every code of a type (grid units), indexed by code.
std::vector<int64_t> code_values(const NumericType& type);

// Zeroes all but the `nnz` largest magnitudes in each block of `bz` consecutive values of every
// run of `run` values (ties to the lower index); a last partial block keeps min(nnz, its size).
void topk_blocks(std::vector<int64_t>& values, int64_t run, int bz, int nnz);

}  // namespace strata
