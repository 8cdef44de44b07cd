#include "hw_models/vector/vector_mapping.h"

#include <map>
#include <stdexcept>

#include "common/checked_math.h"

namespace strata {
namespace {

// How the lanes' work is counted for an op.
enum class Work { kOutputs, kInputs, kWindow };

struct Entry {
  VectorOp op;
  Work work;
};

const std::map<std::string, Entry>& table() {
  static const std::map<std::string, Entry> t = {
      // Element-wise arithmetic, comparison and selection: one op per output.
      {"Add", {VectorOp::kElementwise, Work::kOutputs}},
      {"Sub", {VectorOp::kElementwise, Work::kOutputs}},
      {"Mul", {VectorOp::kElementwise, Work::kOutputs}},
      {"Div", {VectorOp::kElementwise, Work::kOutputs}},
      {"Max", {VectorOp::kElementwise, Work::kOutputs}},
      {"Min", {VectorOp::kElementwise, Work::kOutputs}},
      {"Sum", {VectorOp::kElementwise, Work::kOutputs}},
      {"Mean", {VectorOp::kElementwise, Work::kOutputs}},
      {"Mod", {VectorOp::kElementwise, Work::kOutputs}},
      {"BitShift", {VectorOp::kElementwise, Work::kOutputs}},
      {"Equal", {VectorOp::kElementwise, Work::kOutputs}},
      {"Less", {VectorOp::kElementwise, Work::kOutputs}},
      {"Greater", {VectorOp::kElementwise, Work::kOutputs}},
      {"LessOrEqual", {VectorOp::kElementwise, Work::kOutputs}},
      {"GreaterOrEqual", {VectorOp::kElementwise, Work::kOutputs}},
      {"And", {VectorOp::kElementwise, Work::kOutputs}},
      {"Or", {VectorOp::kElementwise, Work::kOutputs}},
      {"Xor", {VectorOp::kElementwise, Work::kOutputs}},
      {"Not", {VectorOp::kElementwise, Work::kOutputs}},
      {"Where", {VectorOp::kElementwise, Work::kOutputs}},
      {"Neg", {VectorOp::kElementwise, Work::kOutputs}},
      {"Abs", {VectorOp::kElementwise, Work::kOutputs}},
      {"Floor", {VectorOp::kElementwise, Work::kOutputs}},
      {"Ceil", {VectorOp::kElementwise, Work::kOutputs}},
      {"Round", {VectorOp::kElementwise, Work::kOutputs}},
      {"Sign", {VectorOp::kElementwise, Work::kOutputs}},
      {"IsNaN", {VectorOp::kElementwise, Work::kOutputs}},
      {"BatchNormalization", {VectorOp::kElementwise, Work::kOutputs}},  // multiply-add
      {"DequantizeLinear", {VectorOp::kElementwise, Work::kOutputs}},    // multiply by the scale
      // Cheap activations.
      {"Relu", {VectorOp::kActivation, Work::kOutputs}},
      {"LeakyRelu", {VectorOp::kActivation, Work::kOutputs}},
      {"PRelu", {VectorOp::kActivation, Work::kOutputs}},
      {"Clip", {VectorOp::kActivation, Work::kOutputs}},
      {"HardSigmoid", {VectorOp::kActivation, Work::kOutputs}},
      // Functions by table.
      {"Sigmoid", {VectorOp::kSigmoid, Work::kOutputs}},
      {"Tanh", {VectorOp::kTanh, Work::kOutputs}},
      {"Gelu", {VectorOp::kGelu, Work::kOutputs}},
      {"HardSwish", {VectorOp::kHardSwish, Work::kOutputs}},
      {"Exp", {VectorOp::kExp, Work::kOutputs}},
      {"Log", {VectorOp::kTable, Work::kOutputs}},
      {"Sqrt", {VectorOp::kTable, Work::kOutputs}},
      {"Reciprocal", {VectorOp::kTable, Work::kOutputs}},
      {"Erf", {VectorOp::kTable, Work::kOutputs}},
      {"Sin", {VectorOp::kTable, Work::kOutputs}},
      {"Cos", {VectorOp::kTable, Work::kOutputs}},
      {"Pow", {VectorOp::kTable, Work::kOutputs}},
      {"Softplus", {VectorOp::kTable, Work::kOutputs}},
      {"Softsign", {VectorOp::kTable, Work::kOutputs}},
      {"Elu", {VectorOp::kTable, Work::kOutputs}},
      {"Selu", {VectorOp::kTable, Work::kOutputs}},
      {"Mish", {VectorOp::kTable, Work::kOutputs}},
      // Normalizations over rows: every input element, in several passes.
      {"Softmax", {VectorOp::kSoftmax, Work::kInputs}},
      {"LogSoftmax", {VectorOp::kSoftmax, Work::kInputs}},
      {"LayerNormalization", {VectorOp::kLayerNorm, Work::kInputs}},
      {"InstanceNormalization", {VectorOp::kLayerNorm, Work::kInputs}},
      {"LpNormalization", {VectorOp::kLayerNorm, Work::kInputs}},
      // Pooling and reductions.
      {"MaxPool", {VectorOp::kMaxPool, Work::kWindow}},
      {"AveragePool", {VectorOp::kAvgPool, Work::kWindow}},
      {"LpPool", {VectorOp::kAvgPool, Work::kWindow}},
      {"GlobalAveragePool", {VectorOp::kGlobalPool, Work::kInputs}},
      {"GlobalMaxPool", {VectorOp::kGlobalPool, Work::kInputs}},
      {"GlobalLpPool", {VectorOp::kGlobalPool, Work::kInputs}},
      {"ReduceMean", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceSum", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceMax", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceMin", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceProd", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceL1", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceL2", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceSumSquare", {VectorOp::kReduce, Work::kInputs}},
      {"ReduceLogSumExp", {VectorOp::kReduce, Work::kInputs}},
      {"ArgMax", {VectorOp::kReduce, Work::kInputs}},
      {"ArgMin", {VectorOp::kReduce, Work::kInputs}},
      {"TopK", {VectorOp::kReduce, Work::kInputs}},
      {"CumSum", {VectorOp::kReduce, Work::kInputs}},
      {"Hardmax", {VectorOp::kReduce, Work::kInputs}},
      // Requantization.
      {"QuantizeLinear", {VectorOp::kRequantize, Work::kOutputs}},
      // Data movement.
      {"Transpose", {VectorOp::kMove, Work::kOutputs}},
      {"Concat", {VectorOp::kMove, Work::kOutputs}},
      {"Split", {VectorOp::kMove, Work::kInputs}},
      {"Slice", {VectorOp::kMove, Work::kOutputs}},
      {"Pad", {VectorOp::kMove, Work::kOutputs}},
      {"Tile", {VectorOp::kMove, Work::kOutputs}},
      {"Expand", {VectorOp::kMove, Work::kOutputs}},
      {"DepthToSpace", {VectorOp::kMove, Work::kOutputs}},
      {"SpaceToDepth", {VectorOp::kMove, Work::kOutputs}},
      {"Cast", {VectorOp::kMove, Work::kOutputs}},
      {"ConstantOfShape", {VectorOp::kMove, Work::kOutputs}},
      {"Range", {VectorOp::kMove, Work::kOutputs}},
      {"Shape", {VectorOp::kMove, Work::kOutputs}},
      {"Size", {VectorOp::kMove, Work::kOutputs}},
      {"Gather", {VectorOp::kGather, Work::kOutputs}},
      // Resampling.
      {"Resize", {VectorOp::kResizeNearest, Work::kOutputs}},
      {"GridSample", {VectorOp::kWarp, Work::kOutputs}},  // warping by a flow or sampling grid
      {"Upsample", {VectorOp::kResizeNearest, Work::kOutputs}},
  };
  return t;
}

}  // namespace

int64_t shape_elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return 0;
  }
  return n;
}

