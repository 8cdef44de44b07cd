#include "workloads/functional/image_input.h"

#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <sstream>

#include "common/input_error.h"
#include "workloads/onnx/onnx_graph.h"
#include "workloads/text_file.h"
#include "workloads/weights/npy.h"

namespace strata {
namespace {

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool is_image_extension(const std::string& ext) {
  static const char* const kImages[] = {".png", ".jpg", ".jpeg", ".bmp", ".gif",
                                        ".tga", ".pnm", ".ppm",  ".pgm"};
  return std::any_of(std::begin(kImages), std::end(kImages),
                     [&](const char* e) { return ext == e; });
}

// The image as the resize sees it: the decoded pixels, or them centred on a square of zeros
// (face-api's padToSquare) without building the square (a long thin image would make it huge).
struct Canvas {
  const Rgb8Image& im;
  int64_t height, width, top = 0, left = 0;
  double at(int64_t r, int64_t col, int c) const {
    r -= top;
    col -= left;
    if (r < 0 || r >= im.height || col < 0 || col >= im.width) return 0;
    return im.rgb[static_cast<size_t>((r * im.width + col) * 3 + c)];
  }
};

// Bilinear sample of channel c at (y, x) in canvas pixels, edges clamped.
float bilinear(const Canvas& im, double y, double x, int c) {
  y = std::clamp(y, 0.0, static_cast<double>(im.height - 1));
  x = std::clamp(x, 0.0, static_cast<double>(im.width - 1));
  const int64_t y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x);
  const int64_t y1 = std::min(y0 + 1, im.height - 1), x1 = std::min(x0 + 1, im.width - 1);
  const double fy = y - y0, fx = x - x0;
  const double top = im.at(y0, x0, c) * (1 - fx) + im.at(y0, x1, c) * fx;
  const double bottom = im.at(y1, x0, c) * (1 - fx) + im.at(y1, x1, c) * fx;
  return static_cast<float>(top * (1 - fy) + bottom * fy);
}

}  // namespace

double ImagePreprocessing::intensity_gain(int64_t c) const {
  const size_t i = channels == 1 ? 0 : static_cast<size_t>(c);
  return 255.0 * pixel_scale / std.at(i);
}
double ImagePreprocessing::intensity_offset(int64_t c) const {
  const size_t i = channels == 1 ? 0 : static_cast<size_t>(c);
  return -mean.at(i) / std.at(i);
}

std::string ImagePreprocessing::describe() const {
  std::ostringstream s;
  s << (pad_to_square ? "pad to square, " : "") << "bilinear resize to " << height << "x" << width
    << ", "
    << (channels == 1 ? "luma"
        : bgr         ? "BGR"
                      : "RGB");
  s << ", (pixel";
  if (pixel_scale != 1) s << " x " << pixel_scale;
  s << " - [" << mean[0] << ", " << mean[1] << ", " << mean[2] << "]) / [" << std[0] << ", "
    << std[1] << ", " << std[2] << "]";
  return s.str();
}

std::vector<std::string> list_input_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError("--inputs " + dir + ": not a directory");
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string ext = lower_extension(it->path().string());
    if (is_image_extension(ext) || ext == ".npy") files.push_back(it->path().string());
  }
  if (ec) throw InputError("--inputs " + dir + ": cannot be read (" + ec.message() + ")");
  if (files.empty()) {
    throw InputError("--inputs " + dir +
                     ": no input files (expected images .png/.jpg/.jpeg/.bmp/.gif/.tga/.pnm or "
                     ".npy tensors)");
  }
  std::sort(files.begin(), files.end());
  return files;
}

Rgb8Image decode_image(const std::string& path) {
  // Its size checked before a byte is read (stb takes an int length).
  return decode_image_bytes(read_text_file(path, std::numeric_limits<int>::max()), path);
}

