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

// Every counter of the tree with its path, in path order.
std::vector<std::pair<std::string, const Counter*>> find_counters() {
  std::vector<std::pair<std::string, const Counter*>> out;
  std::vector<const sc_core::sc_object*> pending(sc_core::sc_get_top_level_objects().begin(),
                                                 sc_core::sc_get_top_level_objects().end());
  while (!pending.empty()) {
    const sc_core::sc_object* obj = pending.back();
    pending.pop_back();
    if (const auto* group = dynamic_cast<const StatGroup*>(obj)) {
      // Report under the owning module's name: "soc.dram" + ".read_bytes".
      const std::string owner = obj->get_parent_object() ? obj->get_parent_object()->name() : "";
      for (const Counter* c : group->counters()) out.emplace_back(owner + "." + c->name, c);
    }
    for (const sc_core::sc_object* child : obj->get_child_objects()) pending.push_back(child);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace

std::vector<StatValue> collect_stats() {
  std::vector<StatValue> out;
  for (const auto& [path, c] : find_counters()) {
    out.push_back({path, c->unit, c->description, c->value});
  }
  return out;
}

StatIndex::StatIndex() {
  for (auto& [path, c] : find_counters()) {
    paths_.push_back(std::move(path));
    counters_.push_back(c);
  }
}

StatIndex::StatIndex(const std::string& root, const std::string& as_root) {
  const std::string prefix = root + ".";
  for (auto& [path, c] : find_counters()) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    paths_.push_back(as_root + "." + path.substr(prefix.size()));
    counters_.push_back(c);
  }
}

std::vector<int64_t> StatIndex::values() const {
  std::vector<int64_t> v;
  v.reserve(counters_.size());
  for (const Counter* c : counters_) v.push_back(c->value);
  return v;
}

}  // namespace strata
