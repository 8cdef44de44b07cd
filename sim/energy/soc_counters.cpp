#include "sim/energy/soc_counters.h"

#include <stdexcept>

namespace strata {
namespace {

// One table: stat path and the member it fills.
struct Field {
  std::string path;
  int64_t SocCounters::*member;
  int buffer;  // -1: `member` is a scalar; else an index into the read/write arrays
  bool write;
  int op = -1;          // >= 0: an index into vector_op_elements
  bool banked = false;  // a banked DRAM's: present exactly when soc.dram.row_hits is
};

const std::vector<Field>& fields() {
  static const std::vector<Field> f = [] {
    std::vector<Field> v = {
        {"soc.array.mac_ops", &SocCounters::mac_ops, -1, false},
        {"soc.array.gated_mac_ops", &SocCounters::gated_mac_ops, -1, false},
        {"soc.array.mux_selects", &SocCounters::mux_selects, -1, false},
        {"soc.array.topk_blocks", &SocCounters::topk_blocks, -1, false},
        {"soc.array.compute_cycles", &SocCounters::array_compute_cycles, -1, false},
        {"soc.array.busy_cycles", &SocCounters::array_busy_cycles, -1, false},
        {"soc.array.pe_cycles", &SocCounters::pe_cycles, -1, false},
        {"soc.array.peak_macs", &SocCounters::peak_macs, -1, false},
        {"soc.array.physical_peak_macs", &SocCounters::physical_peak_macs, -1, false},
        {"soc.dram.read_bytes", &SocCounters::dram_read_bytes, -1, false},
        {"soc.dram.write_bytes", &SocCounters::dram_write_bytes, -1, false},
    };
    for (int b = 0; b < 3; ++b) {
      const std::string p = "soc." + SocCounters::buffer_names()[b];
      v.push_back({p + ".read_bytes", nullptr, b, false});
      v.push_back({p + ".write_bytes", nullptr, b, true});
    }
    v.push_back({"soc.vector.busy_cycles", &SocCounters::vector_busy_cycles, -1, false});
    v.push_back(
        {"soc.vector.buffer_read_bytes", &SocCounters::vector_buffer_read_bytes, -1, false});
    v.push_back(
        {"soc.vector.buffer_write_bytes", &SocCounters::vector_buffer_write_bytes, -1, false});
    v.push_back({"soc.vector.dram_read_bytes", &SocCounters::vector_dram_read_bytes, -1, false});
    v.push_back({"soc.vector.dram_write_bytes", &SocCounters::vector_dram_write_bytes, -1, false});
    for (const VectorOpSpec& s : vector_op_specs()) {
      v.push_back({"soc.vector." + std::string(s.name) + "_elements", nullptr, -1, false,
                   static_cast<int>(s.op)});
    }
    const std::pair<const char*, int64_t SocCounters::*> banked[] = {
        {"row_hits", &SocCounters::dram_row_hits},
        {"row_misses", &SocCounters::dram_row_misses},
        {"row_conflicts", &SocCounters::dram_row_conflicts},
        {"activates", &SocCounters::dram_activates},
        {"refreshes", &SocCounters::dram_refreshes},
        {"refresh_cycles", &SocCounters::dram_refresh_cycles},
        {"queue_delay_cycles", &SocCounters::dram_queue_delay_cycles},
        {"active_cycles", &SocCounters::dram_active_cycles},
        {"data_cycles", &SocCounters::dram_data_cycles},
        {"read_bursts", &SocCounters::dram_read_bursts},
        {"write_bursts", &SocCounters::dram_write_bursts}};
    for (const auto& [name, member] : banked) {
      v.push_back({std::string("soc.dram.") + name, member, -1, false, -1, true});
    }
    return v;
  }();
  return f;
}

template <class Counters>  // SocCounters or const SocCounters
auto slot(Counters& c, const Field& f) -> decltype((c.mac_ops)) {
  if (f.op >= 0) return c.vector_op_elements[f.op];
  if (f.buffer < 0) return c.*(f.member);
  return f.write ? c.buffer_write_bytes[f.buffer] : c.buffer_read_bytes[f.buffer];
}

}  // namespace

const std::vector<std::string>& SocCounters::buffer_names() {
  static const std::vector<std::string> n = {"input_buffer", "weight_buffer", "output_buffer"};
  return n;
}

std::vector<std::string> SocCounters::paths() {
  std::vector<std::string> p;
  for (const auto& f : fields()) p.push_back(f.path);
  return p;
}

SocCounters SocCounters::from(const std::map<std::string, int64_t>& snapshot) {
  SocCounters c;
  c.banked_dram = snapshot.count("soc.dram.row_hits") > 0;
  for (const auto& f : fields()) {
    auto it = snapshot.find(f.path);
    if (f.banked && !c.banked_dram) continue;
    if (it == snapshot.end()) {
      throw std::logic_error("the SoC has no stat '" + f.path +
                             "' that the energy model and the report read");
    }
    slot(c, f) = it->second;
  }
  return c;
}

SocCounters SocCounters::minus(const SocCounters& before) const {
  SocCounters d = *this;
  for (const auto& f : fields()) slot(d, f) -= slot(before, f);
  return d;
}

}  // namespace strata
