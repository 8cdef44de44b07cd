#pragma once
// Network inputs from files (docs/functional.md, "Inputs"): photographs decoded with Debian's stb
// (PNG, JPEG, BMP, GIF, TGA, PNM), resized and normalized as the model's preprocessing says, or
// NumPy .npy tensors taken as they are.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/functional/float_tensor.h"

namespace strata {

// How a photograph becomes a model's input tensor [1, channels, height, width]:
// 1. decoded to 8-bit RGB (grayscale replicated; alpha dropped);
// 2. with pad_to_square, centred on a square of zeros (face-api's padToSquare);
// 3. resized bilinearly to height x width (half-pixel centres, as OpenCV and PIL do);
// 4. value = (pixel x pixel_scale - mean[c]) / std[c], channels in RGB order (BGR if bgr).
struct ImagePreprocessing {
  int64_t height = 224, width = 224;
  int64_t channels = 3;  // 3 (RGB) or 1 (luma, ITU-R BT.601)
  bool pad_to_square = false;
  bool bgr = false;
  double pixel_scale = 1.0;
  std::array<double, 3> mean{0, 0, 0}, std{1, 1, 1};
  std::string describe() const;  // one line for reports and docs
  // The network's input as a function of the scene's intensity r in [0, 1] (a pixel of 255 is
  // r = 1): x = intensity_gain(c) * r + intensity_offset(c) for network channel c.
  double intensity_gain(int64_t c) const;
  double intensity_offset(int64_t c) const;
};

// The input files of a directory, sorted by name: images by extension (.png .jpg .jpeg .bmp .gif
// .tga .pnm .ppm .pgm) and .npy tensors; other files are ignored. Throws InputError naming the
// directory if it cannot be read or holds no input.
std::vector<std::string> list_input_files(const std::string& dir);

// An image file through `p`; throws InputError naming the file when it cannot be decoded.
FloatTensor load_image(const std::string& path, const ImagePreprocessing& p);

// Decoded 8-bit pixels, row-major, three (R, G, B) per pixel.
struct Rgb8Image {
  int64_t height = 0, width = 0;
  std::vector<uint8_t> rgb;  // height x width x 3
};
Rgb8Image decode_image(const std::string& path);
// The same from a file's bytes; `name` names it in errors.
Rgb8Image decode_image_bytes(const std::string& bytes, const std::string& name);
FloatTensor preprocess_image(const Rgb8Image& image, const ImagePreprocessing& p);

// One input of `shape` from a file: an image through `p`, or an .npy tensor of exactly `shape`
// (or `shape` without its leading batch dim of 1). Throws InputError naming the file and both
// shapes when they differ.
FloatTensor load_input(const std::string& path, const std::vector<int64_t>& shape,
                       const ImagePreprocessing& p);

}  // namespace strata
