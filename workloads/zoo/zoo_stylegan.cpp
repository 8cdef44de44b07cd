// StyleGAN2 and MegaFS (docs/seeds.md; [StyleGAN2] and [MegaFS] in docs/references.md), with the
// shapes of the code MegaFS runs (zyainfal/One-Shot-Face-Swapping-on-Megapixels,
// inference/megafs.py and inference/inference.py, whose generator is StyleGAN2 config-f at
// 1024x1024: channels 512 up to 32x32, then 512, 256, 128, 64, 32 at 64...1024).
//
// A modulated convolution's weights change for every input: a style (an affine 512 -> C_in
// product) scales each input channel's weights, and demodulation rescales each output channel's
// by the inverse norm. strata lists that weight rewrite as vector work on the weight tensor before
// the convolution that reads it (Mul, ReduceSumSquare, Sqrt and Reciprocal per output channel,
// Mul), so the rewritten weights leave the vector unit for DRAM and the array reads them as
// weights: the rewrite's time, energy and traffic are in the report like any vector layer's.
#include "workloads/zoo/cnn_builder.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

constexpr int64_t kStyle = 512;

int64_t channels_at(int64_t res) {
  switch (res) {
    case 64:
      return 512;
    case 128:
      return 256;
    case 256:
      return 128;
    case 512:
      return 64;
    case 1024:
      return 32;
    default:
      return 512;  // 4 ... 32
  }
}

// The weight rewrite of a modulated convolution (out x in x k x k weights), then nothing: the
// caller adds the convolution that reads them.
void modulate(CnnBuilder& b, const std::string& prefix, int64_t out, int64_t in, int64_t k,
              bool demodulate) {
  const auto act = b.state();
  // The style: an affine product of the latent, one scale per input channel.
  b.reshape(1, 1, kStyle);
  b.fc(prefix + "modulation", in);
  const std::vector<int64_t> w = {out, in, k, k};
  b.vector(prefix + "modulate", "Mul", {w, {1, in, 1, 1}}, w);
  if (demodulate) {
    b.vector(prefix + "demod_sumsq", "ReduceSumSquare", {w}, {out, 1, 1, 1});
    b.vector(prefix + "demod_rsqrt", "Sqrt", {{out, 1, 1, 1}}, {out, 1, 1, 1});
    b.vector(prefix + "demod_inverse", "Reciprocal", {{out, 1, 1, 1}}, {out, 1, 1, 1});
    b.vector(prefix + "demodulate", "Mul", {w, {out, 1, 1, 1}}, w);
  }
  b.restore(act);
}

// StyledConv: the modulated 3x3 convolution (up-sampling: a stride-2 transposed convolution then
// the [1,3,3,1] blur), the fixed noise added, bias and leaky ReLU (its epilogue).
void styled_conv(CnnBuilder& b, const std::string& prefix, int64_t out, bool upsample) {
  const int64_t in = b.state().c;
  modulate(b, prefix, out, in, 3, true);
  if (upsample) {
    const int64_t res = b.state().h;
    b.conv_transpose(prefix + "conv_transpose", out, 3, 2, 0, 0);  // (2 res + 1)^2
    const std::vector<int64_t> wide = b.shape();
    b.reshape(2 * res, 2 * res, out);
    // upfirdn2d with a 4x4 FIR per output: costed as a 16-tap window.
    b.vector(prefix + "blur", "AveragePool", {wide}, b.shape(), 16);
  } else {
    b.conv(prefix + "conv", out, 3, 1, 1);
  }
  b.vector(prefix + "noise", "Add", {b.shape(), {1, 1, b.state().h, b.state().w}}, b.shape());
}

// ToRGB: a modulated 1x1 convolution to 3 channels (no demodulation), plus the bias, plus the
// previous resolution's image up-sampled (upfirdn2d, costed as a linear resize).
void to_rgb(CnnBuilder& b, const std::string& prefix, bool skip) {
  const auto act = b.state();
  modulate(b, prefix, 3, act.c, 1, false);
  b.conv(prefix + "conv", 3, 1, 1, 0);
  const std::vector<int64_t> rgb = b.shape();
  if (skip) {
    VectorLayer up = vector_layer(prefix + "upsample_skip", "Resize",
                                  {{b.batch(), 3, act.h / 2, act.w / 2}}, rgb, 0);
    up.mode = "linear";
    append_chained_vector_layer(b.workload(), up);
    b.vector(prefix + "add_skip", "Add", {rgb, rgb}, rgb);
  }
  b.restore(act);
}

}  // namespace

// The synthesis network from a 4x4x512 input (the constant, or MegaFS's structure feature) to
// `size` x `size`: 2 log2(size) - 2 styled convolutions and log2(size) - 1 ToRGBs.
void append_stylegan2_synthesis(CnnBuilder& b, int64_t size, const std::string& prefix) {
  const std::string p = prefix + "synthesis.";
  styled_conv(b, p + "conv1.", 512, false);
  to_rgb(b, p + "to_rgb1.", false);
  for (int64_t res = 8; res <= size; res *= 2) {
    const std::string r = p + "b" + std::to_string(res) + ".";
    styled_conv(b, r + "conv_up.", channels_at(res), true);
    styled_conv(b, r + "conv.", channels_at(res), false);
    to_rgb(b, r + "to_rgb.", true);
  }
}

