#include "hw_models/vector/vector_fusion.h"

#include <map>
#include <set>
#include <stdexcept>

#include "hw_models/vector/vector_mapping.h"

namespace strata {
namespace {

// Ops the lanes apply element by element in one pass (no reduction, no window, no data movement).
bool fusible(VectorOp op) {
  switch (op) {
    case VectorOp::kElementwise:
    case VectorOp::kActivation:
    case VectorOp::kSigmoid:
    case VectorOp::kTanh:
    case VectorOp::kGelu:
    case VectorOp::kHardSwish:
    case VectorOp::kExp:
    case VectorOp::kTable:
    case VectorOp::kRequantize:
    case VectorOp::kRequantizeAnt:
      return vector_op_spec(op).passes == 1;
    default:
      return false;
  }
}

bool named(const VectorLayer& v) {
  return !v.output_name.empty() && v.input_names.size() == v.input_shapes.size();
}

// Does layer j read something layers first..j-1 made?
bool reads_run(const std::vector<VectorLayer>& layers, size_t first, size_t j) {
  if (!named(layers[j])) return layers[j].chained;  // the zoo: reads the layer before it
  for (size_t k = first; k < j; ++k) {
    for (const auto& in : layers[j].input_names) {
      if (!in.empty() && in == layers[k].output_name) return true;
    }
  }
  return false;
}

// Every intermediate of first..last (all but last's result) is read only inside the run.
bool closed(const std::vector<VectorLayer>& layers, size_t first, size_t last) {
  for (size_t k = first; k < last; ++k) {
    const VectorLayer& v = layers[k];
    if (!named(v)) {
      // The zoo's chains: each layer's only reader is the next.
      if (!layers[k + 1].chained) return false;
      continue;
    }
    int64_t inside = 0;
    for (size_t m = k + 1; m <= last; ++m) {
      for (const auto& in : layers[m].input_names) inside += in == v.output_name;
    }
    if (inside != v.output_readers) return false;
  }
  return true;
}

// Elements of the inputs of named layers first..last that the run does not make, each value
// once; without `skip` (a value already at hand) and, with `skip_constants`, the constants.
int64_t outside_inputs(const std::vector<VectorLayer>& layers, size_t first, size_t last,
                       const std::string& skip, bool skip_constants) {
  std::set<std::string> made, seen;
  int64_t inputs = 0;
  for (size_t k = first; k <= last; ++k) {
    for (size_t j = 0; j < layers[k].input_names.size(); ++j) {
      const std::string& in = layers[k].input_names[j];
      if (in.empty() || made.count(in) || !seen.insert(in).second) continue;
      if (in == skip || (skip_constants && layers[k].input_constant[j])) continue;
      inputs += shape_elements(layers[k].input_shapes[j]);
    }
    made.insert(layers[k].output_name);
  }
  return inputs;
}

}  // namespace

const char* to_string(VectorFusion f) {
  switch (f) {
    case VectorFusion::kNone:
      return "none";
    case VectorFusion::kElementwise:
      return "elementwise";
    case VectorFusion::kEpilogue:
      return "epilogue";
  }
  return "none";
}

const std::vector<std::string>& vector_fusion_names() {
  static const std::vector<std::string> names = {"none", "elementwise", "epilogue"};
  return names;
}

bool parse_vector_fusion(const std::string& name, VectorFusion* out) {
  for (VectorFusion f :
       {VectorFusion::kNone, VectorFusion::kElementwise, VectorFusion::kEpilogue}) {
    if (name == to_string(f)) {
      *out = f;
      return true;
    }
  }
  return false;
}

std::vector<VectorPass> plan_vector_passes(const Workload& w, const std::vector<VectorWork>& works,
                                           VectorFusion fusion) {
  const std::vector<VectorLayer>& layers = w.vector_layers;
  if (works.size() != layers.size()) {
    throw std::invalid_argument("plan_vector_passes: one work per vector layer");
  }
  std::vector<VectorPass> passes;
  for (size_t i = 0; i < layers.size();) {
    size_t last = i;
    if (fusion != VectorFusion::kNone && fusible(works[i].op) && works[i].fused.empty()) {
      // The longest run that reads itself, then the longest prefix of it that is closed.
      size_t end = i;
      while (end + 1 < layers.size() && fusible(works[end + 1].op) &&
             works[end + 1].output_elements == works[i].output_elements &&
             layers[end + 1].after_layer == layers[i].after_layer &&
             reads_run(layers, i, end + 1)) {
        ++end;
      }
      for (last = end; last > i && !closed(layers, i, last); --last) {
      }
    }
    VectorPass p;
    p.first = i;
    p.last = last;
    p.work = works[i];
    p.work.output_elements = works[last].output_elements;
    for (size_t k = i + 1; k <= last; ++k)
      p.work.fused.push_back({works[k].op, works[k].work_elements});
    if (last > i) {
      if (named(layers[i])) {
        p.work.input_elements = outside_inputs(layers, i, last, "", false);
      } else {
        // A zoo chain: each later layer's inputs but the one the layer before made.
        for (size_t k = i + 1; k <= last; ++k) {
          p.work.input_elements += works[k].input_elements - works[k - 1].output_elements;
        }
      }
    }
    p.loaded_input_elements = p.work.input_elements;
    // In the output stage of the array layer the run starts on, right after it.
    const VectorLayer& head = layers[i];
    if (fusion == VectorFusion::kEpilogue && fusible(works[i].op) && named(head) &&
        head.reads_layer >= 0 && head.reads_layer_input >= 0 &&
        head.after_layer == head.reads_layer + 1 &&
        static_cast<size_t>(head.reads_layer) < w.layers.size() &&
        p.work.output_elements ==
            w.layers[static_cast<size_t>(head.reads_layer)].output_elements()) {
      p.output_stage_of = head.reads_layer;
      p.work.output_stage = true;
      // What the output stage must load: not the layer's output, not the constants.
      p.loaded_input_elements = outside_inputs(
          layers, i, last, head.input_names.at(static_cast<size_t>(head.reads_layer_input)), true);
    }
    passes.push_back(std::move(p));
    i = last + 1;
  }
  return passes;
}

}  // namespace strata
