#include "workloads/layer.h"

#include <tuple>

#include "common/checked_math.h"
#include "common/input_error.h"

namespace strata {
namespace {

int64_t conv_out(int64_t in, int64_t pad, int64_t kernel, int64_t stride, OutputSizeRule rule) {
  const int64_t padded = in + 2 * pad;
  if (rule == OutputSizeRule::kScaleSim) return (padded - kernel + stride + stride - 1) / stride;
  return (padded - kernel) / stride + 1;
}

}  // namespace

Layer conv_layer(std::string name, int64_t batch, int64_t h, int64_t c, int64_t out_c,
                 int64_t kernel, int64_t stride, int64_t pad, int64_t groups) {
  Layer l;
  l.name = std::move(name);
  l.type = LayerType::kConv2d;
  l.batch = batch;
  l.in_h = l.in_w = h;
  l.in_c = c;
  l.out_c = out_c;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = pad;
  l.groups = groups;
  return l;
}

Layer gemm_layer(std::string name, int64_t batch, int64_t m, int64_t k, int64_t n) {
  Layer l;
  l.name = std::move(name);
  l.type = LayerType::kGemm;
  l.batch = batch;
  l.m = m;
  l.k = k;
  l.n = n;
  return l;
}

int64_t Layer::out_h() const {
  return conv_out(in_h, pad_h, window_h(), stride_h, OutputSizeRule::kStandard);
}
int64_t Layer::out_w() const {
  return conv_out(in_w, pad_w, window_w(), stride_w, OutputSizeRule::kStandard);
}

GemmView gemm_view(const Layer& layer, OutputSizeRule rule) {
  GemmView v;
  if (layer.type == LayerType::kGemm) {
    v.rows = layer.m;
    v.depth = layer.k;
    v.cols = layer.n;
    v.count = layer.batch;
    return v;
  }
  const int64_t e = conv_out(layer.in_h, layer.pad_h, layer.window_h(), layer.stride_h, rule);
  const int64_t f = conv_out(layer.in_w, layer.pad_w, layer.window_w(), layer.stride_w, rule);
  v.rows = layer.batch * e * f;
  v.depth = layer.kernel_h * layer.kernel_w * (layer.in_c / layer.groups);
  v.cols = layer.out_c / layer.groups;
  v.count = layer.groups;
  return v;
}

namespace {
auto fields_but_name(const Layer& l) {
  return std::tie(l.type, l.batch, l.in_h, l.in_w, l.in_c, l.out_c, l.kernel_h, l.kernel_w,
                  l.stride_h, l.stride_w, l.pad_h, l.pad_w, l.groups, l.dilation_h, l.dilation_w,
                  l.m, l.n, l.k, l.weight_bits, l.input_bits, l.weight_type, l.input_type,
                  l.weight_density, l.input_density, l.dbb_bz, l.weight_nnz, l.activation_nnz,
                  l.product_density, l.mapping);
}
// A field added to Layer must join the comparison above (this size is Layer's on LP64 with
// libstdc++ at the time of writing: update both together).
static_assert(sizeof(void*) != 8 || sizeof(Layer) == 312,
              "Layer changed: add the new field to fields_but_name, then update this size");
}  // namespace

bool same_but_name(const Layer& a, const Layer& b) {
  return fields_but_name(a) == fields_but_name(b);
}

int64_t Layer::macs() const { return gemm_view(*this).macs(); }

int64_t Layer::input_elements() const {
  if (type == LayerType::kGemm) return batch * m * k;
  return batch * in_h * in_w * in_c;
}

int64_t Layer::weight_elements() const {
  if (type == LayerType::kGemm) return batch * k * n;
  return kernel_h * kernel_w * (in_c / groups) * out_c;
}

int64_t Layer::output_elements() const {
  if (type == LayerType::kGemm) return batch * m * n;
  return batch * out_h() * out_w() * out_c;
}

void validate_layer(const Layer& l, const std::string& where) {
  auto require = [&](bool ok, const std::string& what) {
    if (!ok) throw InputError(where + ": layer '" + l.name + "': " + what);
  };
  constexpr int64_t kMaxDim = int64_t{1} << 24;  // keeps every product below 2^63
  auto dim = [&](int64_t value, const char* key, int64_t min) {
    require(value >= min && value <= kMaxDim, std::string("'") + key + "' must be an integer in [" +
                                                  std::to_string(min) + ", 16777216], got " +
                                                  std::to_string(value));
  };
  require(!l.name.empty(), "layer name must not be empty");
  dim(l.batch, "batch", 1);
  if (l.type == LayerType::kGemm) {
    dim(l.m, "m", 1);
    dim(l.n, "n", 1);
    dim(l.k, "k", 1);
    return;
  }
  dim(l.in_h, "in_h", 1);
  dim(l.in_w, "in_w", 1);
  dim(l.in_c, "in_c", 1);
  dim(l.out_c, "out_c", 1);
  dim(l.kernel_h, "kernel_h", 1);
  dim(l.kernel_w, "kernel_w", 1);
  dim(l.stride_h, "stride_h", 1);
  dim(l.stride_w, "stride_w", 1);
  dim(l.pad_h, "pad_h", 0);
  dim(l.pad_w, "pad_w", 0);
  dim(l.groups, "groups", 1);
  dim(l.dilation_h, "dilation_h", 1);
  dim(l.dilation_w, "dilation_w", 1);
  require(l.in_c % l.groups == 0 && l.out_c % l.groups == 0,
          "'groups' (" + std::to_string(l.groups) + ") must divide in_c (" +
              std::to_string(l.in_c) + ") and out_c (" + std::to_string(l.out_c) + ")");
  require(l.window_h() <= l.in_h + 2 * l.pad_h && l.window_w() <= l.in_w + 2 * l.pad_w,
          "kernel (with its dilation) larger than the padded input");
  check_layer_counts(l, where);
}

void check_layer_counts(const Layer& l, const std::string& where) {
  // Each dimension is in range; their products must be too, before anything multiplies them.
  const auto limit = [&](std::optional<int64_t> count, const char* what) {
    if (!count) {
      throw InputError(where + ": layer '" + l.name + "': its " + what + " exceed " +
                       std::to_string(kMaxLayerCount) + " (2^48), the most one layer may have");
    }
  };
  if (l.type == LayerType::kGemm) {
    limit(checked_product({l.batch, l.m, l.k}, kMaxLayerCount), "input elements");
    limit(checked_product({l.batch, l.k, l.n}, kMaxLayerCount), "weight elements");
    limit(checked_product({l.batch, l.m, l.n}, kMaxLayerCount), "output elements");
    limit(checked_product({l.batch, l.m, l.k, l.n}, kMaxLayerCount), "MACs");
  } else {
    limit(checked_product({l.batch, l.in_h, l.in_w, l.in_c}, kMaxLayerCount), "input elements");
    limit(checked_product({l.kernel_h, l.kernel_w, l.in_c / l.groups, l.out_c}, kMaxLayerCount),
          "weight elements");
    limit(checked_product({l.batch, l.out_h(), l.out_w(), l.out_c}, kMaxLayerCount),
          "output elements");
    limit(checked_product(
              {l.batch, l.out_h(), l.out_w(), l.kernel_h, l.kernel_w, l.in_c / l.groups, l.out_c},
              kMaxLayerCount),
          "MACs");
  }
}

std::string WeightProvenance::kind() const {
  if (!known || (real_layers == 0 && synthetic_layers == 0)) return "none";
  if (synthetic_layers == 0) return "real";
  return real_layers == 0 ? "synthetic" : "mixed";
}

std::string WeightProvenance::describe() const {
  const std::string k = kind();
  if (k == "none") return "none (layer shapes only)";
  std::string real;
  for (const auto& f : files) {
    real += (real.empty() ? "" : ", ") + f.name + " (sha256 " + f.sha256.substr(0, 12) + ")";
  }
  if (real.empty()) real = "files not recorded";
  if (k == "real") return "real: " + real;
  const std::string drawn = "synthetic: " + (synthetic.empty() ? "not recorded" : synthetic);
  if (k == "synthetic") return drawn;
  return "mixed: " + std::to_string(real_layers) + " layers real (" + real + "), " +
         std::to_string(synthetic_layers) + " " + drawn;
}

int64_t Workload::macs() const {
  int64_t total = 0;
  for (const auto& l : layers) total += l.macs();
  return total;
}

}  // namespace strata

