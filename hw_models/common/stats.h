#pragma once
// Named statistics owned by the components. A StatGroup is an sc_object child of its module, so
// the stats tree is the module tree: the run driver discovers every group by walking the
// hierarchy; nothing is registered by hand in a central place.
#include <cstdint>
#include <deque>
#include <string>
#include <systemc>
#include <vector>

namespace strata {

struct Counter {
  std::string name;
  std::string unit;
  std::string description;
  int64_t value = 0;
  void add(int64_t v) { value += v; }
};

class StatGroup : public sc_core::sc_object {
 public:
  explicit StatGroup(const char* name = "stats") : sc_core::sc_object(name) {}
  const char* kind() const override { return "strata_stat_group"; }

  // The returned reference stays valid for the group's lifetime.
  Counter& counter(const std::string& name, const std::string& unit,
                   const std::string& description);
  const std::vector<Counter*>& counters() const { return order_; }

 private:
  std::deque<Counter> storage_;  // stable addresses
  std::vector<Counter*> order_;
};

// A flat snapshot of every counter in the module tree: "soc.dram.read_bytes" -> value.
struct StatValue {
  std::string path;
  std::string unit;
  std::string description;
  int64_t value = 0;
};
std::vector<StatValue> collect_stats();

// The counters of the module tree found once, after elaboration, in path order: reading their
// values is then a copy, with no walk and no strings (per-layer accounting reads them twice a
// layer).
class StatIndex {
 public:
  StatIndex();
  // Only the counters under module `root` ("engine0.soc"), their paths named as if that module
  // were `as_root` ("soc"): one engine of several read as a lone SoC is.
  StatIndex(const std::string& root, const std::string& as_root);
  const std::vector<std::string>& paths() const { return paths_; }
  std::vector<int64_t> values() const;

 private:
  std::vector<std::string> paths_;
  std::vector<const Counter*> counters_;
};

}  // namespace strata
