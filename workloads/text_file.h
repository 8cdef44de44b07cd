#pragma once
#include <string>

namespace strata {

// Reads a whole file; throws InputError naming the path if it cannot be read.
std::string read_text_file(const std::string& path);

// "dir/resnet18.csv" -> "resnet18"
std::string base_name_without_extension(const std::string& path);

}  // namespace strata
