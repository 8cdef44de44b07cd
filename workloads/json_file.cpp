#include "workloads/json_file.h"

#include "common/input_error.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

std::string line_column(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

struct TooDeep {};

template <class Json>
Json parse_bounded(const std::string& text, const std::string& file_name) {
  // The callback sees every value with its depth: refuse before the parser goes deeper.
  typename Json::parser_callback_t bound = [](int depth, nlohmann::json::parse_event_t event,
                                              Json&) {
    if (depth >= kMaxJsonDepth && (event == nlohmann::json::parse_event_t::object_start ||
                                   event == nlohmann::json::parse_event_t::array_start)) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    return Json::parse(text, bound);
  } catch (const TooDeep&) {
    throw InputError(file_name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels (the limit for any strata input)");
  } catch (const nlohmann::json::parse_error& e) {
    const size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    std::string what = e.what();
    const size_t colon = what.rfind(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(file_name + ":" + line_column(text, offset) + ": malformed JSON (byte " +
                     std::to_string(std::min(offset, text.size())) + "): " + what);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number literal beyond a double's range: "number overflow parsing '1e999'".
    std::string what = e.what();
    const size_t open = what.find('\''), close = what.rfind('\'');
    size_t offset = std::string::npos;
    if (open != std::string::npos && close > open) {
      offset = text.find(what.substr(open + 1, close - open - 1));
    }
    const std::string where = offset == std::string::npos
                                  ? file_name
                                  : file_name + ":" + line_column(text, offset) + " (byte " +
                                        std::to_string(offset) + ")";
    throw InputError(where + ": a number is out of range: " +
                     (open == std::string::npos ? what : what.substr(open)) +
                     " does not fit a double");
  }
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file_name) {
  return parse_bounded<nlohmann::json>(text, file_name);
}

nlohmann::ordered_json parse_ordered_json_text(const std::string& text,
                                               const std::string& file_name) {
  return parse_bounded<nlohmann::ordered_json>(text, file_name);
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
