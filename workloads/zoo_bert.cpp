// BERT-base encoder: 12 layers, hidden 768, 12 heads of 64, FFN 3072. Every GEMM of a layer is
// listed, including the attention products QK^T and P*V (one product per head). With a Block-Skim
// keep schedule (docs/references.md §3), layer l processes only its kept 32-token blocks:
// projections and FFN scale with the kept length L', attention with L'^2, and a small CNN predictor
// per layer reads each kept block's diagonal attention (conv3x3 12->12 on 32x32, pool, conv3x3
// 12->12 on 16x16, pool, fc 768->2: 1,660,416 MACs per block).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "workloads/zoo.h"

namespace strata {
namespace {

// A 3x3 same-padding convolution keeping the channel count.
Layer conv(const std::string& name, int64_t batch, int64_t hw, int64_t channels) {
  return conv_layer(name, batch, hw, channels, channels, 3, 1, 1);
}

}  // namespace

std::vector<double> parse_keep_schedule(const std::string& text, char separator) {
  std::vector<double> keep;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    const std::string item = text.substr(start, end - start);
    size_t used = 0;
    double v = -1;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || !(v > 0 && v <= 1)) {
      throw std::invalid_argument("keep fractions must be numbers in (0, 1], got '" + item + "'");
    }
    keep.push_back(v);
    start = end + 1;
  }
  if (keep.size() > 12) throw std::invalid_argument("at most 12 keep fractions (one per layer)");
  return keep;
}

std::vector<int64_t> kept_tokens(int64_t seq_len, const std::vector<double>& keep, int layers) {
  constexpr int64_t kBlock = 32;
  const int64_t blocks = (seq_len + kBlock - 1) / kBlock;
  std::vector<int64_t> tokens;
  int64_t kept = blocks;
  for (int l = 0; l < layers; ++l) {
    const double f = keep.empty() ? 1.0 : keep[std::min<size_t>(l, keep.size() - 1)];
    // Cumulative: a dropped block stays dropped; at least one block survives.
    kept = std::min(kept, std::max<int64_t>(1, std::llround(f * blocks)));
    tokens.push_back(std::min(seq_len, kept * kBlock));
  }
  return tokens;
}

Workload build_bert_base(int64_t batch, int64_t seq_len, const std::vector<double>& keep) {
  constexpr int kLayers = 12;
  constexpr int64_t kHidden = 768, kHeads = 12, kHeadDim = 64, kFfn = 3072;
  Workload w;
  w.name = "bert_base";
  const std::vector<int64_t> lengths = kept_tokens(seq_len, keep, kLayers);
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = "encoder" + std::to_string(i) + ".";
    const int64_t len = lengths[i], tokens = batch * len;
    w.layers.push_back(gemm_layer(p + "q_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "k_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "v_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "qk_t", batch * kHeads, len, kHeadDim, len));
    w.layers.push_back(gemm_layer(p + "p_v", batch * kHeads, len, len, kHeadDim));
    w.layers.push_back(gemm_layer(p + "o_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "ffn1", 1, tokens, kHidden, kFfn));
    w.layers.push_back(gemm_layer(p + "ffn2", 1, tokens, kFfn, kHidden));
    if (!keep.empty() && i + 1 < kLayers) {
      const int64_t blocks = batch * ((len + 31) / 32);
      w.layers.push_back(conv(p + "skim.conv1", blocks, 32, kHeads));
      w.layers.push_back(conv(p + "skim.conv2", blocks, 16, kHeads));
      w.layers.push_back(gemm_layer(p + "skim.fc", 1, blocks, 8 * 8 * kHeads, 2));
    }
  }
  return w;
}

}  // namespace strata
