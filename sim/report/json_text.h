#pragma once
// The text of a JSON output (reports, rows, manifests, traces). Strings that reach them from the
// file system or the command line (file names, workload paths) are bytes, not always UTF-8; JSON
// holds UTF-8 only, so a byte that is not is written as U+FFFD instead of failing the run after
// it has simulated.
#include <nlohmann/json.hpp>
#include <string>

namespace strata {

template <class Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace strata