namespace strata {

VectorLayer vector_layer(std::string name, std::string op,
                         std::vector<std::vector<int64_t>> input_shapes,
                         std::vector<int64_t> output_shape, int64_t after_layer, int64_t window) {
  VectorLayer v;
  v.name = std::move(name);
  v.op = std::move(op);
  v.input_shapes = std::move(input_shapes);
  v.output_shape = std::move(output_shape);
  v.elements = 1;
  for (int64_t d : v.output_shape) v.elements *= d;
  v.window = window;
  v.after_layer = v.blocks_layer = after_layer;
  return v;
}

void append_chained_vector_layer(Workload& w, VectorLayer v) {
  v.after_layer = v.blocks_layer = static_cast<int64_t>(w.layers.size());
  v.chained = !w.vector_layers.empty() && w.vector_layers.back().after_layer == v.after_layer;
  w.vector_layers.push_back(std::move(v));
}

void check_vector_schedule(const Workload& w, const std::string& where) {
  const int64_t n = static_cast<int64_t>(w.layers.size());
  int64_t last_after = 0;
  for (const VectorLayer& v : w.vector_layers) {
    const std::string at = where + ": vector layer '" + v.name + "': ";
    if (v.after_layer < 0 || v.after_layer > n || v.blocks_layer < v.after_layer ||
        v.blocks_layer > n) {
      throw InputError(at + "runs after " + std::to_string(v.after_layer) +
                       " array layers and before array layer " + std::to_string(v.blocks_layer) +
                       "; expected 0 <= after <= before <= " + std::to_string(n));
    }
    if (v.chained && &v == &w.vector_layers.front()) {
      throw InputError(at + "chained to the vector layer before it, but it is the first");
    }
    if (v.after_layer < last_after) {
      throw InputError(at + "listed after vector work that waits for more array layers (" +
                       std::to_string(last_after) + " > " + std::to_string(v.after_layer) +
                       "): expected issue order");
    }
    last_after = v.after_layer;
  }
}

MapDims mapping_dims(const Layer& layer) {
  MapDims d{};
  d.fill(1);
  if (layer.type == LayerType::kGemm) {
    d[map_dim_index(MapDim::kP)] = layer.m;
    d[map_dim_index(MapDim::kC)] = layer.k;
    d[map_dim_index(MapDim::kK)] = layer.n;
    return d;
  }
  d[map_dim_index(MapDim::kN)] = layer.batch;
  d[map_dim_index(MapDim::kC)] = layer.in_c / layer.groups;
  d[map_dim_index(MapDim::kK)] = layer.out_c / layer.groups;
  d[map_dim_index(MapDim::kP)] = layer.out_h();
  d[map_dim_index(MapDim::kQ)] = layer.out_w();
  d[map_dim_index(MapDim::kR)] = layer.kernel_h;
  d[map_dim_index(MapDim::kS)] = layer.kernel_w;
  return d;
}

int64_t mapping_instances(const Layer& layer) {
  return layer.type == LayerType::kGemm ? layer.batch : layer.groups;
}

}  // namespace strata
