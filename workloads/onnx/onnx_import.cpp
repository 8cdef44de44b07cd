#include "workloads/onnx/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>

#include "common/checked_math.h"
#include "common/input_error.h"
#include "common/printable.h"
#include "common/sha256.h"
#include "workloads/onnx/onnx_attributes.h"
#include "workloads/onnx/onnx_tensor.h"
#include "workloads/onnx/onnx_weights.h"
#include "workloads/text_file.h"

namespace strata {

const char* to_string(OnnxNodeRole role) {
  switch (role) {
    case OnnxNodeRole::kLayer:
      return "layer";
    case OnnxNodeRole::kFused:
      return "fused";
    case OnnxNodeRole::kFolded:
      return "folded";
    case OnnxNodeRole::kView:
      return "view";
    case OnnxNodeRole::kVector:
      return "vector";
  }
  return "?";
}

size_t OnnxImport::count(OnnxNodeRole role) const {
  return static_cast<size_t>(std::count_if(
      nodes.begin(), nodes.end(), [&](const OnnxNodeImport& n) { return n.role == role; }));
}

int64_t OnnxImport::vector_elements() const {
  int64_t total = 0;
  for (const auto& n : nodes) {
    if (n.role == OnnxNodeRole::kVector) total += n.elements;
  }
  return total;
}

std::pair<std::string, std::vector<int64_t>> parse_input_shape(const std::string& text) {
  const size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--input-shape: expected NAME=DIMS like x=1x3x224x224, got '" + text + "'");
  }
  try {
    return {text.substr(0, eq), parse_shape_text(text.substr(eq + 1))};
  } catch (const std::invalid_argument& e) {
    throw InputError("--input-shape: " + text.substr(0, eq) + ": " + e.what());
  }
}

bool is_onnx_spec(const std::string& spec) {
  const size_t onnx = spec.find(".onnx");
  return onnx != std::string::npos && (onnx + 5 == spec.size() || spec[onnx + 5] == ':');
}

std::string parse_onnx_spec(const std::string& spec,
                            std::map<std::string, std::vector<int64_t>>* input_shapes) {
  const size_t end_of_path = spec.find(".onnx") + 5;
  for (size_t start = end_of_path + 1; start <= spec.size() && end_of_path < spec.size();) {
    const size_t end = std::min(spec.find(',', start), spec.size());
    input_shapes->insert(parse_input_shape(spec.substr(start, end - start)));
    start = end + 1;
  }
  return spec.substr(0, end_of_path);
}

std::string read_onnx_file(const std::string& path) { return read_text_file(path); }

OnnxImport import_onnx_spec(const std::string& spec, bool read_weights) {
  OnnxImportOptions options;
  options.read_weights = read_weights;
  const std::string path = parse_onnx_spec(spec, &options.input_shapes);
  return import_onnx(path, options);
}

namespace {

class Importer {
 public:
  Importer(const OnnxGraph& g, bool read_weights) : g_(g), read_weights_(read_weights) {
    for (const auto& n : g_.nodes) {
      for (const auto& o : n.outputs) producer_[o] = &n;
    }
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      for (const auto& in : g_.nodes[i].inputs) {
        if (!in.empty()) ++consumers_[in];
      }
    }
    for (const auto& o : g_.outputs) ++consumers_[o];  // a graph output is consumed outside
  }

