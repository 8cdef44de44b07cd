#include "sim/energy/tech_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "common/input_error.h"
#include "hw_models/vector/vector_ops.h"
#include "sim/energy/tech_scaling.h"
#include "workloads/json_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

enum class Scale { kEnergy, kArea, kLeakageDensity, kNone };

struct EntrySpec {
  const char* key;
  Scale scale;
  double TechTable::*field;
};

const std::vector<EntrySpec>& entry_specs() {
  static const std::vector<EntrySpec> specs = {
      {"mac_mult_8b_pj", Scale::kEnergy, &TechTable::mac_mult_8b_pj},
      {"mac_add_32b_pj", Scale::kEnergy, &TechTable::mac_add_32b_pj},
      {"register_bit_pj", Scale::kEnergy, &TechTable::register_bit_pj},
      {"fusible_pe_pj_per_cycle", Scale::kEnergy, &TechTable::fusible_pe_pj_per_cycle},
      {"ant_decoder_pj", Scale::kEnergy, &TechTable::ant_decoder_pj},
      {"mux_8to1_8b_pj", Scale::kEnergy, &TechTable::mux_8to1_8b_pj},
      {"topk_8_pj", Scale::kEnergy, &TechTable::topk_8_pj},
      {"zero_gated_mac_factor", Scale::kNone, &TechTable::zero_gated_mac_factor},
      {"sram_write_factor", Scale::kNone, &TechTable::sram_write_factor},
      {"int_mac_8b_area_um2", Scale::kArea, &TechTable::int_mac_8b_area_um2},
      {"register_bit_area_um2", Scale::kArea, &TechTable::register_bit_area_um2},
      {"fusible_pe_area_um2", Scale::kArea, &TechTable::fusible_pe_area_um2},
      {"ant_decoder_area_um2", Scale::kArea, &TechTable::ant_decoder_area_um2},
      {"mux_8to1_8b_area_um2", Scale::kArea, &TechTable::mux_8to1_8b_area_um2},
      {"topk_8_area_um2", Scale::kArea, &TechTable::topk_8_area_um2},
      {"vector_lane_area_um2", Scale::kArea, &TechTable::vector_lane_area_um2},
      {"logic_leakage_nw_per_um2", Scale::kLeakageDensity, &TechTable::logic_leakage_nw_per_um2},
      {"sram_leakage_nw_per_um2", Scale::kLeakageDensity, &TechTable::sram_leakage_nw_per_um2},
  };
  return specs;
}

const char* kPointTables[] = {"sram_read_pj", "sram_area_mm2"};

double sourced_value(const J& doc, const std::string& key, const std::string& file,
                     std::string* source) {
  const std::string where = file + ": " + key;
  const J& e = doc[key];
  if (!e.is_object() || !e.contains("value") || !e["value"].is_number() ||
      e["value"].get<double>() < 0) {
    throw InputError(where + ": must be {\"value\": <non-negative number>, \"source\": \"...\"}");
  }
  if (!e.contains("source") || !e["source"].is_string() || e["source"].get<std::string>().empty()) {
    throw InputError(where + ".source: every table entry must name its source");
  }
  *source = e["source"].get<std::string>();
  return e["value"].get<double>();
}

std::vector<TechTable::SramPoint> read_points(const J& doc, const std::string& key,
                                              const std::string& file, std::string* source) {
  const std::string expected =
      ".points: required, [[bank bytes, port bits, value], ...] with "
      "positive numbers, sizes increasing within each port width";
  if (!doc[key].is_object() || !doc[key].contains("points") || !doc[key]["points"].is_array() ||
      doc[key]["points"].empty()) {
    throw InputError(file + ": " + key + expected);
  }
  if (!doc[key].contains("source") || !doc[key]["source"].is_string()) {
    throw InputError(file + ": " + key + ".source: every table entry must name its source");
  }
  *source = doc[key]["source"].get<std::string>();
  std::vector<TechTable::SramPoint> points;
  for (const auto& pt : doc[key]["points"]) {
    bool ok = pt.is_array() && pt.size() == 3;
    for (size_t i = 0; ok && i < 3; ++i) ok = pt[i].is_number() && pt[i].get<double>() > 0;
    if (ok) {
      for (const auto& q : points) {
        ok &= !(q.port_bits == pt[1].get<double>() && q.bytes >= pt[0].get<double>());
      }
    }
    if (!ok) throw InputError(file + ": " + key + expected);
    points.push_back({pt[0].get<double>(), pt[1].get<double>(), pt[2].get<double>()});
  }
  return points;
}

double loglog(const std::vector<std::pair<double, double>>& p, double x) {
  if (p.size() == 1) return p[0].second;
  // Segment containing x, or the nearest end segment.
  size_t i = 0;
  while (i + 2 < p.size() && x > p[i + 1].first) ++i;
  const double x0 = std::log(p[i].first), x1 = std::log(p[i + 1].first);
  const double y0 = std::log(p[i].second), y1 = std::log(p[i + 1].second);
  return std::exp(y0 + (std::log(x) - x0) * (y1 - y0) / (x1 - x0));
}

