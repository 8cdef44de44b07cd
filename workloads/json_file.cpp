#include "workloads/json_file.h"

#include "common/input_error.h"
#include "workloads/text_file.h"

namespace strata {

nlohmann::json parse_json_text(const std::string& text, const std::string& file_name) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into line:column for the message.
    const size_t offset = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    const size_t colon = what.rfind(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(file_name + ":" + std::to_string(line) + ":" + std::to_string(column) +
                     ": malformed JSON (byte " + std::to_string(offset) + "): " + what);
  }
}

nlohmann::json load_json_file(const std::string& path) {
  return parse_json_text(read_text_file(path), path);
}

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number_float()) return "number";
  if (value.is_boolean()) return "boolean";
  return value.type_name();
}

}  // namespace strata
