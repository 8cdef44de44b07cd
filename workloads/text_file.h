#pragma once
#include <cstdint>
#include <string>

namespace strata {

// No input file larger than this is read (protobuf's own limit for one ONNX message; photographs,
// weights shards, traces and configs are far below it).
constexpr int64_t kMaxInputFileBytes = int64_t{1} << 31;

// The size of an input file, checked before anything is read: a path that is not a regular file
// (a directory, a FIFO, a device) is refused, since reading one could block forever or never end,
// and so is a file larger than `max_bytes`. Throws InputError naming the path.
int64_t input_file_size(const std::string& path, int64_t max_bytes = kMaxInputFileBytes);

// Reads a whole input file (input_file_size's checks first); throws InputError naming the path if
// it cannot be read.
std::string read_text_file(const std::string& path, int64_t max_bytes = kMaxInputFileBytes);

// "dir/resnet18.csv" -> "resnet18"
std::string base_name_without_extension(const std::string& path);

}  // namespace strata
