#include "sim/energy/tech_table.h"

#include <cmath>

#include "common/input_error.h"
#include "workloads/json_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

double sourced_value(const J& doc, const std::string& key, const std::string& file) {
  const std::string where = file + ": " + key;
  if (!doc.contains(key)) throw InputError(where + ": required entry missing");
  const J& e = doc[key];
  if (!e.is_object() || !e.contains("value") || !e["value"].is_number() ||
      e["value"].get<double>() < 0) {
    throw InputError(where + ": must be {\"value\": <non-negative number>, \"source\": \"...\"}");
  }
  if (!e.contains("source") || !e["source"].is_string() || e["source"].get<std::string>().empty()) {
    throw InputError(where + ".source: every table entry must name its source");
  }
  return e["value"].get<double>();
}

}  // namespace

double TechTable::sram_read_pj_per_bit(double bank_bytes) const {
  const auto& p = sram_read_64b_points;
  if (p.size() == 1) return p[0].second / 64.0;
  // Segment containing bank_bytes, or the nearest end segment.
  size_t i = 0;
  while (i + 2 < p.size() && bank_bytes > p[i + 1].first) ++i;
  const double x0 = std::log(p[i].first), x1 = std::log(p[i + 1].first);
  const double y0 = std::log(p[i].second), y1 = std::log(p[i + 1].second);
  const double y = y0 + (std::log(bank_bytes) - x0) * (y1 - y0) / (x1 - x0);
  return std::exp(y) / 64.0;
}

TechTable load_tech_table(const std::string& path) {
  const J doc = load_json_file(path);
  if (!doc.is_object()) throw InputError(path + ": top level must be an object");
  TechTable t;
  if (!doc.contains("node_nm") || !doc["node_nm"].is_number_integer()) {
    throw InputError(path + ": node_nm: required, an integer (technology node)");
  }
  t.node_nm = doc["node_nm"].get<int>();
  t.mac_mult_8b_pj = sourced_value(doc, "mac_mult_8b_pj", path);
  t.mac_add_32b_pj = sourced_value(doc, "mac_add_32b_pj", path);
  t.register_bit_pj = sourced_value(doc, "register_bit_pj", path);
  t.fusible_pe_pj_per_cycle = sourced_value(doc, "fusible_pe_pj_per_cycle", path);
  t.ant_decoder_pj = sourced_value(doc, "ant_decoder_pj", path);
  t.sram_write_factor = sourced_value(doc, "sram_write_factor", path);
  const std::string sk = "sram_read_64b_pj";
  if (!doc.contains(sk) || !doc[sk].is_object() || !doc[sk].contains("points_bytes_pj") ||
      !doc[sk]["points_bytes_pj"].is_array() || doc[sk]["points_bytes_pj"].empty()) {
    throw InputError(path + ": " + sk +
                     ".points_bytes_pj: required, [[bytes, pJ], ...] sorted by size");
  }
  if (!doc[sk].contains("source") || !doc[sk]["source"].is_string()) {
    throw InputError(path + ": " + sk + ".source: every table entry must name its source");
  }
  double last = 0;
  for (const auto& pt : doc[sk]["points_bytes_pj"]) {
    if (!pt.is_array() || pt.size() != 2 || !pt[0].is_number() || !pt[1].is_number() ||
        pt[0].get<double>() <= last || pt[1].get<double>() <= 0) {
      throw InputError(path + ": " + sk +
                       ".points_bytes_pj: each point must be [bytes, pJ] with "
                       "positive values, sorted by increasing size");
    }
    last = pt[0].get<double>();
    t.sram_read_64b_points.emplace_back(pt[0].get<double>(), pt[1].get<double>());
  }
  if (!doc.contains("dram_pj_per_bit") || !doc["dram_pj_per_bit"].is_object()) {
    throw InputError(path + ": dram_pj_per_bit: required, an object of DRAM types");
  }
  for (const auto& item : doc["dram_pj_per_bit"].items()) {
    t.dram_pj_per_bit[item.key()] =
        sourced_value(doc["dram_pj_per_bit"], item.key(), path + ": dram_pj_per_bit");
  }
  return t;
}

}  // namespace strata
