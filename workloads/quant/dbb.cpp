#include "workloads/quant/dbb.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace strata {
namespace {

// Calls fn(indices) for every block of the tensor (indices into w.data).
template <typename Fn>
void for_each_block(const WeightTensor& w, int bz, Fn&& fn) {
  const int64_t ks = w.kernel_size(), n = w.per_channel();
  std::vector<int64_t> block;
  for (int64_t o = 0; o < w.out_channels; ++o) {
    const int64_t base = o * n;
    if (w.in_channels == 1) {
      for (int64_t r0 = 0; r0 < ks; r0 += bz) {
        block.clear();
        for (int64_t r = r0; r < std::min(ks, r0 + bz); ++r) block.push_back(base + r);
        fn(block);
      }
      continue;
    }
    for (int64_t r = 0; r < ks; ++r) {
      for (int64_t c0 = 0; c0 < w.in_channels; c0 += bz) {
        block.clear();
        for (int64_t c = c0; c < std::min(w.in_channels, c0 + bz); ++c)
          block.push_back(base + c * ks + r);
        fn(block);
      }
    }
  }
}

}  // namespace

DbbSpec parse_dbb(const std::string& text) {
  const size_t slash = text.find('/');
  DbbSpec s;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("");
    size_t used_a = 0, used_b = 0;
    s.nnz = std::stoi(text.substr(0, slash), &used_a);
    s.bz = std::stoi(text.substr(slash + 1), &used_b);
    if (used_a != slash || used_b != text.size() - slash - 1) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw std::invalid_argument("DBB must be <nnz>/<bz>, e.g. 4/8; got '" + text + "'");
  }
  if (s.bz < 1 || s.bz > 64)
    throw std::invalid_argument("DBB block size must be in 1..64, got " + std::to_string(s.bz));
  if (s.nnz < 1 || s.nnz > s.bz) {
    throw std::invalid_argument("DBB NNZ must be in 1..BZ (" + std::to_string(s.bz) + "), got " +
                                std::to_string(s.nnz));
  }
  return s;
}

double dbb_prune(WeightTensor& w, const DbbSpec& spec) {
  check_shape(w);
  if (spec.bz < 1 || spec.bz > 64) {
    throw std::invalid_argument("DBB block size must be in 1..64, got " + std::to_string(spec.bz));
  }
  float magnitude[64];
  size_t order[64];
  for_each_block(w, spec.bz, [&](const std::vector<int64_t>& block) {
    const size_t n = block.size();
    if (static_cast<int>(n) <= spec.nnz) return;
    // Largest magnitude first; equal magnitudes keep the earlier in the block (blocks are in
    // index order): an insertion sort on the stack, stable as it moves an element only past
    // strictly smaller ones. (std::stable_sort allocated a buffer per block: a fifth of preparing
    // a W-DBB model.)
    for (size_t i = 0; i < n; ++i) {
      const float m = std::fabs(w.data[block[i]]);
      size_t j = i;
      for (; j > 0 && magnitude[j - 1] < m; --j) {
        magnitude[j] = magnitude[j - 1];
        order[j] = order[j - 1];
      }
      magnitude[j] = m;
      order[j] = i;
    }
    for (size_t i = static_cast<size_t>(spec.nnz); i < n; ++i) w.data[block[order[i]]] = 0.0f;
  });
  const int64_t nonzero =
      std::count_if(w.data.begin(), w.data.end(), [](float v) { return v != 0.0f; });
  return w.data.empty() ? 0.0 : static_cast<double>(nonzero) / static_cast<double>(w.data.size());
}

bool satisfies_dbb(const WeightTensor& w, const DbbSpec& spec) {
  bool ok = true;
  for_each_block(w, spec.bz, [&](const std::vector<int64_t>& block) {
    int nonzero = 0;
    for (int64_t i : block) nonzero += w.data[i] != 0.0f;
    ok = ok && nonzero <= spec.nnz;
  });
  return ok;
}

double activation_dbb_density(int nnz, int bz, double p) {
  double expected = 0, binom = 1;  // C(bz, x)
  for (int x = 0; x <= bz; ++x) {
    if (x > 0) binom = binom * (bz - x + 1) / x;
    expected += std::min(x, nnz) * binom * std::pow(p, x) * std::pow(1 - p, bz - x);
  }
  return expected / bz;
}

int activation_nnz_for_keep(const std::vector<float>& sample, int bz, double keep) {
  // kept[k] = energy of the k largest magnitudes of every block, summed over blocks.
  std::vector<double> kept(static_cast<size_t>(bz) + 1, 0.0);
  std::vector<double> block(static_cast<size_t>(bz));
  double total = 0;
  for (size_t start = 0; start + bz <= sample.size(); start += bz) {
    for (int i = 0; i < bz; ++i) {
      const double v = sample[start + i];
      block[i] = v * v;
      total += block[i];
    }
    std::sort(block.begin(), block.end(), std::greater<double>());
    double running = 0;
    for (int k = 1; k <= bz; ++k) {
      running += block[k - 1];
      kept[k] += running;
    }
  }
  if (total <= 0) return bz;
  for (int k = 1; k < bz; ++k) {
    if (kept[k] >= keep * total) return k;
  }
  return bz;
}

}  // namespace strata
