// BERT-base encoder: 12 layers, hidden 768, 12 heads of 64, FFN 3072. Every GEMM of a layer is
// listed, including the attention products QK^T and P*V (one product per head). With a Block-Skim
// keep schedule (docs/references.md §3), layer l processes only its kept 32-token blocks:
// projections and FFN scale with the kept length L', attention with L'^2, and a small CNN predictor
// per layer reads each kept block's diagonal attention (conv3x3 12->12 on 32x32, pool, conv3x3
// 12->12 on 16x16, pool, fc 768->2: 1,660,416 MACs per block). The work between the GEMMs
// (embeddings, softmax, residual adds, LayerNorms, GELU, the predictor's pooling and softmax, the
// token compaction) is listed as vector layers (docs/vector.md).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "workloads/zoo/zoo.h"

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
  w.names_vector_layers = true;
  const std::vector<int64_t> lengths = kept_tokens(seq_len, keep, kLayers);
  // Vector work the next array layer listed reads, chained to the vector work before it when no
  // array layer came between them.
  auto vector = [&w](const std::string& name, const char* op,
                     std::vector<std::vector<int64_t>> inputs, std::vector<int64_t> output,
                     int64_t window = 1) {
    append_chained_vector_layer(
        w, vector_layer(name, op, std::move(inputs), std::move(output), 0, window));
  };

  // Embeddings: word, position and segment rows gathered and summed, then LayerNorm.
  const int64_t tokens0 = batch * lengths[0];
  vector("embeddings.gather", "Gather", {{30522, kHidden}, {tokens0}}, {tokens0, kHidden});
  vector("embeddings.sum", "Sum", {{tokens0, kHidden}, {tokens0, kHidden}, {tokens0, kHidden}},
         {tokens0, kHidden});
  vector("embeddings.layer_norm", "LayerNormalization", {{tokens0, kHidden}}, {tokens0, kHidden});
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = "encoder" + std::to_string(i) + ".";
    const int64_t len = lengths[i], tokens = batch * len;
    const std::vector<int64_t> hidden = {tokens, kHidden};
    w.layers.push_back(gemm_layer(p + "q_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "k_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "v_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm_layer(p + "qk_t", batch * kHeads, len, kHeadDim, len));
    // The 1/sqrt(d) scale is the requantization's; the padding mask is applied in the max pass.
    const std::vector<int64_t> scores = {batch * kHeads, len, len};
    vector(p + "softmax", "Softmax", {scores}, scores);
    w.layers.push_back(gemm_layer(p + "p_v", batch * kHeads, len, len, kHeadDim));
    w.layers.push_back(gemm_layer(p + "o_proj", 1, tokens, kHidden, kHidden));
    vector(p + "attention.add", "Add", {hidden, hidden}, hidden);
    vector(p + "attention.layer_norm", "LayerNormalization", {hidden}, hidden);
    w.layers.push_back(gemm_layer(p + "ffn1", 1, tokens, kHidden, kFfn));
    vector(p + "gelu", "Gelu", {{tokens, kFfn}}, {tokens, kFfn});
    w.layers.push_back(gemm_layer(p + "ffn2", 1, tokens, kFfn, kHidden));
    // The output Add and LayerNorm feed the next encoder layer; the Block-Skim predictor reads the
    // attention probabilities instead, so its first convolution overlaps them.
    const int64_t output_at = static_cast<int64_t>(w.layers.size());
    vector(p + "output.add", "Add", {hidden, hidden}, hidden);
    vector(p + "output.layer_norm", "LayerNormalization", {hidden}, hidden);
    if (!keep.empty() && i + 1 < kLayers) {
      const int64_t blocks = batch * ((len + 31) / 32);
      w.layers.push_back(conv(p + "skim.conv1", blocks, 32, kHeads));
      vector(p + "skim.pool1", "MaxPool", {{blocks, kHeads, 32, 32}}, {blocks, kHeads, 16, 16}, 4);
      w.layers.push_back(conv(p + "skim.conv2", blocks, 16, kHeads));
      vector(p + "skim.pool2", "MaxPool", {{blocks, kHeads, 16, 16}}, {blocks, kHeads, 8, 8}, 4);
      w.layers.push_back(gemm_layer(p + "skim.fc", 1, blocks, 8 * 8 * kHeads, 2));
      // Keep or skip per block, then the kept tokens' rows are compacted for the next layer.
      vector(p + "skim.softmax", "Softmax", {{blocks, 2}}, {blocks, 2});
      const int64_t next_tokens = batch * lengths[i + 1];
      vector(p + "skim.compact", "Gather", {hidden, {next_tokens}}, {next_tokens, kHidden});
    }
    // Everything the output LayerNorm produces is read by the next encoder layer's projections.
    for (auto& v : w.vector_layers) {
      if (v.after_layer == output_at) v.blocks_layer = static_cast<int64_t>(w.layers.size());
    }
  }
  return w;
}

}  // namespace strata
