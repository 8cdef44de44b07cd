#include "hw_models/common/stats.h"

#include <algorithm>

namespace strata {

Counter& StatGroup::counter(const std::string& name, const std::string& unit,
                            const std::string& description) {
  storage_.push_back(Counter{name, unit, description, 0});
  order_.push_back(&storage_.back());
  return storage_.back();
}

namespace {

void walk(const sc_core::sc_object* obj, std::vector<StatValue>& out) {
  if (const auto* group = dynamic_cast<const StatGroup*>(obj)) {
    // Report under the owning module's name: "soc.dram" + ".read_bytes".
    const std::string owner = obj->get_parent_object() ? obj->get_parent_object()->name() : "";
    for (const Counter* c : group->counters()) {
      out.push_back({owner + "." + c->name, c->unit, c->description, c->value});
    }
  }
  for (const sc_core::sc_object* child : obj->get_child_objects()) walk(child, out);
}

}  // namespace

std::vector<StatValue> collect_stats() {
  std::vector<StatValue> out;
  for (const sc_core::sc_object* top : sc_core::sc_get_top_level_objects()) walk(top, out);
  std::sort(out.begin(), out.end(),
            [](const StatValue& a, const StatValue& b) { return a.path < b.path; });
  return out;
}

}  // namespace strata