// Log-log over size at each tabulated port width, then over width (clamped at the ends).
// `per_bit` divides each point's value by its width first (energy per access -> per bit).
double sram_lookup(const std::vector<TechTable::SramPoint>& points, double bytes, double bits,
                   bool per_bit) {
  std::vector<double> widths;
  for (const auto& p : points) {
    if (std::find(widths.begin(), widths.end(), p.port_bits) == widths.end())
      widths.push_back(p.port_bits);
  }
  std::sort(widths.begin(), widths.end());
  auto at_width = [&](double w) {
    std::vector<std::pair<double, double>> curve;
    for (const auto& p : points) {
      if (p.port_bits == w) curve.emplace_back(p.bytes, per_bit ? p.value / w : p.value);
    }
    return loglog(curve, bytes);
  };
  if (bits <= widths.front()) return at_width(widths.front());
  if (bits >= widths.back()) return at_width(widths.back());
  size_t i = 0;
  while (widths[i + 1] < bits) ++i;
  const double y0 = std::log(at_width(widths[i])), y1 = std::log(at_width(widths[i + 1]));
  const double x0 = std::log(widths[i]), x1 = std::log(widths[i + 1]);
  return std::exp(y0 + (std::log(bits) - x0) * (y1 - y0) / (x1 - x0));
}

std::string fixed(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

TechTable load(const std::string& path, int depth);

// The base table scaled to `node`: every on-chip entry by the published factors (DRAM is off-chip
// and keeps its energy per bit).
TechTable scaled_base(const J& spec, const std::string& path, int node, int depth) {
  const std::string where = path + ": scaled_from";
  if (!spec.is_object() || !spec.contains("table") || !spec["table"].is_string() ||
      !spec.contains("volts") || !spec["volts"].is_number()) {
    throw InputError(where + ": must be {\"table\": \"<base table file>\", \"volts\": <supply>}");
  }
  for (const auto& item : spec.items()) {
    if (item.key() != "table" && item.key() != "volts")
      throw InputError(where + "." + item.key() + ": unknown key (expected table, volts)");
  }
  TechTable t = load(directory_of(path) + "/" + spec["table"].get<std::string>(), depth + 1);
  const double volts = spec["volts"].get<double>();
  double e = 0, a = 0;
  try {
    e = energy_factor(node, volts) / energy_factor(t.node_nm, volts);
    a = area_factor(node) / area_factor(t.node_nm);
  } catch (const std::invalid_argument& err) {
    throw InputError(path + ": node_nm: " + err.what());
  }
  const std::string how = "; scaled " + std::to_string(t.node_nm) + " -> " + std::to_string(node) +
                          " nm by Stillmaker & Baas 2017 at " + fixed(volts) + " V (";
  for (const auto& s : entry_specs()) {
    double factor = 1;
    std::string note;
    switch (s.scale) {
      case Scale::kEnergy:
        factor = e, note = "energy x" + fixed(e);
        break;
      case Scale::kArea:
        factor = a, note = "area x" + fixed(a);
        break;
      case Scale::kLeakageDensity:
        // strata assumption: leakage power per device scales like switching energy.
        factor = e / a, note = "leakage per device x" + fixed(e) + ", per area x" + fixed(e / a);
        break;
      case Scale::kNone:
        break;
    }
    t.*(s.field) *= factor;
    if (s.scale != Scale::kNone) t.sources[s.key] += how + note + ")";
  }
  for (auto& [op, pj] : t.vector_op_pj_per_element) {
    pj *= e;
    t.sources["vector_op_pj_per_element." + op] += how + "energy x" + fixed(e) + ")";
  }
  for (auto& p : t.sram_read_points) p.value *= e;
  t.sources["sram_read_pj"] += how + "energy x" + fixed(e) + ")";
  for (auto& p : t.sram_area_points) p.value *= a;
  t.sources["sram_area_mm2"] += how + "area x" + fixed(a) + ")";
  return t;
}

TechTable load(const std::string& path, int depth) {
  if (depth > 4) throw InputError(path + ": scaled_from: tables chain more than 4 deep");
  const J doc = load_json_file(path);
  if (!doc.is_object()) throw InputError(path + ": top level must be an object");
  if (!doc.contains("node_nm") || !doc["node_nm"].is_number_integer()) {
    throw InputError(path + ": node_nm: required, an integer (technology node)");
  }
  const int node = doc["node_nm"].get<int>();
  const bool scaled = doc.contains("scaled_from");
  TechTable t = scaled ? scaled_base(doc["scaled_from"], path, node, depth) : TechTable{};
  t.node_nm = node;
  // Every key must be known; a table without a base must give every entry.
  for (const auto& item : doc.items()) {
    const std::string& k = item.key();
    bool known = k == "node_nm" || k == "description" || k == "scaled_from" ||
                 k == "dram_pj_per_bit" || k == "vector_op_pj_per_element";
    for (const auto& s : entry_specs()) known |= k == s.key;
    for (const char* p : kPointTables) known |= k == p;
    if (!known) throw InputError(path + ": " + k + ": unknown entry (see docs/energy.md)");
  }
  for (const auto& s : entry_specs()) {
    if (doc.contains(s.key)) {
      t.*(s.field) = sourced_value(doc, s.key, path, &t.sources[s.key]);
    } else if (!scaled) {
      throw InputError(path + ": " + s.key + ": required entry missing");
    }
  }
  if (doc.contains("sram_read_pj")) {
    t.sram_read_points = read_points(doc, "sram_read_pj", path, &t.sources["sram_read_pj"]);
  } else if (!scaled) {
    throw InputError(path + ": sram_read_pj: required entry missing");
  }
  if (doc.contains("sram_area_mm2")) {
    t.sram_area_points = read_points(doc, "sram_area_mm2", path, &t.sources["sram_area_mm2"]);
  } else if (!scaled) {
    throw InputError(path + ": sram_area_mm2: required entry missing");
  }
  if (doc.contains("dram_pj_per_bit")) {
    if (!doc["dram_pj_per_bit"].is_object())
      throw InputError(path + ": dram_pj_per_bit: must be an object of DRAM types");
    for (const auto& item : doc["dram_pj_per_bit"].items()) {
      t.dram_pj_per_bit[item.key()] =
          sourced_value(doc["dram_pj_per_bit"], item.key(), path + ": dram_pj_per_bit",
                        &t.sources["dram_pj_per_bit." + item.key()]);
    }
  } else if (!scaled) {
    throw InputError(path + ": dram_pj_per_bit: required, an object of DRAM types");
  }
  const std::string vector_key = "vector_op_pj_per_element";
  if (doc.contains(vector_key)) {
    const J& ops = doc[vector_key];
    if (!ops.is_object()) throw InputError(path + ": " + vector_key + ": must be an object of ops");
    for (const auto& item : ops.items()) {
      bool known = false;
      for (const auto& spec : vector_op_specs()) known |= item.key() == spec.name;
      if (!known) {
        throw InputError(path + ": " + vector_key + "." + item.key() +
                         ": not a vector operation (docs/vector.md lists them)");
      }
      t.vector_op_pj_per_element[item.key()] = sourced_value(
          ops, item.key(), path + ": " + vector_key, &t.sources[vector_key + "." + item.key()]);
    }
  }
  if (!scaled) {
    for (const auto& spec : vector_op_specs()) {
      if (!t.vector_op_pj_per_element.count(spec.name)) {
        throw InputError(path + ": " + vector_key + "." + spec.name + ": required entry missing");
      }
    }
  }
  return t;
}

}  // namespace

