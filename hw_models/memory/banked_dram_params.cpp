#include "hw_models/memory/banked_dram_params.h"

#include <algorithm>

namespace strata {
namespace {

bool power_of_two(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

int bits_of(int64_t v) {
  int b = 0;
  while ((int64_t{1} << b) < v) ++b;
  return b;
}

const std::vector<std::string>& mapping_fields() {
  static const std::vector<std::string> f = {"column", "channel", "bank_group",
                                             "bank",   "rank",    "row"};
  return f;
}

// How many values each mapping field takes.
int64_t field_size(const BankedDramParams& p, const std::string& field) {
  if (field == "column") return p.columns / p.burst_length;  // burst positions in a row
  if (field == "channel") return p.channels;
  if (field == "bank_group") return p.bank_groups;
  if (field == "bank") return p.banks_per_group;
  if (field == "rank") return p.ranks;
  if (field == "row") return p.rows;
  return 0;
}

// The config key each field's size comes from.
std::string field_key(const std::string& field) {
  if (field == "column") return "dram.columns";
  if (field == "bank") return "dram.banks_per_group";
  return "dram." + field + "s";
}

std::string timing_error(const DramTimingCycles& t) {
  struct Positive {
    const char* key;
    int64_t v;
  };
  for (const Positive& k : {Positive{"tRCD", t.rcd},
                            {"tRP", t.rp},
                            {"tCL", t.cl},
                            {"tCWL", t.cwl},
                            {"tRAS", t.ras},
                            {"tRC", t.rc},
                            {"tRRD_S", t.rrd_s},
                            {"tRRD_L", t.rrd_l},
                            {"tCCD_S", t.ccd_s},
                            {"tCCD_L", t.ccd_l},
                            {"tFAW", t.faw},
                            {"tWTR_S", t.wtr_s},
                            {"tWTR_L", t.wtr_l},
                            {"tRTW", t.rtw},
                            {"tRTP", t.rtp},
                            {"tWR", t.wr},
                            {"tBURST", t.burst},
                            {"tREFI", t.refi},
                            {"tRFC", t.rfc}}) {
    if (k.v <= 0) {
      return "dram.timing." + std::string(k.key) + ": " + std::to_string(k.v) +
             " cycles; every timing is a positive number of DRAM clock cycles";
    }
  }
  if (t.rcd_wr < 0) return "dram.timing.tRCDWR: must be 0 (as tRCD) or positive";
  if (t.rc < t.ras + t.rp) {
    return "dram.timing.tRC: " + std::to_string(t.rc) +
           " cycles cannot be met: a bank's row cycle "
           "is at least tRAS + tRP = " +
           std::to_string(t.ras + t.rp);
  }
  if (t.ras < t.rcd) {
    return "dram.timing.tRAS: " + std::to_string(t.ras) +
           " cycles cannot be met: a row stays open at least tRCD = " + std::to_string(t.rcd);
  }
  if (t.ccd_s < t.burst) {
    return "dram.timing.tCCD_S: " + std::to_string(t.ccd_s) +
           " cycles cannot be met: column commands are at least a burst (tBURST = " +
           std::to_string(t.burst) + ") apart on one data bus";
  }
  if (t.ccd_l < t.ccd_s || t.rrd_l < t.rrd_s || t.wtr_l < t.wtr_s) {
    return "dram.timing: a same-bank-group timing (tCCD_L, tRRD_L, tWTR_L) is below its "
           "other-group one (_S); the _L figure is the longer";
  }
  if (t.refi <= t.rfc + t.rc) {
    return "dram.timing.tREFI: " + std::to_string(t.refi) +
           " cycles cannot be met: between refreshes the banks need more than tRFC + tRC = " +
           std::to_string(t.rfc + t.rc);
  }
  return "";
}

}  // namespace

std::string banked_dram_error(const BankedDramParams& p) {
  if (!(p.clock_mhz > 0)) return "dram.clock_mhz: must be positive";
  if (p.data_rate <= 0 || p.bus_bits <= 0 || p.bus_bits % 8 != 0 || p.burst_length <= 0) {
    return "dram.bus_bits / dram.burst_length / data rate: positive, the bus a whole number of "
           "bytes";
  }
  if (p.columns % p.burst_length != 0) {
    return "dram.columns: " + std::to_string(p.columns) +
           " is not a whole number of bursts (burst_length " + std::to_string(p.burst_length) + ")";
  }
  if (p.t.burst * p.data_rate != p.burst_length) {
    return "dram.timing.tBURST: " + std::to_string(p.t.burst) + " cycles does not carry " +
           std::to_string(p.burst_length) + " transfers at " + std::to_string(p.data_rate) +
           " a cycle";
  }
  for (const auto& f : mapping_fields()) {
    const auto n = std::count(p.mapping.order.begin(), p.mapping.order.end(), f);
    if (n != 1) {
      return "dram.address_mapping: names \"" + f + "\" " + std::to_string(n) +
             " times; it names each of row, rank, bank, bank_group, channel, column once";
    }
    const int64_t size = field_size(p, f);
    if (!power_of_two(size)) {
      return field_key(f) + ": " + std::to_string(f == "column" ? p.columns : size) +
             (f == "column" ? " columns make " + std::to_string(size) + " bursts a row, " : " ") +
             "not a power of two: address bits select it, and a mapping of other sizes loses "
             "address bits";
    }
  }
  // Bounded memory: every bank's state is held, and addresses fit well inside 64 bits.
  const int64_t banks = p.ranks * p.bank_groups * p.banks_per_group;
  if (banks > 4096 || p.channels * banks > 65536) {
    return "dram.banks_per_group: " + std::to_string(p.channels) + " channels x " +
           std::to_string(banks) +
           " banks each is more than strata simulates (at most 4,096 banks a channel and 65,536 "
           "in all)";
  }
  if (bits_of(p.channels) + bits_of(banks) + bits_of(p.rows) + bits_of(p.columns) +
          bits_of(p.bus_bits / 8) >
      48) {
    return "dram.rows: the device's capacity (channels x banks x rows x columns x bus width) is "
           "beyond 2^48 bytes";
  }
  if (p.mapping.order.size() != mapping_fields().size()) {
    return "dram.address_mapping: has " + std::to_string(p.mapping.order.size()) +
           " fields; it names each of row, rank, bank, bank_group, channel, column once";
  }
  const int64_t il = p.mapping.channel_interleave_bytes;
  if (il != 0 && (!power_of_two(il) || il < p.burst_bytes() || il > p.row_bytes())) {
    return "dram.channel_interleave_bytes: " + std::to_string(il) +
           " must be 0 (the mapping decides) or a power of two from one burst (" +
           std::to_string(p.burst_bytes()) + " B) to one row (" + std::to_string(p.row_bytes()) +
           " B)";
  }
  if (p.queue_depth <= 0) return "dram.queue_depth: must be positive";
  return timing_error(p.t);
}

DramDecodePlan::DramDecodePlan(const BankedDramParams& p) : burst_bytes_(p.burst_bytes()) {
  auto field_of = [](const std::string& f) {
    if (f == "column") return kColumn;
    if (f == "channel") return kChannel;
    if (f == "bank_group") return kBankGroup;
    if (f == "bank") return kBank;
    if (f == "rank") return kRank;
    return kRow;
  };
  if (p.mapping.channel_interleave_bytes <= 0) {
    for (const auto& f : p.mapping.order) {
      steps_.push_back({field_of(f), bits_of(field_size(p, f)), 0, 0});
    }
  } else {
    // The channel bits sit right above the lowest log2(interleave / burst) address bits of the
    // other fields, splitting the field that spans that point.
    int low = bits_of(p.mapping.channel_interleave_bytes / burst_bytes_);
    bool placed = false;
    for (const auto& f : p.mapping.order) {
      if (f == "channel") continue;
      const int bits = bits_of(field_size(p, f));
      if (!placed && low < bits) {
        if (low > 0) steps_.push_back({field_of(f), low, 0, 0});
        steps_.push_back({kChannel, bits_of(p.channels), 0, 0});
        steps_.push_back({field_of(f), bits - low, low, 0});
        placed = true;
        continue;
      }
      steps_.push_back({field_of(f), bits, 0, 0});
      if (!placed) low -= bits;
    }
    if (!placed) steps_.push_back({kChannel, bits_of(p.channels), 0, 0});
  }
  for (Step& s : steps_) s.mask = (uint64_t{1} << s.bits) - 1;
  if (!steps_.empty() && steps_.back().field == kRow) {
    int below = 0;
    for (size_t i = 0; i + 1 < steps_.size(); ++i) below += steps_[i].bits;
    row_span_bytes_ = burst_bytes_ << below;
  }
}

DramCoordinates DramDecodePlan::decode(int64_t address) const {
  uint64_t rest = static_cast<uint64_t>(address / burst_bytes_);
  int64_t f[6] = {0, 0, 0, 0, 0, 0};  // indexed by Field
  for (const Step& s : steps_) {
    f[s.field] |= static_cast<int64_t>(rest & s.mask) << s.shift;
    rest >>= s.bits;
  }
  // Address bits above the device's capacity are dropped: addresses beyond it wrap.
  DramCoordinates c;
  c.column = f[kColumn];
  c.channel = f[kChannel];
  c.bank_group = f[kBankGroup];
  c.bank = f[kBank];
  c.rank = f[kRank];
  c.row = f[kRow];
  return c;
}

DramDecodePlan::Cursor DramDecodePlan::cursor(int64_t address) const {
  Cursor c;
  uint64_t rest = static_cast<uint64_t>(address / burst_bytes_);
  for (size_t i = 0; i < steps_.size(); ++i) {
    c.digit[i] = rest & steps_[i].mask;
    rest >>= steps_[i].bits;
    c.field[steps_[i].field] |= static_cast<int64_t>(c.digit[i]) << steps_[i].shift;
  }
  c.at = {c.field[kChannel], c.field[kRank], c.field[kBankGroup],
          c.field[kBank],    c.field[kRow],  c.field[kColumn]};
  return c;
}

bool DramDecodePlan::advance(Cursor& c, int64_t bursts) const {
  uint64_t carry = static_cast<uint64_t>(bursts);
  size_t i = 0;
  for (; i < steps_.size() && carry > 0; ++i) {
    const Step& s = steps_[i];
    const uint64_t v = c.digit[i] + carry;
    c.digit[i] = v & s.mask;
    carry = v >> s.bits;
    int64_t& f = c.field[s.field];
    f = (f & ~static_cast<int64_t>(s.mask << s.shift)) |
        static_cast<int64_t>(c.digit[i] << s.shift);
  }
  c.at = {c.field[kChannel], c.field[kRank], c.field[kBankGroup],
          c.field[kBank],    c.field[kRow],  c.field[kColumn]};
  // The row's digit changed and every digit below it is 0.
  if (row_span_bytes_ == 0 || i < steps_.size()) return false;
  for (size_t j = 0; j + 1 < steps_.size(); ++j) {
    if (c.digit[j] != 0) return false;
  }
  return true;
}

DramCoordinates decode_address(const BankedDramParams& p, int64_t address) {
  return DramDecodePlan(p).decode(address);
}

}  // namespace strata