// A PNG's chunks must lie within the file: stb sizes its buffer from an IDAT chunk's declared
// length before reading it, so a few hostile bytes could make it allocate gigabytes.
static void check_png_chunks(const std::string& bytes, const std::string& name) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (bytes.compare(0, 8, kSignature, 8) != 0) return;
  size_t at = 8;
  while (at + 12 <= bytes.size()) {
    uint64_t length = 0;
    for (int i = 0; i < 4; ++i) length = length << 8 | static_cast<uint8_t>(bytes[at + i]);
    if (length > bytes.size() - at - 12) {
      throw InputError(name + ": PNG chunk at byte " + std::to_string(at) + " claims " +
                       std::to_string(length) + " bytes, past the end of the file (cut short?)");
    }
    if (bytes.compare(at + 4, 4, "IEND") == 0) return;
    at += 12 + length;
  }
}

namespace {

uint32_t le(const std::string& b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = v << 8 | static_cast<uint8_t>(b[at + static_cast<size_t>(i)]);
  return v;
}

// The bytes an uncompressed image's header says its pixels take (PNM, uncompressed BMP and TGA),
// or 0 where the format compresses. stb decodes a file cut short as if the missing pixels were
// zeros: a 100-byte file claiming 8192x8192 would run as a black photograph.
uint64_t uncompressed_bytes(const std::string& b, const std::string& name, int64_t w, int64_t h) {
  if (b.size() >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6')) {
    // "P6 <w> <h> <maxval>" and one whitespace byte, comments allowed between the fields.
    size_t at = 2;
    int64_t maxval = 0;
    for (int field = 0; field < 3; ++field) {
      while (at < b.size() && (std::isspace(static_cast<unsigned char>(b[at])) || b[at] == '#')) {
        if (b[at] == '#') {
          while (at < b.size() && b[at] != '\n') ++at;
        } else {
          ++at;
        }
      }
      int64_t v = 0;
      while (at < b.size() && std::isdigit(static_cast<unsigned char>(b[at])) && v < (1 << 24))
        v = v * 10 + (b[at++] - '0');
      if (field == 2) maxval = v;
    }
    const uint64_t per_pixel = (b[1] == '6' ? 3u : 1u) * (maxval > 255 ? 2u : 1u);
    return at + 1 + static_cast<uint64_t>(w) * static_cast<uint64_t>(h) * per_pixel;
  }
  if (b.size() >= 34 && b[0] == 'B' && b[1] == 'M') {
    const uint32_t offset = le(b, 10, 4), bpp = le(b, 28, 2), compression = le(b, 30, 4);
    if (compression != 0 && compression != 3) return 0;  // RLE
    const uint64_t row = (static_cast<uint64_t>(bpp) * static_cast<uint64_t>(w) + 31) / 32 * 4;
    return offset + row * static_cast<uint64_t>(h);
  }
  // TGA has no signature: a .tga file stb_info accepted; types 1-3 are raw.
  if (b.size() >= 18 && lower_extension(name) == ".tga") {
    const uint8_t type = static_cast<uint8_t>(b[2]);
    if (type < 1 || type > 3) return 0;
    const uint64_t colour_map = type == 1 ? le(b, 5, 2) * ((le(b, 7, 1) + 7) / 8) : 0;
    const uint64_t bpp = le(b, 16, 1);
    return 18 + static_cast<uint8_t>(b[0]) + colour_map +
           static_cast<uint64_t>(w) * static_cast<uint64_t>(h) * ((bpp + 7) / 8);
  }
  return 0;
}

}  // namespace

Rgb8Image decode_image_bytes(const std::string& bytes, const std::string& name) {
  check_png_chunks(bytes, name);
  // stb takes an int length; photographs are far below it.
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    throw InputError(name + ": larger than 2 GiB");
  }
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int length = static_cast<int>(bytes.size());
  int w = 0, h = 0, n = 0;
  // Photographs of any camera fit; a header claiming more is refused before decoding.
  constexpr int64_t kMaxPixels = int64_t{1} << 26;  // 67 megapixels: bounded memory
  if (!stbi_info_from_memory(data, length, &w, &h, &n)) {
    throw InputError(name +
                     ": cannot be decoded as an image (not PNG, JPEG, BMP, GIF, TGA or PNM data)");
  }
  if (w <= 0 || h <= 0) throw InputError(name + ": the image has no pixels");
  if (int64_t{w} * h > kMaxPixels) {
    throw InputError(name + ": " + std::to_string(w) + "x" + std::to_string(h) +
                     " pixels is more than strata decodes (2^26, 67 megapixels)");
  }
  const uint64_t needed = uncompressed_bytes(bytes, name, w, h);
  if (needed > bytes.size()) {
    throw InputError(name + ": its header says " + std::to_string(w) + "x" + std::to_string(h) +
                     " pixels in " + std::to_string(needed) + " bytes, but the file holds " +
                     std::to_string(bytes.size()) + " (cut short?)");
  }
  // A GIF ends with its trailer byte; stb decodes one cut short as background.
  if (bytes.compare(0, 3, "GIF") == 0 && bytes.back() != '\x3b') {
    throw InputError(name + ": the GIF has no trailer (0x3B) at its end (cut short?)");
  }
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, length, &w, &h, &n, 3), stbi_image_free);
  if (!pixels || w <= 0 || h <= 0) {
    throw InputError(name + ": cannot be decoded as an image (its data is corrupt or cut short)");
  }
  Rgb8Image im;
  im.height = h;
  im.width = w;
  im.rgb.assign(pixels.get(), pixels.get() + static_cast<size_t>(w) * h * 3);
  return im;
}

