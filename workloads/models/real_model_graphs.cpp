#include "workloads/models/real_model_graphs.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>

#include "common/input_error.h"
#include "workloads/models/real_weights.h"
#include "workloads/weights/layout.h"
#include "workloads/weights/tfjs.h"

namespace strata {
namespace {

// An ONNX graph built node by node, NCHW, tracking the running activation's shape.
class GraphBuilder {
 public:
  GraphBuilder(const std::string& name, const TensorMap& weights, std::string file)
      : weights_(weights), file_(std::move(file)) {
    model_.set_ir_version(8);
    model_.set_producer_name("strata");
    auto* opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    graph_ = model_.mutable_graph();
    graph_->set_name(name);
  }

  void input(const std::string& name, int64_t c, int64_t h, int64_t w) {
    auto* v = graph_->add_input();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {int64_t{1}, c, h, w}) t->mutable_shape()->add_dim()->set_dim_value(d);
    x_ = name;
    c_ = c;
    h_ = h;
    w_ = w;
  }
  void output(const std::string& name) {
    auto* v = graph_->add_output();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }

  const NamedTensor& weight(const std::string& name) const {
    const auto it = weights_.find(name);
    if (it == weights_.end()) throw InputError(file_ + ": tensor '" + name + "' not found");
    return it->second;
  }
  std::string constant(const std::string& name, const std::vector<int64_t>& dims,
                       const std::vector<float>& values) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    for (float v : values) t->add_float_data(v);
    return name;
  }
  std::string int_constant(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return name;
  }

