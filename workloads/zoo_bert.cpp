// BERT-base encoder: 12 layers, hidden 768, 12 heads of 64, FFN 3072. Every GEMM of a layer is
// listed, including the attention products QK^T and P*V (one product per head).
#include "workloads/zoo.h"

namespace strata {
namespace {

Layer gemm(const std::string& name, int64_t count, int64_t m, int64_t k, int64_t n) {
  Layer l;
  l.name = name;
  l.type = LayerType::kGemm;
  l.batch = count;
  l.m = m;
  l.k = k;
  l.n = n;
  return l;
}

}  // namespace

Workload build_bert_base(int64_t batch, int64_t seq_len) {
  constexpr int kLayers = 12;
  constexpr int64_t kHidden = 768, kHeads = 12, kHeadDim = 64, kFfn = 3072;
  Workload w;
  w.name = "bert_base";
  const int64_t tokens = batch * seq_len;
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = "encoder" + std::to_string(i) + ".";
    w.layers.push_back(gemm(p + "q_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm(p + "k_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm(p + "v_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm(p + "qk_t", batch * kHeads, seq_len, kHeadDim, seq_len));
    w.layers.push_back(gemm(p + "p_v", batch * kHeads, seq_len, seq_len, kHeadDim));
    w.layers.push_back(gemm(p + "o_proj", 1, tokens, kHidden, kHidden));
    w.layers.push_back(gemm(p + "ffn1", 1, tokens, kHidden, kFfn));
    w.layers.push_back(gemm(p + "ffn2", 1, tokens, kFfn, kHidden));
  }
  return w;
}

}  // namespace strata