  OnnxImport run() {
    OnnxImport r;
    r.opset = g_.opset;
    const size_t slash = g_.file.find_last_of('/');
    std::string stem = slash == std::string::npos ? g_.file : g_.file.substr(slash + 1);
    if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".onnx") stem.resize(stem.size() - 5);
    r.workload.name = stem;
    r.workload.source = g_.file;
    if (read_weights_) {
      weights_ = std::make_unique<OnnxWeightReader>(g_, producer_, &r.weights, &r.folded_scales);
    }
    for (const auto& n : g_.nodes) r.nodes.push_back(import_node(n, &r.workload));
    r.workload.names_vector_layers = true;
    schedule_vector_layers(r);
    if (r.workload.layers.empty()) {
      throw InputError(g_.file +
                       ": no Conv, ConvTranspose, Gemm or MatMul node: nothing for the "
                       "array to run");
    }
    return r;
  }

 private:
  const OnnxGraph& g_;
  const bool read_weights_;
  std::unique_ptr<OnnxWeightReader> weights_;  // with read_weights_, while run() fills a result
  std::map<std::string, int> consumers_;
  std::map<std::string, const OnnxNode*> producer_;
  std::map<std::string, std::string> owner_;  // value -> the layer whose output stage makes it

  // Lists the vector nodes with where they run: after the array layers that produce their inputs
  // (through any node), before the first array layer that reads their result; in issue order
  // (stable by after_layer, which keeps every producer before its consumers).
  void schedule_vector_layers(OnnxImport& r) const {
    const int64_t n_layers = static_cast<int64_t>(r.workload.layers.size());
    std::map<std::string, int64_t> ready;  // value -> array layers that must be done first
    std::vector<int64_t> after(g_.nodes.size(), 0), layer_index(g_.nodes.size(), -1);
    int64_t next_layer = 0;
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      int64_t need = 0;
      for (const auto& in : g_.nodes[i].inputs) {
        const auto it = ready.find(in);
        if (it != ready.end()) need = std::max(need, it->second);
      }
      if (r.nodes[i].role == OnnxNodeRole::kLayer) {
        layer_index[i] = next_layer++;
        need = layer_index[i] + 1;
      }
      after[i] = need;
      for (const auto& o : g_.nodes[i].outputs) ready[o] = need;
    }
    std::map<std::string, int64_t> first_reader;  // value -> first array layer reading it
    for (const auto& o : g_.outputs) first_reader[o] = n_layers;
    std::vector<int64_t> blocks(g_.nodes.size(), n_layers);
    for (size_t k = g_.nodes.size(); k-- > 0;) {
      int64_t b = n_layers;
      if (layer_index[k] >= 0) {
        b = layer_index[k];
      } else {
        for (const auto& o : g_.nodes[k].outputs) {
          const auto it = first_reader.find(o);
          if (it != first_reader.end()) b = std::min(b, it->second);
        }
      }
      blocks[k] = b;
      for (const auto& in : g_.nodes[k].inputs) {
        auto [it, fresh] = first_reader.emplace(in, b);
        if (!fresh) it->second = std::min(it->second, b);
      }
    }
    std::map<std::string, int64_t> layer_by_name;
    for (size_t l = 0; l < r.workload.layers.size(); ++l) {
      layer_by_name[r.workload.layers[l].name] = static_cast<int64_t>(l);
    }
    std::vector<std::pair<VectorLayer, const OnnxNode*>> listed;
    for (size_t i = 0; i < r.nodes.size(); ++i) {
      const OnnxNodeImport& n = r.nodes[i];
      if (n.role != OnnxNodeRole::kVector) continue;
      VectorLayer v = vector_layer_of(n);
      v.after_layer = after[i];
      v.blocks_layer = std::max(blocks[i], after[i]);
      // The dataflow vector.fusion reads.
      const OnnxNode& node = g_.nodes[i];
      for (const auto& in : node.inputs) {
        v.input_names.push_back(in);
        v.input_constant.push_back(!in.empty() && constant(in));
        const auto owner = owner_.find(in);
        if (owner != owner_.end() && layer_by_name.count(owner->second)) {
          v.reads_layer = layer_by_name.at(owner->second);
          v.reads_layer_input = static_cast<int64_t>(v.input_names.size()) - 1;
          const auto readers = consumers_.find(in);
          v.layer_output_readers = readers == consumers_.end() ? 0 : readers->second;
        }
      }
      if (!node.outputs.empty()) {
        v.output_name = node.outputs[0];
        const auto readers = consumers_.find(node.outputs[0]);
        v.output_readers = readers == consumers_.end() ? 0 : readers->second;
      }
      listed.emplace_back(std::move(v), &g_.nodes[i]);
    }
    std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
      return a.first.after_layer < b.first.after_layer;
    });
    // Chained: a vector node reading the one-output result of the node issued just before it,
    // which nothing else reads.
    for (size_t k = 1; k < listed.size(); ++k) {
      const OnnxNode& prev = *listed[k - 1].second;
      const auto& inputs = listed[k].second->inputs;
      const auto readers = consumers_.find(prev.outputs[0]);  // none: a dangling result
      listed[k].first.chained =
          prev.outputs.size() == 1 && readers != consumers_.end() && readers->second == 1 &&
          std::find(inputs.begin(), inputs.end(), prev.outputs[0]) != inputs.end();
    }
    for (auto& entry : listed) r.workload.vector_layers.push_back(std::move(entry.first));
    check_vector_schedule(r.workload, g_.file);
  }

  [[noreturn]] void fail(const OnnxNode& n, const std::string& what) const {
    throw_node_error(g_, n, what);
  }

  bool constant(const std::string& name) const {
    const OnnxValue& v = g_.value(name);
    return v.has_data || v.is_initializer;
  }

  OnnxNodeImport import_node(const OnnxNode& n, Workload* w) {
    OnnxNodeImport r;
    r.name = n.name;
    r.op = n.op;
    for (const auto& in : n.inputs)
      r.input_shapes.push_back(in.empty() ? std::vector<int64_t>{} : g_.value(in).shape);
    if (!n.outputs.empty()) {
      const OnnxValue& o = g_.value(n.outputs[0]);
      r.output_shape = o.shape;
      r.elements = o.elements();
    }
    static const std::set<std::string> layers = {"Conv", "ConvInteger", "ConvTranspose",
                                                 "Gemm", "MatMul",      "MatMulInteger"};
    const bool all_constant =
        std::all_of(n.inputs.begin(), n.inputs.end(),
                    [&](const std::string& s) { return s.empty() || constant(s); });
    if (layers.count(n.op) && !(all_constant && !n.inputs.empty())) {
      if (n.inputs.size() < 2 || n.inputs[0].empty() || n.inputs[1].empty()) {
        fail(n, "needs two operands");
      }
      Layer l = map_layer(n, &r);
      check_layer_counts(l, g_.file + ": node '" + n.name + "'");  // before anything multiplies
      if (l.macs() <= 0 || r.elements <= 0) {
        fail(n, "an empty product (operands " + shape_text(g_.value(n.inputs[0]).shape) + " and " +
                    shape_text(g_.value(n.inputs[1]).shape) + ", output " +
                    shape_text(r.output_shape) + "): strata maps no layer with a zero dim");
      }
      r.role = OnnxNodeRole::kLayer;
      r.macs = l.macs();
      const std::string& wname = n.inputs.size() > 1 ? n.inputs[1] : std::string();
      if (!wname.empty() && g_.value(wname).is_initializer) r.weight = wname;
      if (read_weights_ && !r.weight.empty()) weights_->read_layer_weights(n, l);
      w->layers.push_back(std::move(l));
      owner_[n.outputs[0]] = n.name;
      return r;
    }
    if (read_weights_ && n.op == "BatchNormalization") weights_->check_batch_norm(n);
    // Computed at import: constants, arithmetic on constants (weight preprocessing), and shape
    // computations whose results are known (Shape of a tensor with a static shape, ...).
    const bool outputs_known =
        !n.outputs.empty() &&
        std::all_of(n.outputs.begin(), n.outputs.end(),
                    [&](const std::string& s) { return s.empty() || g_.value(s).has_data; });
    if (n.op == "Constant" || (all_constant && !n.inputs.empty()) || outputs_known) {
      r.role = OnnxNodeRole::kFolded;
      return r;
    }
    // The output stage of the layer that produces this node's input, if nothing else reads it.
    const std::string& x = n.inputs.empty() ? std::string() : n.inputs[0];
    const auto owner = owner_.find(x);
    if (owner != owner_.end() && consumers_[x] == 1 && fusable(n)) {
      r.role = OnnxNodeRole::kFused;
      r.fused_into = owner->second;
      if (read_weights_ && n.op == "BatchNormalization")
        weights_->fold_batch_norm(n, owner->second);
      owner_[n.outputs[0]] = owner->second;
      return r;
    }
    static const std::set<std::string> views = {"Reshape",   "Flatten",  "Squeeze",
                                                "Unsqueeze", "Identity", "Dropout"};
    r.role = views.count(n.op) ? OnnxNodeRole::kView : OnnxNodeRole::kVector;
    if (n.op == "MaxPool" || n.op == "AveragePool" || n.op == "LpPool") {
      for (int64_t k : onnx_attr_ints(n, "kernel_shape")) r.window *= k;
    }
    if (n.op == "Resize" || n.op == "Upsample") {
      const auto* mode = onnx_attr(n, "mode");
      r.mode = mode ? mode->s() : "nearest";
    }
    return r;
  }

  // Ops the array's output stage applies as results leave it: normalization folded into the
  // weights, a bias, and the cheap activations.
  bool fusable(const OnnxNode& n) const {
    if (n.op == "BatchNormalization" || n.op == "Relu" || n.op == "Clip" || n.op == "LeakyRelu") {
      return true;
    }
    if (n.op == "Add" && n.inputs.size() == 2) {
      // A bias: the other operand is a constant of no more elements than the channel dim.
      const OnnxValue& b = g_.value(n.inputs[1]);
      const std::vector<int64_t>& x = g_.value(n.inputs[0]).shape;
      return b.is_initializer && !x.empty() && b.elements() <= x.back() &&
             g_.value(n.outputs[0]).shape == g_.value(n.inputs[0]).shape;
    }
    return false;
  }

  Layer map_layer(const OnnxNode& n, OnnxNodeImport* r) const {
    const std::vector<int64_t> a = g_.value(n.inputs[0]).shape;
    const std::vector<int64_t> b = g_.value(n.inputs.at(1)).shape;
    const std::vector<int64_t> y = g_.value(n.outputs[0]).shape;
    if (n.op == "Conv" || n.op == "ConvInteger") {
      if (a.size() != 4 && a.size() != 3) {
        fail(n, std::to_string(a.size() - 2) + "-D convolution is not supported (1-D and 2-D are)");
      }
      const bool one_d = a.size() == 3;
      std::vector<int64_t> dil = onnx_attr_ints(n, "dilations");
      dil.resize(one_d ? 1 : 2, 1);
      Layer l;
      l.dilation_h = one_d ? 1 : dil[0];
      l.dilation_w = one_d ? dil[0] : dil[1];
      l.name = n.name;
      l.type = LayerType::kConv2d;
      l.batch = a[0];
      l.in_c = a[1];
      l.out_c = b[0];
      l.groups = onnx_attr_int(n, "group", 1);
      l.kernel_h = one_d ? 1 : b[2];
      l.kernel_w = one_d ? b[2] : b[3];
      std::vector<int64_t> strides = onnx_attr_ints(n, "strides");
      strides.resize(one_d ? 1 : 2, 1);
      l.stride_h = one_d ? 1 : strides[0];
      l.stride_w = one_d ? strides[0] : strides[1];
      const int64_t in_h = one_d ? 1 : a[2], in_w = one_d ? a[2] : a[3];
      const int64_t out_h = one_d ? 1 : y[2], out_w = one_d ? y[2] : y[3];
      // Pads as ONNX resolves them (auto_pad included): total = (out-1)*s + k - in, >= 0.
      auto total_pad = [](int64_t out, int64_t s, int64_t k, int64_t in) {
        return std::max<int64_t>(0, (out - 1) * s + k - in);
      };
      std::vector<int64_t> pads = onnx_attr_ints(n, "pads");
      const std::string auto_pad = [&] {
        const auto* p = onnx_attr(n, "auto_pad");
        return p ? p->s() : std::string("NOTSET");
      }();
      int64_t ph_begin = 0, ph_end = 0, pw_begin = 0, pw_end = 0;
      if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        const int64_t th = total_pad(out_h, l.stride_h, l.window_h(), in_h);
        const int64_t tw = total_pad(out_w, l.stride_w, l.window_w(), in_w);
        const bool upper = auto_pad == "SAME_UPPER";
        ph_begin = upper ? th / 2 : th - th / 2;
        pw_begin = upper ? tw / 2 : tw - tw / 2;
        ph_end = th - ph_begin;
        pw_end = tw - pw_begin;
      } else if (auto_pad != "VALID" && !pads.empty()) {
        if (one_d) {
          pads.resize(2, 0);
          pw_begin = pads[0];
          pw_end = pads[1];
        } else {
          pads.resize(4, 0);
          ph_begin = pads[0];
          pw_begin = pads[1];
          ph_end = pads[2];
          pw_end = pads[3];
        }
      }
      // strata's layers pad symmetrically: the extra padding of an asymmetric side joins the
      // input (the same output size and MACs; a few padding zeros counted as input traffic).
      l.pad_h = std::min(ph_begin, ph_end);
      l.pad_w = std::min(pw_begin, pw_end);
      l.in_h = in_h + std::abs(ph_begin - ph_end);
      l.in_w = in_w + std::abs(pw_begin - pw_end);
      r->pads = {ph_begin, pw_begin, ph_end, pw_end};
      if (ph_begin != ph_end || pw_begin != pw_end) {
        r->note = "asymmetric padding: the extra side counted as input rows/columns";
      }
      if (l.out_h() != out_h || l.out_w() != out_w) {
        fail(n, "maps to a " + std::to_string(l.out_h()) + "x" + std::to_string(l.out_w()) +
                    " output instead of " + std::to_string(out_h) + "x" + std::to_string(out_w));
      }
      return l;
    }
    if (n.op == "ConvTranspose") {
      if (a.size() != 4) fail(n, "only 2-D ConvTranspose is supported");
      const int64_t group = onnx_attr_int(n, "group", 1);
      // Each input pixel times each filter tap: (N H W) x (C/g) times (C/g) x (M/g kh kw), per
      // group; the overlapping outputs are summed as they are written (col2im).
      r->note = "as the GEMM of its useful products; overlapping outputs summed on write";
      Layer l = gemm_layer(n.name, group, a[0] * a[2] * a[3], a[1] / group, b[1] * b[2] * b[3]);
      return l;
    }
    if (n.op == "Gemm") {
      const bool ta = onnx_attr_int(n, "transA", 0) != 0;
      return gemm_layer(n.name, 1, ta ? a[1] : a[0], ta ? a[0] : a[1], y[1]);
    }
    // MatMul: the leading dims are independent products. A second operand without leading dims
    // (a weight matrix, or a vector) is shared by all of them: one product of every row of the
    // first, [.. x m, k] x [k, n] (the first operand's rows are contiguous, ONNX's broadcast).
    const int64_t k = a.back();
    const int64_t cols = b.size() >= 2 ? b.back() : 1;
    if (b.size() <= 2) {
      int64_t rows = 1;
      for (size_t d = 0; d + 1 < a.size(); ++d) rows *= a[d];
      return gemm_layer(n.name, 1, rows, k, cols);
    }
    // Both have leading dims: the broadcast batch of independent products.
    const int64_t m = a.size() >= 2 ? a[a.size() - 2] : 1;
    int64_t batch = 1;
    for (size_t d = 0; d + 2 < b.size() || d + 2 < a.size(); ++d) {
      const int64_t da = d + 2 < a.size() ? a[a.size() - 3 - d] : 1;
      const int64_t db = d + 2 < b.size() ? b[b.size() - 3 - d] : 1;
      batch *= std::max(da, db);
    }
    return gemm_layer(n.name, batch, m, k, cols);
  }
};

}  // namespace

