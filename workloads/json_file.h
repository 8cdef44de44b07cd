#pragma once
// JSON parsing for every input strata reads, with errors that name the file, line and column.
// Nesting is bounded (kMaxJsonDepth) while parsing, so no later recursive walk (merging a config,
// copying or dumping a value) can run out of stack on a hostile input.
#include <nlohmann/json.hpp>
#include <string>

namespace strata {

// Deeper than any strata input needs (configs nest 4 levels, traces 5).
constexpr int kMaxJsonDepth = 64;

// Throws InputError "<file_name>:<line>:<column>: ..." for malformed JSON, a number that does
// not fit a double (1e999), or nesting deeper than kMaxJsonDepth.
nlohmann::json parse_json_text(const std::string& text, const std::string& file_name);
nlohmann::ordered_json parse_ordered_json_text(const std::string& text,
                                               const std::string& file_name);
nlohmann::json load_json_file(const std::string& path);

// The JSON type name used in error messages ("integer", "string", "object", ...).
std::string json_type_name(const nlohmann::json& value);

}  // namespace strata
