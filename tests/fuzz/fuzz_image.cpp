// An input photograph (functional mode): decoded by stb, centred on a square, resized and
// normalized.
#include "fuzz_support.h"
#include "workloads/functional/image_input.h"

STRATA_FUZZ_TARGET(image) {
  using namespace strata;
  return fuzz::expect_input_errors_only([&] {
    ImagePreprocessing p;
    p.height = 5;
    p.width = 7;
    p.pad_to_square = true;
    preprocess_image(decode_image_bytes(fuzz::input_text(data, size), "photo.png"), p);
  });
}
