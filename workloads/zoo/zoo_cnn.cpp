// CNN layer shapes of the zoo at 224x224 (torchvision definitions; ResNet-50 is v1.5 with the
// stride in the 3x3). Pooling, residual adds and the ReLUs after them are vector layers
// (docs/vector.md), named as their ONNX operators; the BatchNorm and ReLU after a convolution are
// its epilogue (folded into the weights and the requantization).
#include "workloads/zoo/cnn_builder.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

// face-api's residual down block: two convolutions (the first 3x3/2 'valid'); the shortcut is a
// 2x2/2 average pool of the input, zero-padded to the new channel count (a move), added to the
// convolutions' output, then a ReLU. The shortcut's shapes are taken at the block's output size.
void down_block(CnnBuilder& b, const std::string& prefix, int64_t width) {
  const auto in = b.state();
  b.conv(prefix + "conv1", width, 3, 2, 0);
  b.conv(prefix + "conv2", width, 3, 1, 1);
  const auto branch = b.state();
  // face-api's shortcut: a 2x2/2 average pool, zero channels appended. The block's output has the
  // shortcut's size; where the branch came out smaller (an even input: 8x8 pools to 4x4, the
  // valid 3x3/2 convolution gives 3x3), face-api zero-pads the branch at the bottom and right.
  const int64_t n = b.batch(), h = in.h / 2, w = in.w / 2;
  const std::vector<int64_t> pooled = {n, in.c, h, w};
  b.vector(prefix + "shortcut_pool", "AveragePool", {{n, in.c, in.h, in.w}}, pooled, 4);
  b.vector(prefix + "shortcut_pad", "Pad", {pooled}, {n, width, h, w});
  if (branch.h != h || branch.w != w) {
    b.vector(prefix + "branch_pad", "Pad", {{n, width, branch.h, branch.w}}, {n, width, h, w});
  }
  b.restore({h, w, width});
  b.residual(prefix, true);
}

std::string stage_name(int stage, int block, const char* part) {
  return "layer" + std::to_string(stage) + "." + std::to_string(block) + "." + part;
}

}  // namespace

Workload build_resnet18(int64_t batch) {
  CnnBuilder b("resnet18", batch, 224, 224, 3);
  b.conv("conv1", 64, 7, 2, 3);
  b.pool("maxpool", 3, 2, 1);
  const int64_t widths[] = {64, 128, 256, 512};
  for (int stage = 1; stage <= 4; ++stage) {
    for (int block = 0; block < 2; ++block) {
      const int64_t stride = (stage > 1 && block == 0) ? 2 : 1;
      const auto in = b.state();
      b.conv(stage_name(stage, block, "conv1"), widths[stage - 1], 3, stride, 1);
      b.conv(stage_name(stage, block, "conv2"), widths[stage - 1], 3, 1, 1);
      if (stride != 1 || in.c != widths[stage - 1]) {
        const auto out = b.state();
        b.restore(in);
        b.conv(stage_name(stage, block, "downsample"), widths[stage - 1], 1, stride, 0);
        b.restore(out);
      }
      b.residual(stage_name(stage, block, ""), true);
    }
  }
  b.global_pool_fc("fc", 1000);
  return b.take();
}

Workload build_resnet50(int64_t batch) {
  CnnBuilder b("resnet50", batch, 224, 224, 3);
  append_resnet50_trunk(b, "", 0);
  b.global_pool_fc("fc", 1000);
  return b.take();
}

void append_resnet50_trunk(CnnBuilder& b, const std::string& prefix, int extra_blocks) {
  b.conv(prefix + "conv1", 64, 7, 2, 3);
  b.pool(prefix + "maxpool", 3, 2, 1);
  const int64_t widths[] = {64, 128, 256, 512, 512};
  const int blocks[] = {3, 4, 6, 3, extra_blocks};
  for (int stage = 1; stage <= 5; ++stage) {
    const int64_t width = widths[stage - 1];
    for (int block = 0; block < blocks[stage - 1]; ++block) {
      const int64_t stride = (stage > 1 && block == 0) ? 2 : 1;
      const auto in = b.state();
      b.conv(prefix + stage_name(stage, block, "conv1"), width, 1, 1, 0);
      b.conv(prefix + stage_name(stage, block, "conv2"), width, 3, stride, 1);
      b.conv(prefix + stage_name(stage, block, "conv3"), width * 4, 1, 1, 0);
      if (block == 0) {
        const auto out = b.state();
        b.restore(in);
        b.conv(prefix + stage_name(stage, block, "downsample"), width * 4, 1, stride, 0);
        b.restore(out);
      }
      b.residual(prefix + stage_name(stage, block, ""), true);
    }
  }
}

Workload build_vgg16(int64_t batch) {
  CnnBuilder b("vgg16", batch, 224, 224, 3);
  const int64_t widths[] = {64, 128, 256, 512, 512};
  const int convs[] = {2, 2, 3, 3, 3};
  for (int stage = 0; stage < 5; ++stage) {
    for (int i = 0; i < convs[stage]; ++i) {
      b.conv("conv" + std::to_string(stage + 1) + "_" + std::to_string(i + 1), widths[stage], 3, 1,
             1);
    }
    b.pool("pool" + std::to_string(stage + 1), 2, 2, 0);
  }
  b.fc("fc6", 4096);
  b.fc("fc7", 4096);
  b.fc("fc8", 1000);
  return b.take();
}

