#pragma once
// A design-space sweep (docs/sweeps.md): a base config, axes of config key paths with values,
// combined as a product or zipped, constraints that drop points, and workloads. Every point is
// resolved and validated before anything runs.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/expression.h"

namespace strata {

struct SweepAxis {
  std::string key;  // config key path, e.g. "array.rows"
  std::vector<nlohmann::json> values;
};

struct SweepSpec {
  std::string file;
  std::string base;  // config path, relative to the spec's directory already resolved
  std::vector<std::string> workloads;
  std::vector<SweepAxis> axes;
  bool zip = false;  // "combine": "zip" (else "product")
  std::vector<std::pair<std::string, Expression>> constraints;
};

// Throws InputError "<file>: <key path>: <what was expected>".
SweepSpec load_sweep_spec(const std::string& path);

struct SweepPoint {
  std::string id;                      // hash of the resolved config: stable across runs
  std::vector<std::string> overrides;  // "key=json value", as for --set
  nlohmann::json axes;                 // key -> value
};

// The most points one sweep may plan (the product of its axes' lengths); planning takes a few
// microseconds per point, so any allowed sweep starts running within seconds.
constexpr size_t kMaxSweepPoints = 1000000;

struct SweepPlan {
  std::vector<SweepPoint> points;  // sorted by id; duplicates (same resolved config) merged
  size_t dropped = 0;              // by constraints
};

// Expands the axes, resolves and validates every point (all problems in one InputError), and
// drops points a constraint rejects.
SweepPlan plan_sweep(const SweepSpec& spec);

}  // namespace strata
