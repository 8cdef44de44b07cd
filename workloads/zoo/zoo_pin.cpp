// PIN, the perturbation-inactivation defense (docs/seeds.md, [PIN] in docs/references.md), as its
// authors' code runs it (RenMin1991/Perturbation-Inactivate: pca_select_model.py, recon_fn.py,
// defense_model.py):
//  - a 112x112 grayscale face through the denoising autoencoder twice: the code's DAE runs its
//    first encoder and decoder on the face, then the same two again on their own output (its
//    second encoder/decoder pair is never used);
//  - the ResNet-like encoder (eight blocks with 1x1 shortcuts) to 512x7x7;
//  - the selection MLP 25,088 -> 512 (PReLU) -> 2,500 (sigmoid), thresholded against uniform
//    random numbers: the kept principal components;
//  - the reconstruction x' = E_k (E_k^T (x - mean)) + mean with the k kept eigenfaces of the
//    12,544 x 2,500 basis: two matrix-vector products per face over the kept columns, the basis
//    streamed from DRAM for every face (the mask differs per face: nothing is reused).
// PReLU after a convolution is its epilogue (as ReLU is in the other CNNs); convolutions have no
// bias (the code's bias=False). Transposed convolutions are the GEMM of their useful products.
#include "workloads/zoo/cnn_builder.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

constexpr int64_t kFace = 112;              // the defense's input: 112x112 grayscale
constexpr int64_t kPixels = kFace * kFace;  // 12,544: the eigenface length
constexpr int64_t kComponents = 2500;       // eigenfaces the selection chooses from

// The code's EncoderBlock: conv 3x3/1 (in -> out), conv 3x3/stride (out -> out), and with a
// shortcut a 1x1/stride convolution of the block's input added to the result.
void encoder_block(CnnBuilder& b, const std::string& prefix, int64_t out, int64_t stride,
                   bool shortcut) {
  const auto in = b.state();
  if (shortcut) {
    b.conv(prefix + "shortcut", out, 1, stride, 0);
    b.restore(in);
  }
  b.conv(prefix + "conv1", out, 3, 1, 1);
  b.conv(prefix + "conv2", out, 3, stride, 1);
  if (shortcut) b.vector(prefix + "add", "Add", {b.shape(), b.shape()}, b.shape());
}

// The code's DecoderBlock: ConvTranspose 3x3/2 (padding 1, output padding 1: twice the size),
// then conv 3x3/1 (in -> out); tanh after the last.
void decoder_block(CnnBuilder& b, const std::string& prefix, int64_t out, bool output) {
  b.conv_transpose(prefix + "deconv", b.state().c, 3, 2, 1, 1);
  b.conv(prefix + "conv", out, 3, 1, 1);
  if (output) b.vector(prefix + "tanh", "Tanh", {b.shape()}, b.shape());
}

void dae_pass(CnnBuilder& b, const std::string& prefix) {
  encoder_block(b, prefix + "encoder1.0.", 64, 2, false);
  encoder_block(b, prefix + "encoder1.1.", 128, 2, false);
  encoder_block(b, prefix + "encoder1.2.", 256, 2, false);
  decoder_block(b, prefix + "decoder1.0.", 128, false);
  decoder_block(b, prefix + "decoder1.1.", 64, false);
  decoder_block(b, prefix + "decoder1.2.", 1, true);
}

}  // namespace

void append_pin_defense(CnnBuilder& b, int64_t kept) {
  // The denoising autoencoder, twice (x2 = decoder1(encoder1(decoder1(encoder1(x))))).
  dae_pass(b, "dae.pass1.");
  dae_pass(b, "dae.pass2.");
  // The encoder to the immune-space features.
  b.conv("encoder.in_layer", 64, 3, 1, 1);
  const struct {
    int64_t out, stride;
  } blocks[] = {{64, 2}, {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}};
  int index = 1;
  for (const auto& bl : blocks) {
    encoder_block(b, "encoder.block" + std::to_string(index++) + ".", bl.out, bl.stride, true);
  }
  // Selection: which components to keep.
  b.fc("pca_layer.fc1", 512);
  b.fc("pca_layer.fc2", kComponents);
  b.vector("pca_layer.sigmoid", "Sigmoid", {b.shape()}, b.shape());
  b.vector("pca_act.threshold", "Greater", {b.shape(), b.shape()}, b.shape());
  // Reconstruction from the kept eigenfaces, per face (its own mask).
  const std::vector<int64_t> face = {b.batch(), 1, kFace, kFace};
  b.reshape(1, 1, kPixels);
  b.vector("recon.subtract_mean", "Sub", {face, {kPixels}}, face);
  b.gemv("recon.project", kPixels, kept);      // E_k^T (x - mean)
  b.gemv("recon.reconstruct", kept, kPixels);  // E_k (...)
  b.vector("recon.add_mean", "Add", {face, {kPixels}}, face);
  b.reshape(kFace, kFace, 1);
}

Workload build_pin_defense(int64_t batch, int64_t kept) {
  CnnBuilder b("pin_defense", batch, kFace, kFace, 1);
  append_pin_defense(b, kept);
  return b.take();
}

Workload build_pin_resnet34_face(int64_t batch, int64_t kept) {
  CnnBuilder b("pin_resnet34_face", batch, kFace, kFace, 1);
  append_pin_defense(b, kept);
  // The recognizer's input: the grayscale reconstruction repeated to three channels and resized
  // to face-api's 150x150.
  const std::vector<int64_t> gray = b.shape();
  b.reshape(150, 150, 3);
  VectorLayer resize = vector_layer("to_recognizer.resize", "Resize", {gray}, b.shape(), 0);
  resize.mode = "linear";
  append_chained_vector_layer(b.workload(), resize);
  append_resnet34_face(b);
  return b.take();
}

}  // namespace strata