  onnx::NodeProto* node(const std::string& op, const std::string& name,
                        const std::vector<std::string>& inputs, const std::string& out) {
    auto* n = graph_->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(out);
    return n;
  }
  static void ints(onnx::NodeProto* n, const char* name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void integer(onnx::NodeProto* n, const char* name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }

  // A convolution of weights `w` ([out][in/groups][kh][kw]) with a bias, on the running tensor.
  // `same` pads as TensorFlow's 'SAME' does (the extra row/column at the bottom/right), else
  // 'VALID'.
  void conv(const std::string& name, const WeightTensor& w, const std::vector<float>& bias,
            int64_t stride, bool same, int64_t groups = 1) {
    const int64_t k = w.kernel_h;
    const int64_t out_h = same ? (h_ + stride - 1) / stride : (h_ - k) / stride + 1;
    const int64_t out_w = same ? (w_ + stride - 1) / stride : (w_ - k) / stride + 1;
    const int64_t pad_h = std::max<int64_t>(0, (out_h - 1) * stride + k - h_);
    const int64_t pad_w = std::max<int64_t>(0, (out_w - 1) * stride + k - w_);
    const std::string wname =
        constant(name + ".weight", {w.out_channels, w.in_channels, k, k}, w.data);
    const std::string bname = constant(name + ".bias", {w.out_channels}, bias);
    auto* n = node("Conv", name, {x_, wname, bname}, name + ".out");
    ints(n, "kernel_shape", {k, k});
    ints(n, "strides", {stride, stride});
    ints(n, "pads", {pad_h / 2, pad_w / 2, pad_h - pad_h / 2, pad_w - pad_w / 2});
    if (groups > 1) integer(n, "group", groups);
    x_ = name + ".out";
    c_ = w.out_channels;
    h_ = out_h;
    w_ = out_w;
  }
  void unary(const std::string& op, const std::string& name) {
    node(op, name, {x_}, name + ".out");
    x_ = name + ".out";
  }
  void clip(const std::string& name, float lo, float hi) {
    const std::string l = constant(name + ".min", {}, {lo});
    const std::string h = constant(name + ".max", {}, {hi});
    node("Clip", name, {x_, l, h}, name + ".out");
    x_ = name + ".out";
  }
  void pool(const std::string& op, const std::string& name, int64_t k, int64_t stride) {
    auto* n = node(op, name, {x_}, name + ".out");
    ints(n, "kernel_shape", {k, k});
    ints(n, "strides", {stride, stride});
    x_ = name + ".out";
    h_ = (h_ - k) / stride + 1;
    w_ = (w_ - k) / stride + 1;
  }
  // Zeros appended: `channels` after the channels, `rows` / `cols` at the bottom / right.
  void pad_end(const std::string& name, int64_t channels, int64_t rows, int64_t cols) {
    const std::string pads = int_constant(name + ".pads", {0, 0, 0, 0, 0, channels, rows, cols});
    node("Pad", name, {x_, pads}, name + ".out");
    x_ = name + ".out";
    c_ += channels;
    h_ += rows;
    w_ += cols;
  }
  // Global average pooling to [1, C].
  void global_pool(const std::string& name, const std::string& out) {
    node("GlobalAveragePool", name, {x_}, name + ".out");
    auto* f = node("Flatten", name + "_flatten", {name + ".out"}, out);
    integer(f, "axis", 1);
    x_ = out;
    h_ = w_ = 1;
  }
  // y = x W (+ b), W [in, out] as TF.js stores dense kernels.
  void dense(const std::string& name, const NamedTensor& kernel, const std::vector<float>& bias,
             const std::string& out) {
    if (kernel.shape.size() != 2 || kernel.shape[0] != c_) {
      throw InputError(file_ + ": dense kernel of '" + name + "' has shape " +
                       kernel.shape_string() + ", expected [" + std::to_string(c_) + ", out]");
    }
    std::vector<std::string> in = {x_, constant(name + ".weight", kernel.shape, kernel.data)};
    if (!bias.empty()) in.push_back(constant(name + ".bias", {kernel.shape[1]}, bias));
    node("Gemm", name, in, out);
    x_ = out;
    c_ = kernel.shape[1];
  }

  const std::string& x() const { return x_; }
  void set_x(const std::string& x, int64_t c, int64_t h, int64_t w) {
    x_ = x;
    c_ = c;
    h_ = h;
    w_ = w;
  }
  int64_t c() const { return c_; }
  int64_t h() const { return h_; }
  int64_t w() const { return w_; }
  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  const TensorMap& weights_;
  std::string file_;
  onnx::ModelProto model_;
  onnx::GraphProto* graph_ = nullptr;
  std::string x_;
  int64_t c_ = 0, h_ = 0, w_ = 0;
};

std::vector<float> vector_of(const NamedTensor& t, int64_t size, const std::string& what,
                             const std::string& file) {
  if (t.shape.size() != 1 || t.shape[0] != size) {
    throw InputError(file + ": " + what + " has shape " + t.shape_string() + ", expected [" +
                     std::to_string(size) + "]");
  }
  return t.data;
}

float scalar_of(const NamedTensor& t, const std::string& what, const std::string& file) {
  if (t.data.size() != 1) {
    throw InputError(file + ": " + what + " has shape " + t.shape_string() + ", expected a scalar");
  }
  return t.data[0];
}

// faceres-deep: conv -> (+ BN shift) -> ReLU6, ReLU6 written as Relu, Minimum(6), Maximum(0).
void relu6(GraphBuilder& b, const std::string& tf_name, const std::string& name,
           const std::string& file) {
  const float hi = scalar_of(b.weight(tf_name + "_relu/Cast"), tf_name + "_relu/Cast", file);
  const float lo = scalar_of(b.weight(tf_name + "_relu/Const_1"), tf_name + "_relu/Const_1", file);
  if (lo != 0 || !(hi > 0)) {
    throw InputError(file + ": " + tf_name + "_relu clips to [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "], expected [0, max > 0]");
  }
  b.clip(name + "_relu6", 0, hi);
}

std::string build_faceres(const TensorMap& m, const std::string& file) {
  GraphBuilder b("faceres (HSE-FaceRes, faceres-deep)", m, file);
  b.input("input", 3, 224, 224);
  {
    const std::string k = "conv1/convolution/merged_input";
    const WeightTensor w = from_hwio(b.weight(k), file + ": " + k);
    b.conv("conv0", w,
           vector_of(b.weight("conv1_bn/batchnorm_1/sub"), w.out_channels,
                     "conv1_bn/batchnorm_1/sub", file),
           2, true);
    relu6(b, "conv1", "conv0", file);
  }
  const int64_t strides[] = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  for (int i = 1; i <= 13; ++i) {
    const std::string s = std::to_string(i), name = "conv" + s;
    const std::string dk = "conv_dw_" + s + "/depthwise_kernel";
    WeightTensor dw = from_depthwise_hwcm(b.weight(dk), file + ": " + dk);
    const std::string mul = "conv_dw_" + s + "_bn/batchnorm_1/mul";
    scale_output_channels(dw, b.weight(mul), file + ": " + dk);
    const std::string dsub = "conv_dw_" + s + "_bn/batchnorm_1/sub";
    b.conv(name + "_dw", dw, vector_of(b.weight(dsub), dw.out_channels, dsub, file), strides[i - 1],
           true, dw.out_channels);
    relu6(b, "conv_dw_" + s, name + "_dw", file);
    const std::string pk = "conv_pw_" + s + "/convolution/merged_input";
    const WeightTensor pw = from_hwio(b.weight(pk), file + ": " + pk);
    const std::string psub = "conv_pw_" + s + "_bn/batchnorm_1/sub";
    b.conv(name + "_pw", pw, vector_of(b.weight(psub), pw.out_channels, psub, file), 1, true);
    relu6(b, "conv_pw_" + s, name + "_pw", file);
  }
  b.global_pool("global_pool", "descriptor");
  b.output("descriptor");
  auto dense = [&](const std::string& name, const std::string& out) {
    const NamedTensor& k = b.weight(name + "/kernel");
    b.dense(name, k, vector_of(b.weight(name + "/bias"), k.shape.at(1), name + "/bias", file), out);
  };
  dense("feats", "feats.out");
  b.unary("Relu", "feats_relu");
  const std::string feats = b.x();
  dense("gender_pred", "gender_logit");
  b.unary("Sigmoid", "gender_sigmoid");
  b.node("Identity", "gender_out", {b.x()}, "gender");
  b.output("gender");
  b.set_x(feats, 256, 1, 1);
  dense("age_pred", "age_logits");
  b.output("age_logits");
  auto* softmax = b.node("Softmax", "age_softmax", {"age_logits"}, "age");
  GraphBuilder::integer(softmax, "axis", 1);
  b.output("age");
  return b.bytes();
}

// face-api's conv layer: conv + bias, then scale x + shift (folded: w x scale, bias x scale +
// shift).
void face_conv(GraphBuilder& b, const std::string& p, int64_t stride, bool same,
               const std::string& file) {
  WeightTensor w = from_hwio(b.weight(p + "/conv/filters"), file + ": " + p + "/conv/filters");
  const int64_t n = w.out_channels;
  const std::vector<float> bias = vector_of(b.weight(p + "/conv/bias"), n, p + "/conv/bias", file);
  const std::vector<float> scale =
      vector_of(b.weight(p + "/scale/weights"), n, p + "/scale/weights", file);
  const std::vector<float> shift =
      vector_of(b.weight(p + "/scale/biases"), n, p + "/scale/biases", file);
  scale_output_channels(w, b.weight(p + "/scale/weights"), file + ": " + p + "/conv/filters");
  std::vector<float> folded(static_cast<size_t>(n));
  for (size_t o = 0; o < folded.size(); ++o) folded[o] = bias[o] * scale[o] + shift[o];
  b.conv(p, w, folded, stride, same);
}

void face_residual(GraphBuilder& b, const std::string& p, const std::string& file) {
  const std::string x = b.x();
  face_conv(b, p + "conv1", 1, true, file);
  b.unary("Relu", p + "conv1_relu");
  face_conv(b, p + "conv2", 1, true, file);
  b.node("Add", p + "add", {b.x(), x}, p + "add.out");
  b.set_x(p + "add.out", b.c(), b.h(), b.w());
  b.unary("Relu", p + "relu");
}

void face_residual_down(GraphBuilder& b, const std::string& p, const std::string& file) {
  const std::string x = b.x();
  const int64_t in_c = b.c(), in_h = b.h(), in_w = b.w();
  face_conv(b, p + "conv1", 2, false, file);
  b.unary("Relu", p + "conv1_relu");
  face_conv(b, p + "conv2", 1, true, file);
  const std::string branch = b.x();
  const int64_t c = b.c(), h = b.h(), w = b.w();
  // The shortcut: 2x2/2 average pool, zero channels appended.
  b.set_x(x, in_c, in_h, in_w);
  b.pool("AveragePool", p + "shortcut_pool", 2, 2);
  const int64_t ph = b.h(), pw = b.w();
  if (c != in_c) b.pad_end(p + "shortcut_pad", c - in_c, 0, 0);
  const std::string shortcut = b.x();
  // face-api appends a zero row and column to the branch when the sizes differ.
  b.set_x(branch, c, h, w);
  if (ph != h || pw != w) b.pad_end(p + "branch_pad", 0, ph - h, pw - w);
  b.node("Add", p + "add", {b.x(), shortcut}, p + "add.out");
  b.set_x(p + "add.out", c, ph, pw);
  b.unary("Relu", p + "relu");
}

std::string build_face_recognizer(const TensorMap& m, const std::string& file) {
  GraphBuilder b("resnet34_face (face-api face recognition)", m, file);
  b.input("input", 3, 150, 150);
  face_conv(b, "conv32_down", 2, false, file);
  b.unary("Relu", "conv32_down_relu");
  b.pool("MaxPool", "pool", 3, 2);
  struct Stage {
    int width, blocks;
  };
  for (const Stage& s : {Stage{32, 3}, Stage{64, 3}, Stage{128, 2}, Stage{256, 2}}) {
    const std::string w = std::to_string(s.width);
    if (s.width != 32) face_residual_down(b, "conv" + w + "_down/", file);
    for (int i = 1; i <= s.blocks; ++i) {
      face_residual(b, "conv" + w + "_" + std::to_string(i) + "/", file);
    }
  }
  face_residual_down(b, "conv256_down_out/", file);
  b.global_pool("global_pool", "pooled");
  b.dense("fc", b.weight("fc"), {}, "embedding");
  b.output("embedding");
  return b.bytes();
}

}  // namespace

bool has_real_model_graph(const std::string& model) {
  return model == "faceres" || model == "resnet34_face";
}

std::string real_model_onnx(const std::string& model, const std::string& weights_path,
                            std::vector<WeightFile>* files) {
  const TensorMap m = load_tfjs(weights_path, files);
  const size_t slash = weights_path.find_last_of('/');
  const std::string file =
      slash == std::string::npos ? weights_path : weights_path.substr(slash + 1);
  if (model == "faceres") return build_faceres(m, file);
  if (model == "resnet34_face") return build_face_recognizer(m, file);
  throw InputError("functional execution: zoo model '" + model +
                   "' has no real weights to run (faceres and resnet34_face do; or give an "
                   "ONNX model)");
}

ImagePreprocessing real_model_preprocessing(const std::string& model) {
  ImagePreprocessing p;
  if (model == "resnet34_face") {
    // face-api: padToSquare (centred), resize to 150x150, (x - mean RGB) / 256.
    p.height = p.width = 150;
    p.pad_to_square = true;
    p.mean = {122.782, 117.001, 104.298};
    p.std = {256, 256, 256};
  }
  // faceres (faceres-deep, Human): resize to 224x224, pixels 0..255 as they are.
  return p;
}

}  // namespace strata