double TechTable::sram_read_pj_per_bit(double bank_bytes, double port_bits) const {
  return sram_lookup(sram_read_points, bank_bytes, port_bits, true);
}

double TechTable::sram_bank_area_mm2(double bank_bytes, double port_bits) const {
  return sram_lookup(sram_area_points, bank_bytes, port_bits, false);
}

TechTable load_tech_table(const std::string& path) { return load(path, 0); }

std::vector<TechEntryText> tech_table_entries(const TechTable& t) {
  std::vector<TechEntryText> rows;
  auto source = [&](const std::string& k) {
    auto it = t.sources.find(k);
    return it == t.sources.end() ? std::string() : it->second;
  };
  for (const auto& s : entry_specs()) rows.push_back({s.key, fixed(t.*(s.field)), source(s.key)});
  for (const char* k : kPointTables) {
    const auto& points = std::string(k) == "sram_read_pj" ? t.sram_read_points : t.sram_area_points;
    std::string v;
    for (const auto& p : points) {
      v += (v.empty() ? "" : ", ") + fixed(p.bytes / 1024) + " KiB x " + fixed(p.port_bits) +
           " bit: " + fixed(p.value);
    }
    rows.push_back({k, v, source(k)});
  }
  for (const auto& [type, pj] : t.dram_pj_per_bit) {
    rows.push_back({"dram_pj_per_bit." + type, fixed(pj), source("dram_pj_per_bit." + type)});
  }
  for (const auto& spec : vector_op_specs()) {
    const std::string key = std::string("vector_op_pj_per_element.") + spec.name;
    const auto it = t.vector_op_pj_per_element.find(spec.name);
    rows.push_back(
        {key, it == t.vector_op_pj_per_element.end() ? "" : fixed(it->second), source(key)});
  }
  return rows;
}

}  // namespace strata
