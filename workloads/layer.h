#pragma once
// A network layer as the simulator sees it: a 2-D convolution or a (batched) matrix product, and
// its "operand view" as independent GEMMs (rows x reduction x cols), the form every array maps.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/mapping/mapping.h"
#include "workloads/weight_file.h"

namespace strata {

enum class LayerType { kConv2d, kGemm };

struct Layer {
  std::string name;
  LayerType type = LayerType::kConv2d;

  // conv2d: input batch x in_h x in_w x in_c, out_c filters of kernel_h x kernel_w x in_c/groups.
  int64_t batch = 1;
  int64_t in_h = 1, in_w = 1, in_c = 1, out_c = 1;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t groups = 1;
  // Dilation: filter taps dilation apart, so a window spans (kernel - 1) * dilation + 1 inputs
  // (the taps, and so the MACs, stay kernel_h x kernel_w).
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t window_h() const { return (kernel_h - 1) * dilation_h + 1; }
  int64_t window_w() const { return (kernel_w - 1) * dilation_w + 1; }

  // gemm: `batch` independent products of (m x k) * (k x n).
  int64_t m = 1, n = 1, k = 1;

  // From a quantized trace: operand widths (0 = the accelerator config's) and the non-zero
  // fractions of weights and input activations.
  int weight_bits = 0;
  int input_bits = 0;
  std::string weight_type, input_type;  // trace type names ("int", "flint", ...); empty = int
  double weight_density = 1.0;
  double input_density = 1.0;
  // DBB bounds from a trace (docs/references.md §4): at most weight_nnz non-zeros per block of
  // dbb_bz weights along K, activation_nnz kept per input block by the top-k unit. nnz == bz:
  // dense.
  int dbb_bz = 8;
  int weight_nnz = 8;
  int activation_nnz = 8;
  // Measured on real inputs (functional mode): the fraction of MACs whose two operands are both
  // non-zero after the top-k unit, which a zero-gating array cannot gate; < 0 = not measured (the
  // product of the two densities stands in).
  double product_density = -1;
  // An explicit mapping (docs/mapping.md) the layer runs with; empty: the tiler chooses.
  Mapping mapping;

