#pragma once
// An ONNX graph as strata layers (docs/workloads.md, "ONNX models"): Conv, ConvTranspose, Gemm and
// MatMul become array layers named after their nodes; BatchNormalization and bias adds after
// them, and the activations the array's output stage applies (Relu, Clip, LeakyRelu), are folded
// into them; constant shape sub-graphs and pure views (Reshape, Flatten, Squeeze, ...) vanish;
// every other node is a vector operation, listed with its shapes and element counts (costed by the
// vector unit once it exists: zero until then, and said so).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "workloads/layer.h"
#include "workloads/layer_weights.h"
#include "workloads/onnx/onnx_graph.h"

namespace strata {

// How a node was imported.
enum class OnnxNodeRole {
  kLayer,   // an array layer (Conv, ConvTranspose, Gemm, MatMul)
  kFused,   // folded into the layer before it (BatchNormalization, bias Add, activation)
  kFolded,  // a constant computed at import (shape arithmetic, Constant)
  kView,    // no data moves (Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout, Cast of
            // weights)
  kVector,  // work for the vector unit
};

const char* to_string(OnnxNodeRole role);

struct OnnxNodeImport {
  std::string name, op;
  OnnxNodeRole role = OnnxNodeRole::kVector;
  std::vector<std::vector<int64_t>> input_shapes;
  std::vector<int64_t> output_shape;  // the first output's
  int64_t elements = 0;               // output elements (vector work: elements produced)
  int64_t macs = 0;                   // array layers: useful products
  std::string weight;                 // array layers: the initializer holding the weights, or ""
  std::string fused_into;             // kFused: the layer's name
  std::string note;                   // how the mapping approximates, if it does
  int64_t window = 1;                 // pooling: kernel elements
  std::string mode;                   // resize: interpolation mode
  // Conv: the padding as ONNX resolves it (top, left, bottom, right); the layer pads
  // symmetrically by the smaller side and counts the extra as input rows/columns.
  std::vector<int64_t> pads;
};

// A vector node as the vector unit sees it: name, op, shapes, window and mode (the dataflow
// fields are the importer's to fill).
VectorLayer vector_layer_of(const OnnxNodeImport& n);

struct OnnxImport {
  Workload workload;                  // the array layers, in graph order
  std::vector<OnnxNodeImport> nodes;  // every node, in graph order
  int64_t opset = 0;
  // With OnnxImportOptions::read_weights: the float weights of every layer whose weights are an
  // initializer, in strata's layout ([out, in/groups, kh, kw]; [out, in] for GEMMs), with a
  // BatchNormalization fused after it folded in; and the model file's SHA-256.
  std::map<std::string, LayerWeights> weights;
  std::string sha256;
  std::vector<WeightFile> weight_files;  // the files `weights` came from (the model file)
  // Per layer, the BatchNormalization multipliers folded into `weights` (per output channel): the
  // weights are the node's own times these. Absent when nothing was folded.
  std::map<std::string, std::vector<float>> folded_scales;
  size_t count(OnnxNodeRole role) const;
  int64_t vector_elements() const;  // output elements of the vector nodes
};

struct OnnxImportOptions {
  std::map<std::string, std::vector<int64_t>> input_shapes;  // --input-shape
  bool read_weights = false;
};

// Throws InputError naming the file and node on anything it cannot map exactly.
OnnxImport import_onnx(const std::string& path, const OnnxImportOptions& options = {});

// The same for a graph already read; `bytes` (its serialized model) give the weights' SHA-256
// when options.read_weights ("": a model built in memory, named by its sources instead); the
// input_shapes are the graph's already.
OnnxImport import_onnx_graph(const OnnxGraph& g, const std::string& bytes,
                             const OnnxImportOptions& options);

// A workload string naming an ONNX model: "model.onnx", or "model.onnx:x=1x3x224x224,y=..." with
// input shapes (what --input-shape adds, so sweeps and compare can carry them).
bool is_onnx_spec(const std::string& spec);
// Such a string's model path, its input shapes added to `input_shapes`.
std::string parse_onnx_spec(const std::string& spec,
                            std::map<std::string, std::vector<int64_t>>* input_shapes);
// The bytes of an ONNX file; throws InputError if it cannot be opened.
std::string read_onnx_file(const std::string& path);
// Imports such a string's model with its input shapes.
OnnxImport import_onnx_spec(const std::string& spec, bool read_weights = false);

// "x=1x3x224x224" -> ("x", {1, 3, 224, 224}); throws InputError naming --input-shape.
std::pair<std::string, std::vector<int64_t>> parse_input_shape(const std::string& text);

}  // namespace strata