VectorLayer vector_layer_of(const OnnxNodeImport& n) {
  VectorLayer v;
  v.name = n.name;
  v.op = n.op;
  v.input_shapes = n.input_shapes;
  v.output_shape = n.output_shape;
  v.elements = n.elements;
  v.window = n.window;
  v.mode = n.mode;
  return v;
}

OnnxImport import_onnx_graph(const OnnxGraph& g, const std::string& bytes,
                             const OnnxImportOptions& options) {
  OnnxImport r = Importer(g, options.read_weights).run();
  if (options.read_weights && !bytes.empty()) {
    r.sha256 = sha256_hex(bytes);
    const size_t slash = g.file.find_last_of('/');
    const std::string file = slash == std::string::npos ? g.file : g.file.substr(slash + 1);
    r.weight_files = {{file, r.sha256}};
    for (auto& [name, w] : r.weights) {
      w.source = "real: " + file + " (sha256 " + r.sha256 + ") " + w.source.substr(6);
    }
  }
  return r;
}

OnnxImport import_onnx(const std::string& path, const OnnxImportOptions& options) {
  const std::string bytes = read_onnx_file(path);
  const OnnxGraph g = parse_onnx_graph(bytes, path, options.input_shapes);
  return import_onnx_graph(g, options.read_weights ? bytes : std::string(), options);
}

}  // namespace strata