Workload build_alexnet(int64_t batch) {
  CnnBuilder b("alexnet", batch, 224, 224, 3);
  b.conv("conv1", 64, 11, 4, 2);
  b.pool("pool1", 3, 2, 0);
  b.conv("conv2", 192, 5, 1, 2);
  b.pool("pool2", 3, 2, 0);
  b.conv("conv3", 384, 3, 1, 1);
  b.conv("conv4", 256, 3, 1, 1);
  b.conv("conv5", 256, 3, 1, 1);
  b.pool("pool5", 3, 2, 0);
  b.fc("fc6", 4096);
  b.fc("fc7", 4096);
  b.fc("fc8", 1000);
  return b.take();
}

namespace {

// MobileNet-V1 1.0's convolutions: conv0 and 13 depthwise + pointwise pairs, to 7x7x1024.
void append_mobilenet_v1_body(CnnBuilder& b) {
  b.conv("conv0", 32, 3, 2, 1);
  struct Pair {
    int64_t out, stride;
  };
  const Pair pairs[] = {{64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1},  {512, 2}, {512, 1},
                        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
  int index = 1;
  for (const auto& p : pairs) {
    b.depthwise("conv" + std::to_string(index) + "_dw", p.stride);
    b.conv("conv" + std::to_string(index) + "_pw", p.out, 1, 1, 0);
    ++index;
  }
}

}  // namespace

Workload build_mobilenet_v1(int64_t batch) {
  CnnBuilder b("mobilenet_v1", batch, 224, 224, 3);
  append_mobilenet_v1_body(b);
  b.global_pool_fc("fc", 1000);
  return b.take();
}

// HSE-FaceRes as Human ships it (faceres-deep): the 1024-d descriptor, a 256-d ReLU layer (its
// ReLU the layer's epilogue), then two heads reading it: gender (sigmoid) and age (softmax over
// 100 years). The same network functional mode runs from the weights (real_model_graphs.cpp).
Workload build_faceres(int64_t batch) {
  CnnBuilder b("faceres", batch, 224, 224, 3);
  append_mobilenet_v1_body(b);
  b.global_pool_fc("feats", 256);
  const CnnBuilder::State feats = b.state();
  b.fc("gender_pred", 1);
  const std::vector<int64_t> gender = b.shape();
  b.restore(feats);
  b.fc("age_pred", 100);
  // Both heads' outputs after the last array layer (nothing on the array waits for them).
  b.vector("gender_sigmoid", "Sigmoid", {gender}, gender);
  b.vector("age_softmax", "Softmax", {b.shape()}, b.shape());
  return b.take();
}

Workload build_mobilenet_v2(int64_t batch) {
  CnnBuilder b("mobilenet_v2", batch, 224, 224, 3);
  b.conv("conv0", 32, 3, 2, 1);
  struct Stage {
    int64_t expand, out;
    int repeat;
    int64_t stride;
  };
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int block = 1;
  for (const auto& s : stages) {
    for (int i = 0; i < s.repeat; ++i) {
      const std::string prefix = "block" + std::to_string(block++) + ".";
      const int64_t in_c = b.state().c;
      if (s.expand != 1) b.conv(prefix + "expand", in_c * s.expand, 1, 1, 0);
      b.depthwise(prefix + "dw", i == 0 ? s.stride : 1);
      b.conv(prefix + "project", s.out, 1, 1, 0);
      // Inverted residual: the shortcut adds when the block keeps the shape (no ReLU after).
      if ((i == 0 ? s.stride : 1) == 1 && in_c == s.out) b.residual(prefix, false);
    }
  }
  b.conv("conv_last", 1280, 1, 1, 0);
  b.global_pool_fc("fc", 1000);
  return b.take();
}

// The face-recognition ResNet-34 of face-api (150x150 input, 29 convolutions, fc 256->128):
// stride-2 convolutions are 'valid', the others 'same'; layer names follow its weight names.
Workload build_resnet34_face(int64_t batch) {
  CnnBuilder b("resnet34_face", batch, 150, 150, 3);
  append_resnet34_face(b);
  return b.take();
}

void append_resnet34_face(CnnBuilder& b) {
  b.conv("conv32_down", 32, 7, 2, 0);
  b.pool("pool", 3, 2, 0);
  struct Stage {
    int64_t width;
    int blocks;
  };
  const Stage stages[] = {{32, 3}, {64, 3}, {128, 2}, {256, 2}};
  for (const auto& st : stages) {
    const std::string w = std::to_string(st.width);
    if (st.width != 32) down_block(b, "conv" + w + "_down/", st.width);
    for (int i = 1; i <= st.blocks; ++i) {
      const std::string p = "conv" + w + "_" + std::to_string(i) + "/";
      b.conv(p + "conv1", st.width, 3, 1, 1);
      b.conv(p + "conv2", st.width, 3, 1, 1);
      b.residual(p, true);
    }
  }
  down_block(b, "conv256_down_out/", 256);
  b.global_pool_fc("fc", 128);
}

}  // namespace strata