Workload build_stylegan2(int64_t batch, int64_t size) {
  CnnBuilder b("stylegan2", batch, 1, 1, kStyle);
  // The mapping network: PixelNorm, then 8 fully connected 512 -> 512 layers (z to w).
  b.vector("mapping.pixel_norm", "LpNormalization", {b.shape()}, b.shape());
  for (int i = 0; i < 8; ++i) b.fc("mapping.fc" + std::to_string(i), kStyle);
  b.reshape(4, 4, 512);  // the learned constant input
  append_stylegan2_synthesis(b, size, "");
  return b.take();
}

namespace {

// HieRFE: a ResNet-50 with a fifth stage (two bottlenecks to 2048 channels at 4x4) on 256x256
// faces, FPN heads (3x3 convolutions to 512 channels on stages 2-5, the coarser up-sampled and
// added), and one style mapping per latent: log2(size) 3x3/2 convolutions 512 -> 512 down to 1x1,
// 4 from the 8x8 map, 6 from 16x16, 8 from 32x32 (latent_split [4, 6, 8]: 18 latents).
void append_hierfe(CnnBuilder& b, const std::string& p) {
  append_resnet50_trunk(b, p + "backbone.", 2);
  b.conv(p + "fpn.output4", 512, 3, 1, 1);  // on layer5: 2048 @ 4x4
  b.reshape(8, 8, 2048);                    // layer4
  b.conv(p + "fpn.output3", 512, 3, 1, 1);
  b.reshape(16, 16, 1024);  // layer3
  b.conv(p + "fpn.output2", 512, 3, 1, 1);
  b.vector(p + "fpn.up3", "Resize", {{b.batch(), 512, 8, 8}}, b.shape());
  b.vector(p + "fpn.add2", "Add", {b.shape(), b.shape()}, b.shape());
  b.reshape(32, 32, 512);  // layer2
  b.conv(p + "fpn.output1", 512, 3, 1, 1);
  b.vector(p + "fpn.up2", "Resize", {{b.batch(), 512, 16, 16}}, b.shape());
  b.vector(p + "fpn.add1", "Add", {b.shape(), b.shape()}, b.shape());
  const struct { int64_t size, count; } maps[] = {{8, 4}, {16, 6}, {32, 8}};
  for (const auto& m : maps) {
    for (int64_t i = 0; i < m.count; ++i) {
      b.reshape(m.size, m.size, 512);
      const std::string q = p + "mapping" + std::to_string(m.size) + "_" + std::to_string(i);
      for (int64_t s = m.size, j = 0; s > 1; s /= 2, ++j) {
        b.conv(q + ".conv" + std::to_string(j), 512, 3, 2, 1);
      }
    }
  }
  b.reshape(1, 18, 512);
  b.vector(p + "latents_tanh", "Tanh", {b.shape()}, b.shape());
}

// The Face Transfer Module ("ftm", 3 blocks): 14 transfer cells (latents 4-17), each block four
// MLPs 1024 -> 256 -> 512 on the concatenated identity and attribute latents, mixed element-wise;
// then the learned blend of the two.
void append_ftm(CnnBuilder& b) {
  const int64_t n = b.batch();
  for (int cell = 4; cell < 18; ++cell) {
    for (int block = 0; block < 3; ++block) {
      const std::string p =
          "ftm.cell" + std::to_string(cell) + ".block" + std::to_string(block) + ".";
      for (const char* mlp : {"idd_selector", "idd_shifter", "att_selector", "att_shifter"}) {
        b.reshape(1, 1, 1024);
        b.fc(p + mlp + ".fc1", 256);
        b.fc(p + mlp + ".fc2", 512);
      }
      b.vector(p + "mix", "Mul", {{n, 2, 512}, {n, 2, 512}}, {n, 2, 512});
    }
  }
  b.vector("ftm.blend", "Mul", {{n, 14, 512}, {n, 14, 512}}, {n, 14, 512});
}

}  // namespace

Workload build_megafs(int64_t batch, int64_t refine) {
  // inference.py's swap: the target and the source encoded at once (twice the batch), the
  // latents swapped, the face generated at 1024x1024 from the target's 4x4 structure feature.
  CnnBuilder b("megafs", 2 * batch, 256, 256, 3);
  append_hierfe(b, "encoder.");
  b.set_batch(batch);
  append_ftm(b);
  b.reshape(4, 4, 512);
  append_stylegan2_synthesis(b, 1024, "generator.");
  if (refine) {
    // Its refine pass: the swapped face, resized to 256x256, encoded and generated again.
    const std::vector<int64_t> face = b.shape();
    b.reshape(256, 256, 3);
    VectorLayer down = vector_layer("refine.resize", "Resize", {face}, b.shape(), 0);
    down.mode = "linear";
    append_chained_vector_layer(b.workload(), down);
    append_hierfe(b, "refine.encoder.");
    b.reshape(4, 4, 512);
    append_stylegan2_synthesis(b, 1024, "refine.generator.");
  }
  return b.take();
}

}  // namespace strata