VectorWork vector_work_of(const VectorLayer& v) {
  const auto it = table().find(v.op);
  if (it == table().end()) {
    throw std::invalid_argument("vector layer '" + v.name + "': no vector-unit cost for op '" +
                                v.op + "'");
  }
  VectorWork w;
  w.op = it->second.op;
  if ((v.op == "Resize" || v.op == "Upsample") && !v.mode.empty() && v.mode != "nearest") {
    w.op = VectorOp::kResizeBilinear;  // linear and cubic interpolate
  }
  w.output_elements = shape_elements(v.output_shape);
  int64_t inputs = 0;
  for (const auto& s : v.input_shapes) inputs += shape_elements(s);
  // A move reads what it writes (a slice reads only its part; a concat reads all its inputs).
  w.input_elements =
      w.op == VectorOp::kMove || w.op == VectorOp::kGather ? w.output_elements : inputs;
  if (v.op == "Concat" || v.op == "Split") w.input_elements = inputs;
  switch (it->second.work) {
    case Work::kOutputs:
      w.work_elements = w.output_elements;
      break;
    case Work::kInputs:
      w.work_elements = shape_elements(v.input_shapes.empty() ? v.output_shape : v.input_shapes[0]);
      break;
    case Work::kWindow: {
      const auto work = checked_product({w.output_elements, v.window});
      if (!work) {
        throw std::invalid_argument("vector layer '" + v.name + "': outputs x window overflow");
      }
      w.work_elements = *work;
      break;
    }
  }
  return w;
}

}  // namespace strata