  int64_t out_h() const;  // standard floor((H + 2p - R) / s) + 1
  int64_t out_w() const;
  int64_t macs() const;
  int64_t input_elements() const;  // unpadded input tensor
  int64_t weight_elements() const;
  int64_t output_elements() const;
};

// Every field but the name equal: the layers run identically (ResNet's repeated blocks), so one's
// tiling serves the other.
bool same_but_name(const Layer& a, const Layer& b);

// A convolution on a square input: batch x h x h x c into out_c filters of kernel x kernel.
Layer conv_layer(std::string name, int64_t batch, int64_t h, int64_t c, int64_t out_c,
                 int64_t kernel, int64_t stride = 1, int64_t pad = 0, int64_t groups = 1);
// `batch` independent (m x k) * (k x n) products.
Layer gemm_layer(std::string name, int64_t batch, int64_t m, int64_t k, int64_t n);

// A layer's dimensions in mapping names (workloads/mapping/mapping.h), for one of its independent
// instances: a convolution's groups and a batched matrix product's batch entries are instances
// that run one after another with the same mapping (mapping_instances). A matrix product
// (m x k) * (k x n) is P = m, C = k, K = n, the rest 1.
MapDims mapping_dims(const Layer& layer);
int64_t mapping_instances(const Layer& layer);

// How the output size of a convolution is derived. `kStandard` is the usual floor formula;
// `kScaleSim` is SCALE-Sim v2's ceil((H + 2p - R + s) / s), which counts a partial window.
enum class OutputSizeRule { kStandard, kScaleSim };

// A layer as `count` independent GEMMs of (rows x depth) * (depth x cols):
// rows = output pixels (Npix), depth = reduction K = R*S*C/groups, cols = filters per group.
struct GemmView {
  int64_t rows = 0;
  int64_t depth = 0;
  int64_t cols = 0;
  int64_t count = 1;
  int64_t macs() const { return rows * depth * cols * count; }
};

GemmView gemm_view(const Layer& layer, OutputSizeRule rule = OutputSizeRule::kStandard);

// Every element count and the MAC count of one layer stay at or below this (so products of them
// with widths and byte counts never overflow int64).
constexpr int64_t kMaxLayerCount = int64_t{1} << 48;

// Throws InputError naming `where` (file and layer) if any dimension is out of range or a count
// of the layer (elements, MACs) exceeds kMaxLayerCount.
void validate_layer(const Layer& layer, const std::string& where);
// The count checks alone, for layers whose dimensions are known to be in range.
void check_layer_counts(const Layer& layer, const std::string& where);

// Work between the GEMMs: an operation for the vector unit (docs/vector.md), named by its ONNX
// operator ("Add", "Softmax", "MaxPool", ...), with its shapes and the elements it produces.
struct VectorLayer {
  std::string name, op;
  std::vector<std::vector<int64_t>> input_shapes;
  std::vector<int64_t> output_shape;
  int64_t elements = 0;
  int64_t window = 1;  // pooling: the kernel's elements
  std::string mode;    // resize: "nearest", "linear", "cubic"
  // Where it runs: it may start once the first `after_layer` array layers are done (its inputs
  // exist), and array layer `blocks_layer` is the first that reads its result, directly or through
  // other vector layers (layers.size(): none does, so it overlaps with all that follow).
  int64_t after_layer = 0;
  int64_t blocks_layer = 0;
  // It reads the result of the vector layer listed just before it, the only reader of that result:
  // the unit chains the two, so that intermediate stays on chip (no DRAM store and load).
  bool chained = false;
  // The dataflow vector.fusion needs beyond `chained` (ONNX imports; empty for the zoo, whose
  // chains are its only fusible runs): per input its value's name and whether it is a constant
  // (an initializer, small and held on chip), the result's name and how many nodes and graph
  // outputs read it, and the array layer whose output it reads (-1: none) with that output's
  // readers.
  std::vector<std::string> input_names;
  std::vector<bool> input_constant;
  std::string output_name;
  int64_t output_readers = 1;
  int64_t reads_layer = -1;
  int64_t reads_layer_input = -1;  // which input that is
  int64_t layer_output_readers = 0;
};

// Where a workload's weight values came from. Only a quantized trace (the front end's, or a trace
// file) has weight values; other workloads are shapes (timing from declared densities).
struct WeightProvenance {
  bool known = false;
  int64_t real_layers = 0, synthetic_layers = 0;
  std::vector<WeightFile> files;  // the real ones, by content
  std::string synthetic;          // how the synthetic ones were drawn ("" if none)
  // "real", "synthetic", "mixed" (some layers each), or "none" (shapes only).
  std::string kind() const;
  // One line for terminals and tables: "synthetic: gaussian, ... seed 1", "real: a.json (sha256
  // 1f2e3d4c5b6a...) ...", "none (layer shapes only)".
  std::string describe() const;
};

struct Workload {
  std::string name;
  std::string source;  // zoo name or file path, for the report
  std::vector<Layer> layers;
  // The model's vector work, when the workload names it (ONNX models and the zoo; topologies and
  // traces hold array layers only). In issue order: after_layer never decreases.
  bool names_vector_layers = false;
  std::vector<VectorLayer> vector_layers;
  WeightProvenance weights;
  int64_t macs() const;
};

// A vector layer whose result the next array layer reads: it runs after the `after_layer` array
// layers listed so far and before the next. `elements` follows from the output shape.
VectorLayer vector_layer(std::string name, std::string op,
                         std::vector<std::vector<int64_t>> input_shapes,
                         std::vector<int64_t> output_shape, int64_t after_layer,
                         int64_t window = 1);

// Appends `v` to run after the array layers listed so far and before the next (its after_layer and
// blocks_layer), chained to the vector layer before it when no array layer came between them: the
// zoo's builders list vector work as chains, each op reading the one before.
void append_chained_vector_layer(Workload& w, VectorLayer v);

// Throws InputError naming `where` and the vector layer if the vector layers are out of issue
// order or a layer's after_layer / blocks_layer are out of range (0 <= after <= blocks <= layers).
void check_vector_schedule(const Workload& w, const std::string& where);

}  // namespace strata
