#include "sim/sweep/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/fnv1a.h"
#include "common/input_error.h"
#include "sim/config/component_params.h"
#include "sim/config/config_tree.h"
#include "sim/config/param_specs.h"
#include "workloads/json_file.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

std::string directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// A list, or {"from": a, "to": b, "step": s} / {"from": a, "to": b, "factor": f}, inclusive.
std::vector<J> axis_values(const J& v, const std::string& where) {
  if (v.is_array()) {
    if (v.empty()) throw InputError(where + ": an axis needs at least one value");
    return std::vector<J>(v.begin(), v.end());
  }
  if (!v.is_object() || !v.contains("from") || !v.contains("to") || !v["from"].is_number() ||
      !v["to"].is_number() || (v.contains("step") == v.contains("factor")) || v.size() != 3) {
    throw InputError(where +
                     ": must be a list of values or {\"from\": a, \"to\": b, \"step\": s} or "
                     "{\"from\": a, \"to\": b, \"factor\": f}");
  }
  const bool integral = v["from"].is_number_integer() && v["to"].is_number_integer();
  const double from = v["from"].get<double>(), to = v["to"].get<double>();
  std::vector<J> out;
  if (v.contains("step")) {
    const double step = v["step"].is_number() ? v["step"].get<double>() : 0;
    if (!(step > 0)) throw InputError(where + ".step: must be a positive number");
    for (double x = from; x <= to + 1e-9 * std::fabs(step); x += step) {
      out.push_back(integral && v["step"].is_number_integer() ? J(std::llround(x)) : J(x));
      if (out.size() > 100000) throw InputError(where + ": more than 100000 values");
    }
  } else {
    const double f = v["factor"].is_number() ? v["factor"].get<double>() : 0;
    if (!(f > 1) || !(from > 0)) {
      throw InputError(where + ".factor: must be a number above 1, with a positive \"from\"");
    }
    for (double x = from; x <= to * (1 + 1e-9); x *= f) {
      out.push_back(integral ? J(std::llround(x)) : J(x));
      if (out.size() > 100000) throw InputError(where + ": more than 100000 values");
    }
  }
  if (out.empty()) throw InputError(where + ": the range holds no value");
  return out;
}

ExprValue value_of(const ResolvedConfig& c, const std::string& key) {
  if (!find_param_spec(key))
    throw std::invalid_argument("unknown key '" + key + "'" + suggest_param_key(key));
  const J& v = c.at(key);
  if (v.is_string()) return {true, 0, v.get<std::string>()};
  if (v.is_boolean()) return {false, v.get<bool>() ? 1.0 : 0.0, ""};
  return {false, v.get<double>(), ""};
}

}  // namespace

SweepSpec load_sweep_spec(const std::string& path) {
  const J doc = load_json_file(path);
  if (!doc.is_object()) throw InputError(path + ": top level must be an object");
  for (const auto& item : doc.items()) {
    static const std::set<std::string> known = {"base",    "workloads",   "axes",
                                                "combine", "constraints", "description"};
    if (!known.count(item.key())) {
      throw InputError(path + ": " + item.key() +
                       ": unknown key (expected base, workloads, axes, combine, constraints, "
                       "description)");
    }
  }
  SweepSpec s;
  s.file = path;
  if (!doc.contains("base") || !doc["base"].is_string()) {
    throw InputError(
        path +
        ": base: required, the path of a config (relative to this file, else a built-in config)");
  }
  const std::string base = doc["base"].get<std::string>();
  s.base = resolve_config_path_from(directory_of(path), base);
  if (!doc.contains("workloads") || !doc["workloads"].is_array() || doc["workloads"].empty()) {
    throw InputError(path + ": workloads: required, a non-empty list of zoo names or traces");
  }
  for (size_t i = 0; i < doc["workloads"].size(); ++i) {
    const J& w = doc["workloads"][i];
    if (!w.is_string() || w.get<std::string>().empty()) {
      throw InputError(path + ": workloads[" + std::to_string(i) + "]: must be a string");
    }
    std::string name = w.get<std::string>();
    // Trace and topology files are relative to the spec, like the base.
    const bool file = name.size() > 5 && (name.substr(name.size() - 5) == ".json" ||
                                          name.substr(name.size() - 4) == ".csv");
    if (file && name[0] != '/') name = directory_of(path) + "/" + name;
    s.workloads.push_back(name);
  }
  if (!doc.contains("axes") || !doc["axes"].is_object()) {
    throw InputError(path + ": axes: required, an object of \"key.path\": [values]");
  }
  // Axes keep the order the spec lists them in (the CSV's column order).
  const nlohmann::ordered_json ordered = parse_ordered_json_text(read_text_file(path), path);
  for (const auto& item : ordered["axes"].items()) {
    s.axes.push_back(
        {item.key(), axis_values(doc["axes"][item.key()], path + ": axes." + item.key())});
  }
  if (doc.contains("combine")) {
    if (doc["combine"] != "product" && doc["combine"] != "zip") {
      throw InputError(path + ": combine: must be \"product\" or \"zip\", got " +
                       doc["combine"].dump());
    }
    s.zip = doc["combine"] == "zip";
  }
  if (s.zip) {
    for (const auto& a : s.axes) {
      if (a.values.size() != s.axes.front().values.size()) {
        throw InputError(path + ": axes." + a.key + ": \"zip\" needs every axis to have " +
                         std::to_string(s.axes.front().values.size()) + " values, it has " +
                         std::to_string(a.values.size()));
      }
    }
  }
  if (doc.contains("constraints")) {
    if (!doc["constraints"].is_array()) {
      throw InputError(path + ": constraints: must be a list of expressions");
    }
    for (size_t i = 0; i < doc["constraints"].size(); ++i) {
      const std::string where = path + ": constraints[" + std::to_string(i) + "]";
      const J& c = doc["constraints"][i];
      if (!c.is_string()) throw InputError(where + ": must be a string expression");
      try {
        Expression e = Expression::parse(c.get<std::string>());
        for (const auto& k : e.keys()) {
          if (!find_param_spec(k))
            throw std::invalid_argument("unknown key '" + k + "'" + suggest_param_key(k));
        }
        s.constraints.emplace_back(c.get<std::string>(), std::move(e));
      } catch (const std::invalid_argument& e) {
        throw InputError(where + ": " + e.what());
      }
    }
  }
  return s;
}

