#include "sim/config/dram_params.h"

#include <algorithm>
#include <sstream>

#include "common/input_error.h"

namespace strata {
namespace {

// The keys that mean something to one model only: setting one for the other is a mistake that
// would otherwise pass silently.
const std::vector<std::string>& simple_only_keys() {
  static const std::vector<std::string> k = {"dram.type", "dram.bandwidth_gbps", "dram.latency_ns",
                                             "dram.burst_bytes"};
  return k;
}

// The energy table's pJ/bit entry for a preset without datasheet currents: its own family where
// the table has one, else the nearest (LPDDR5: LPDDR4's; docs/dram.md).
std::string energy_type_of(const std::string& preset) {
  if (preset.rfind("ddr4", 0) == 0) return "ddr4";
  if (preset.rfind("hbm2", 0) == 0) return "hbm2";
  return "lpddr4";
}

}  // namespace

const std::vector<DramTimingKey>& dram_timing_keys() {
  using T = DramTimingCycles;
  static const std::vector<DramTimingKey> keys = {
      {"tRCD", "ACT to read", &T::rcd},
      {"tRCDWR", "ACT to write where it differs from tRCD (HBM2)", &T::rcd_wr},
      {"tRP", "precharge", &T::rp},
      {"tCL", "read command to data (RL)", &T::cl},
      {"tCWL", "write command to data (WL)", &T::cwl},
      {"tRAS", "ACT to precharge", &T::ras},
      {"tRC", "ACT to ACT, one bank", &T::rc},
      {"tRRD_S", "ACT to ACT, another bank group", &T::rrd_s},
      {"tRRD_L", "ACT to ACT, the same bank group", &T::rrd_l},
      {"tCCD_S", "column command to column command, another bank group", &T::ccd_s},
      {"tCCD_L", "column command to column command, the same bank group", &T::ccd_l},
      {"tFAW", "window holding at most four ACTs", &T::faw},
      {"tWTR_S", "write data end to read, another bank group", &T::wtr_s},
      {"tWTR_L", "write data end to read, the same bank group", &T::wtr_l},
      {"tRTW", "read command to write command", &T::rtw},
      {"tRTP", "read to precharge", &T::rtp},
      {"tWR", "write data end to precharge (write recovery)", &T::wr},
      {"tREFI", "refresh interval", &T::refi},
      {"tRFC", "all-bank refresh time", &T::rfc},
  };
  return keys;
}

std::vector<std::string> parse_address_mapping(const std::string& text, const std::string& where) {
  std::vector<std::string> fields;
  std::stringstream in(text);
  std::string f;
  while (std::getline(in, f, ':')) {
    static const std::vector<std::string> known = {"row",     "rank",       "bank",
                                                   "channel", "bank_group", "column"};
    if (std::find(known.begin(), known.end(), f) == known.end()) {
      throw InputError(where + ": \"" + f +
                       "\" is not a field; expected row, rank, bank, bank_group, channel and "
                       "column, most significant first, separated by ':'");
    }
    fields.push_back(f);
  }
  std::reverse(fields.begin(), fields.end());  // least significant first
  return fields;
}

DramParams make_dram_params(const ResolvedConfig& c) {
  DramParams d;
  d.model = c.get_string("dram.model") == "banked" ? DramModel::kBanked : DramModel::kSimple;
  d.type = c.get_string("dram.type");
  d.bandwidth_gbps = c.get_float("dram.bandwidth_gbps");
  d.latency_ns = c.get_float("dram.latency_ns");
  d.burst_bytes = c.get_int("dram.burst_bytes");
  if (!d.is_banked()) {
    for (const auto& [key, file] : c.given) {
      if (key.rfind("dram.", 0) == 0 && key != "dram.model" &&
          std::find(simple_only_keys().begin(), simple_only_keys().end(), key) ==
              simple_only_keys().end()) {
        throw InputError(file + ": " + key +
                         ": applies to dram.model = \"banked\" (this config's DRAM is simple)");
      }
    }
    return d;
  }
  // A simple DRAM's keys set beside dram.model = "banked", or on top of it (--set, a sweep's
  // axis); not those of a file the banked config includes.
  const std::string& model_file = c.given.at("dram.model");
  for (const std::string& key : simple_only_keys()) {
    const auto given = c.given.find(key);
    if (given != c.given.end() && (given->second == model_file || given->second == "--set")) {
      throw InputError(given->second + ": " + key +
                       ": applies to dram.model = \"simple\"; a banked DRAM's bandwidth, latency, "
                       "bursts and energy come from dram.preset and its overrides (docs/dram.md)");
    }
  }
  const std::string preset = c.get_string("dram.preset");
  d.banked = dram_preset(preset);
  d.type = energy_type_of(preset);
  BankedDramParams& p = d.banked.params;
  const auto override_int = [&](const std::string& key, int64_t& field) {
    const int64_t v = c.get_int(key);
    if (v != 0) field = v;
  };
  override_int("dram.channels", p.channels);
  override_int("dram.ranks", p.ranks);
  override_int("dram.bank_groups", p.bank_groups);
  override_int("dram.banks_per_group", p.banks_per_group);
  override_int("dram.rows", p.rows);
  override_int("dram.columns", p.columns);
  override_int("dram.bus_bits", p.bus_bits);
  p.page = c.get_string("dram.page_policy") == "closed" ? PagePolicy::kClosed : PagePolicy::kOpen;
  const std::string mapping = c.get_string("dram.address_mapping");
  if (!mapping.empty()) {
    p.mapping.order = parse_address_mapping(
        mapping, c.given.at("dram.address_mapping") + ": dram.address_mapping");
  }
  p.mapping.channel_interleave_bytes = c.get_int("dram.channel_interleave_bytes");
  p.queue_depth = c.get_int("dram.queue_depth");
  for (const DramTimingKey& k : dram_timing_keys()) {
    override_int(std::string("dram.timing.") + k.name, p.t.*k.field);
  }
  // A wider or narrower bus keeps the burst length: the data cycles of a burst stay.
  const std::string error = banked_dram_error(p);
  if (!error.empty()) {
    // Named where the key was set (a file, or --set), else by the config.
    const auto key = c.given.find(error.substr(0, error.find(':')));
    throw InputError((key != c.given.end() ? key->second : c.source) + ": " + error);
  }
  return d;
}

}  // namespace strata
