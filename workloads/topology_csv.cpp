#include "workloads/topology_csv.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "common/input_error.h"
#include "common/utf8.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) fields.push_back(trim(field));
  // SCALE-Sim rows end with a comma; drop trailing empty fields.
  while (!fields.empty() && fields.back().empty()) fields.pop_back();
  return fields;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

Workload parse_topology_csv(const std::string& text, const std::string& file_name) {
  static const char* kConvFields[] = {"Layer name",    "IFMAP Height", "IFMAP Width",
                                      "Filter Height", "Filter Width", "Channels",
                                      "Num Filter",    "Strides"};
  static const char* kGemmFields[] = {"Layer", "M", "N", "K"};
  Workload w;
  w.source = file_name;
  size_t bad = 0;
  if (!valid_utf8(text, &bad)) {
    throw InputError(file_name + ": byte " + std::to_string(bad) + ": not UTF-8 text");
  }
  std::set<std::string> names;
  std::stringstream lines(text);
  std::string line;
  int line_no = 0;
  bool have_header = false, gemm = false;
  while (std::getline(lines, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    const auto fields = split_row(line);
    const std::string where = file_name + ":" + std::to_string(line_no);
    if (!have_header) {
      have_header = true;
      gemm = fields.size() >= 2 && lower(fields[1]) == "m";
      const size_t expected = gemm ? 4 : 8;
      if (fields.size() != expected) {
        throw InputError(where + ": header has " + std::to_string(fields.size()) +
                         " fields; expected the SCALE-Sim conv header (8 fields: Layer name, ..., "
                         "Strides) or the GEMM header (Layer, M, N, K)");
      }
      continue;
    }
    const size_t expected = gemm ? 4 : 8;
    if (fields.size() != expected) {
      throw InputError(where + ": expected " + std::to_string(expected) + " fields, got " +
                       std::to_string(fields.size()));
    }
    std::vector<int64_t> v;
    for (size_t i = 1; i < fields.size(); ++i) {
      size_t used = 0;
      long long value = -1;
      try {
        value = std::stoll(fields[i], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != fields[i].size() || value < 1) {
        throw InputError(where + ": field '" + (gemm ? kGemmFields[i] : kConvFields[i]) +
                         "' must be a positive integer, got '" + fields[i] + "'");
      }
      v.push_back(value);
    }
    Layer l;
    l.name = fields[0];
    // Layer names identify report rows: unique, as in JSON layer lists and traces.
    if (!names.insert(l.name).second) {
      throw InputError(where + ": duplicate layer name '" + l.name + "'");
    }
    if (gemm) {
      l.type = LayerType::kGemm;
      l.m = v[0];
      l.n = v[1];
      l.k = v[2];
    } else {
      l.type = LayerType::kConv2d;
      l.in_h = v[0];
      l.in_w = v[1];
      l.kernel_h = v[2];
      l.kernel_w = v[3];
      l.in_c = v[4];
      l.out_c = v[5];
      l.stride_h = l.stride_w = v[6];
    }
    validate_layer(l, where);
    w.layers.push_back(l);
  }
  if (!have_header) throw InputError(file_name + ": empty topology file; expected a header row");
  if (w.layers.empty()) throw InputError(file_name + ": no layer rows after the header");
  w.name = base_name_without_extension(file_name);
  return w;
}

Workload load_topology_csv(const std::string& path) {
  return parse_topology_csv(read_text_file(path), path);
}

}  // namespace strata