SweepPlan plan_sweep(const SweepSpec& spec) {
  // Every axis value alone on the base: unknown keys and bad values, all of them. Each value's
  // resolved form is kept for the points below.
  std::vector<std::string> problems;
  const ConfigTree base = ConfigTree::load(spec.base);
  const ResolvedConfig base_config = resolve_config(base);
  std::vector<std::vector<J>> resolved_values(spec.axes.size());
  for (size_t k = 0; k < spec.axes.size(); ++k) {
    const auto& a = spec.axes[k];
    for (size_t i = 0; i < a.values.size(); ++i) {
      try {
        ConfigTree tree = base;
        tree.set_override(a.key + "=" + a.values[i].dump());
        const ResolvedConfig alone = resolve_config(tree);
        resolved_values[k].push_back(alone.values.at(pointer_of(a.key)));
      } catch (const InputError& e) {
        std::string msg = e.what();
        const size_t colon = msg.find(": ");
        if (colon != std::string::npos) msg = msg.substr(colon + 2);
        problems.push_back("axes." + a.key + "[" + std::to_string(i) + "] (" + a.values[i].dump() +
                           "): " + msg);
        resolved_values[k].push_back(J());
      }
    }
  }
  // Keys resolve independently of each other, so a point is the resolved base with its axes'
  // resolved values set in place: no per-point resolve. Axes that nest (one a section holding
  // the other) or set the tech table path (resolved against the file that sets it) take the full
  // resolve per point instead.
  bool independent_axes = true;
  for (const auto& a : spec.axes) {
    independent_axes &= a.key != "energy.tech_table";
    for (const auto& b : spec.axes) {
      independent_axes &= &a == &b || b.key.rfind(a.key + ".", 0) != 0;
    }
  }
  auto fail_if_problems = [&]() {
    if (problems.empty()) return;
    std::string line = spec.file + ": " + std::to_string(problems.size()) + " problem" +
                       (problems.size() > 1 ? "s" : "") + ": ";
    for (size_t i = 0; i < problems.size() && i < 8; ++i) line += (i ? "; " : "") + problems[i];
    if (problems.size() > 8) line += "; ...";
    throw InputError(line);
  };
  fail_if_problems();

  // Combinations: the product (last axis fastest) or the zip.
  size_t count = spec.axes.empty() ? 1 : (spec.zip ? spec.axes.front().values.size() : 1);
  if (!spec.zip) {
    for (const auto& a : spec.axes) {
      count *= a.values.size();
      if (count > kMaxSweepPoints) {
        throw InputError(spec.file + ": axes: more than " + std::to_string(kMaxSweepPoints) +
                         " points (the product of the axes' lengths); split the sweep");
      }
    }
  }
  SweepPlan plan;
  std::set<std::string> seen;
  ResolvedConfig c = base_config;  // the fast path's working config: axes overwritten per point
  std::vector<J::json_pointer> pointers;
  for (const auto& a : spec.axes) pointers.push_back(pointer_of(a.key));
  for (size_t n = 0; n < count; ++n) {
    SweepPoint p;
    p.axes = J::object();
    std::vector<size_t> index(spec.axes.size());
    size_t rest = n;
    for (size_t k = spec.axes.size(); k-- > 0;) {
      const auto& a = spec.axes[k];
      index[k] = spec.zip ? n : rest % a.values.size();
      if (!spec.zip) rest /= a.values.size();
      p.axes[a.key] = a.values[index[k]];
    }
    for (const auto& a : spec.axes) p.overrides.push_back(a.key + "=" + p.axes[a.key].dump());
    if (independent_axes) {
      for (size_t k = 0; k < spec.axes.size(); ++k) {
        c.values[pointers[k]] = resolved_values[k][index[k]];
      }
    } else {
      try {
        ConfigTree tree = base;
        for (const auto& o : p.overrides) tree.set_override(o);
        c = resolve_config(tree);
      } catch (const InputError& e) {
        problems.push_back("point " + p.axes.dump() + ": " + e.what());
        continue;
      }
    }
    bool keep = true;
    for (const auto& [text, expr] : spec.constraints) {
      try {
        keep = keep && expr.holds([&](const std::string& k) { return value_of(c, k); });
      } catch (const std::invalid_argument& e) {
        problems.push_back("constraint \"" + text + "\": " + e.what());
        keep = false;
      }
    }
    if (!keep) {
      ++plan.dropped;
      continue;
    }
    // Cross-key checks (a tensor PE not dividing the array, ...) on the points that remain.
    try {
      make_soc_params(c);
    } catch (const InputError& e) {
      std::string msg = e.what();
      const size_t colon = msg.find(": ");
      if (colon != std::string::npos) msg = msg.substr(colon + 2);
      problems.push_back("point " + p.axes.dump() + ": " + msg);
      continue;
    }
    p.id = fnv1a64_hex(c.values.dump());
    if (seen.insert(p.id).second) plan.points.push_back(std::move(p));
  }
  fail_if_problems();
  std::sort(plan.points.begin(), plan.points.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.id < b.id; });
  return plan;
}

}  // namespace strata
