#pragma once
// The float weights of an ONNX graph's array layers (docs/workloads.md, "ONNX models"): an
// initializer or Constant, or int8/uint8 codes dequantized by a DequantizeLinear node; checked
// finite, in strata's layout ([out, in/groups, kh, kw]; [out, in] for GEMMs), with a
// BatchNormalization after the layer folded in. The importer (onnx_import.cpp) maps the graph to
// layers and calls this for the weights; errors name the file and the node.
#include <map>
#include <string>
#include <vector>

#include "workloads/layer.h"
#include "workloads/layer_weights.h"
#include "workloads/onnx/onnx_graph.h"

namespace onnx {
class TensorProto;
}  // namespace onnx

namespace strata {

class OnnxWeightReader {
 public:
  // `producer`: the node making each value; the results go into `weights` and `folded_scales`
  // (OnnxImport's fields of the same names).
  OnnxWeightReader(const OnnxGraph& g, const std::map<std::string, const OnnxNode*>& producer,
                   std::map<std::string, LayerWeights>* weights,
                   std::map<std::string, std::vector<float>>* folded_scales);

  // Layer node n's weights (its second input) as layer l needs them, if they are constant.
  void read_layer_weights(const OnnxNode& n, const Layer& l);
  // A BatchNormalization's constant parameters are finite and its variance above -epsilon.
  void check_batch_norm(const OnnxNode& n) const;
  // BatchNormalization n after `layer`: the layer's weights absorb its scale.
  void fold_batch_norm(const OnnxNode& n, const std::string& layer);

 private:
  std::vector<float> decode(const OnnxNode& n, const onnx::TensorProto& t) const;
  std::vector<float> floats(const OnnxNode& n, const std::string& name) const;
  void require_finite_weights(const OnnxNode& n, const std::string& name,
                              const std::vector<float>& v) const;
  static std::vector<float> transposed(const std::vector<float>& v, int64_t rows, int64_t cols);

  const OnnxGraph& g_;
  const std::map<std::string, const OnnxNode*>& producer_;
  std::map<std::string, LayerWeights>* weights_;
  std::map<std::string, std::vector<float>>* folded_scales_;
};

}  // namespace strata
