#pragma once
// Builds a CNN's workload layer by layer for the zoo (zoo_cnn.cpp, zoo_pin.cpp): convolutions and
// fully connected layers as array layers, the work between them (pooling, residual adds, ...) as
// vector layers named as their ONNX operators, each chained to the one before it when no array
// layer came between them. Tensors are NCHW, as ONNX and torchvision lay them out.
#include <string>
#include <vector>

#include "workloads/layer.h"

namespace strata {

class CnnBuilder {
 public:
  CnnBuilder(std::string name, int64_t batch, int64_t h, int64_t w, int64_t c)
      : batch_(batch), h_(h), w_(w), c_(c) {
    net_.name = std::move(name);
    net_.names_vector_layers = true;
  }

  void conv(const std::string& name, int64_t out_c, int64_t kernel, int64_t stride, int64_t pad,
            int64_t groups = 1) {
    Layer l = conv_layer(name, batch_, h_, c_, out_c, kernel, stride, pad, groups);
    l.in_w = w_;
    h_ = l.out_h();
    w_ = l.out_w();
    c_ = out_c;
    net_.layers.push_back(l);
  }
  void depthwise(const std::string& name, int64_t stride) { conv(name, c_, 3, stride, 1, c_); }

  void pool(const std::string& name, int64_t kernel, int64_t stride, int64_t pad,
            const char* op = "MaxPool") {
    const std::vector<int64_t> in = shape();
    h_ = (h_ + 2 * pad - kernel) / stride + 1;
    w_ = (w_ + 2 * pad - kernel) / stride + 1;
    vector(name, op, {in}, shape(), kernel * kernel);
  }
  // Global average pooling then a fully connected layer.
  void global_pool_fc(const std::string& name, int64_t out) {
    const std::vector<int64_t> in = shape();
    h_ = w_ = 1;
    vector("global_pool", "GlobalAveragePool", {in}, shape());
    fc(name, out);
  }
  // The residual add closing a block, and the ReLU after it when the block has one.
  void residual(const std::string& prefix, bool relu) {
    vector(prefix + "add", "Add", {shape(), shape()}, shape());
    if (relu) vector(prefix + "relu", "Relu", {shape()}, shape());
  }
  // Work for the vector unit, read by the next array layer (chained to the vector op before it
  // when no array layer came between them).
  void vector(const std::string& name, const char* op, std::vector<std::vector<int64_t>> inputs,
              std::vector<int64_t> output, int64_t window = 1) {
    append_chained_vector_layer(
        net_, vector_layer(name, op, std::move(inputs), std::move(output), 0, window));
  }
  // NCHW, as ONNX and torchvision lay tensors out.
  std::vector<int64_t> shape() const { return {batch_, c_, h_, w_}; }
  // Fully connected layer over the flattened feature map.
  void fc(const std::string& name, int64_t out) {
    net_.layers.push_back(gemm_layer(name, 1, batch_, h_ * w_ * c_, out));
    h_ = w_ = 1;
    c_ = out;
  }

  struct State {
    int64_t h, w, c;
  };
  State state() const { return {h_, w_, c_}; }
  void restore(const State& s) {
    h_ = s.h;
    w_ = s.w;
    c_ = s.c;
  }
  // A transposed convolution (kernel, stride, padding, output padding as PyTorch's
  // ConvTranspose2d), as the GEMM of its useful products: each input pixel times each filter tap,
  // the overlapping outputs summed as they are written; strata's ONNX import maps it the same way.
  void conv_transpose(const std::string& name, int64_t out_c, int64_t kernel, int64_t stride,
                      int64_t pad, int64_t output_pad) {
    net_.layers.push_back(gemm_layer(name, 1, batch_ * h_ * w_, c_, out_c * kernel * kernel));
    h_ = (h_ - 1) * stride - 2 * pad + kernel + output_pad;
    w_ = (w_ - 1) * stride - 2 * pad + kernel + output_pad;
    c_ = out_c;
  }
  // A matrix-vector product per sample (batch of one row each): `k` inputs to `n` outputs, with
  // its own weights for every sample (nothing reused across the batch).
  void gemv(const std::string& name, int64_t k, int64_t n) {
    net_.layers.push_back(gemm_layer(name, batch_, 1, k, n));
    h_ = w_ = 1;
    c_ = n;
  }
  // Sets the tensor's shape (a reshape, or the input of a second network).
  void reshape(int64_t h, int64_t w, int64_t c) {
    h_ = h;
    w_ = w;
    c_ = c;
  }
  int64_t batch() const { return batch_; }
  // Later layers run on this many samples (MegaFS encodes two faces, then generates one).
  void set_batch(int64_t batch) { batch_ = batch; }
  Workload& workload() { return net_; }
  Workload take() { return std::move(net_); }

 private:
  Workload net_;
  int64_t batch_, h_, w_, c_;
};

// The zoo networks other builders continue with (their layers appended to `b`'s).
void append_resnet34_face(CnnBuilder& b);              // from a 150x150x3 input
void append_pin_defense(CnnBuilder& b, int64_t kept);  // from a 112x112x1 input
// torchvision's ResNet-50 v1.5 trunk (conv1, max-pool, stages 1-4 of 3, 4, 6, 3 bottlenecks)
// plus `extra_blocks` bottlenecks of a fifth stride-2 stage (planes 512: MegaFS's HieRFE); no
// pooling or classifier.
void append_resnet50_trunk(CnnBuilder& b, const std::string& prefix, int extra_blocks);
// StyleGAN2's synthesis network from a 4x4x512 input to size x size (zoo_stylegan.cpp).
void append_stylegan2_synthesis(CnnBuilder& b, int64_t size, const std::string& prefix);

}  // namespace strata
