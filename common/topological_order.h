#pragma once
// Kahn's topological order of a graph given as each node's readers, the ready node with the
// lowest index first: a graph listed in order keeps that order, and any order sorts in
// O(E log N). Shared by the ONNX loader and the pipeline's task graph.
#include <cstddef>
#include <functional>
#include <queue>
#include <vector>

namespace strata {

// `readers[i]`: the nodes reading node i's outputs (one entry per edge); `waiting[i]`: how many
// such edges lead into node i. Returns the nodes in order; fewer than all when some lie on a
// cycle (they and what reads them are left out).
inline std::vector<size_t> topological_order(const std::vector<std::vector<size_t>>& readers,
                                             std::vector<size_t> waiting) {
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  order.reserve(waiting.size());
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (const size_t r : readers[i]) {
      if (--waiting[r] == 0) ready.push(r);
    }
  }
  return order;
}

}  // namespace strata