FloatTensor preprocess_image(const Rgb8Image& source, const ImagePreprocessing& p) {
  if (source.height <= 0 || source.width <= 0 || p.height <= 0 || p.width <= 0) {
    throw InputError("an image of " + std::to_string(source.height) + "x" +
                     std::to_string(source.width) + " pixels cannot be resized to " +
                     std::to_string(p.height) + "x" + std::to_string(p.width));
  }
  Canvas im{source, source.height, source.width};
  if (p.pad_to_square) {
    im.height = im.width = std::max(source.height, source.width);
    im.top = (im.height - source.height) / 2;
    im.left = (im.width - source.width) / 2;
  }
  FloatTensor t;
  t.shape = {1, p.channels, p.height, p.width};
  t.data.resize(static_cast<size_t>(t.elements()));
  const double sy = static_cast<double>(im.height) / p.height;
  const double sx = static_cast<double>(im.width) / p.width;
  const int64_t plane = p.height * p.width;
  for (int64_t y = 0; y < p.height; ++y) {
    const double src_y = (y + 0.5) * sy - 0.5;
    for (int64_t x = 0; x < p.width; ++x) {
      const double src_x = (x + 0.5) * sx - 0.5;
      const float r = bilinear(im, src_y, src_x, 0), g = bilinear(im, src_y, src_x, 1),
                  b = bilinear(im, src_y, src_x, 2);
      const size_t at = static_cast<size_t>(y * p.width + x);
      if (p.channels == 1) {
        const double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        t.data[at] = static_cast<float>((luma * p.pixel_scale - p.mean[0]) / p.std[0]);
        continue;
      }
      const float rgb[3] = {r, g, b};
      for (int c = 0; c < 3; ++c) {
        const float v = rgb[p.bgr ? 2 - c : c];
        t.data[static_cast<size_t>(c * plane) + at] =
            static_cast<float>((v * p.pixel_scale - p.mean[c]) / p.std[c]);
      }
    }
  }
  return t;
}

FloatTensor load_image(const std::string& path, const ImagePreprocessing& p) {
  return preprocess_image(decode_image(path), p);
}

FloatTensor load_input(const std::string& path, const std::vector<int64_t>& shape,
                       const ImagePreprocessing& p) {
  if (lower_extension(path) != ".npy") {
    if (shape.size() != 4 || shape[0] != 1 || shape[1] != p.channels) {
      throw InputError(path + ": an image cannot feed an input of shape " + shape_text(shape) +
                       " (images give [1, " + std::to_string(p.channels) +
                       ", H, W]; give an .npy tensor instead)");
    }
    ImagePreprocessing sized = p;
    sized.height = shape[2];
    sized.width = shape[3];
    return load_image(path, sized);
  }
  const NamedTensor n = load_npy(path);
  std::vector<int64_t> unbatched(shape.begin() + (shape.empty() ? 0 : 1), shape.end());
  if (n.shape != shape && !(shape.size() > 0 && shape[0] == 1 && n.shape == unbatched)) {
    throw InputError(path + ": tensor of shape " + n.shape_string() + " but the model's input is " +
                     shape_text(shape));
  }
  require_finite(n.data, path);
  return FloatTensor{shape, n.data};
}

}  // namespace strata
