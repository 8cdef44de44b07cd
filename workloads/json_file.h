#pragma once
// JSON parsing with errors that name the file, line and column.
#include <nlohmann/json.hpp>
#include <string>

namespace strata {

nlohmann::json parse_json_text(const std::string& text, const std::string& file_name);
nlohmann::json load_json_file(const std::string& path);

// The JSON type name used in error messages ("integer", "string", "object", ...).
std::string json_type_name(const nlohmann::json& value);

}  // namespace strata
