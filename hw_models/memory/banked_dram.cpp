#include "hw_models/memory/banked_dram.h"

#include <algorithm>

namespace strata {
namespace {

bool power_of_two(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

int bits_of(int64_t v) {
  int b = 0;
  while ((int64_t{1} << b) < v) ++b;
  return b;
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

constexpr int64_t kLongAgo = -(int64_t{1} << 40);

}  // namespace

BankedDramParams lpddr4_3200() {
  // JEDEC LPDDR4-3200, 8 Gb die, x16 channel, as DRAMSys's memspec JEDEC_8Gb_LPDDR4-3200_16bit
  // gives it (docs/references.md, DRAM): 1600 MHz, BL16, 8 banks of 65,536 rows x 1,024 columns.
  BankedDramParams p;
  p.clock_mhz = 1600;
  p.data_rate = 2;
  p.bus_bits = 16;
  p.burst_length = 16;
  p.channels = 1;
  p.ranks = 1;
  p.bank_groups = 1;
  p.banks_per_group = 8;
  p.rows = 65536;
  p.columns = 1024;
  DramTimingCycles& t = p.t;
  t.rcd = 29;
  t.rp = 29;   // per-bank precharge (tRPpb)
  t.cl = 28;   // RL
  t.cwl = 14;  // WL
  t.ras = 68;
  t.rc = 97;  // tRCpb = tRAS + tRPpb
  t.rrd_s = t.rrd_l = 16;
  t.ccd_s = t.ccd_l = 8;
  t.faw = 64;
  t.wtr_s = t.wtr_l = 16;
  // Read to write: RL + tDQSCK + BL/2 - WL + tWPRE + tRPST = 28 + 6 + 8 - 14 + 2 + 0.
  t.rtw = 30;
  t.rtp = 12;
  t.wr = 29;
  t.burst = 8;  // BL16 at two transfers a clock
  t.refi = 6246;
  t.rfc = 448;  // all-bank (tRFCab)
  return p;
}

std::string banked_dram_error(const BankedDramParams& p) {
  const std::vector<std::string> fields = {"column", "channel", "bank_group",
                                           "bank",   "rank",    "row"};
  for (const auto& f : fields) {
    const auto n = std::count(p.mapping.order.begin(), p.mapping.order.end(), f);
    if (n != 1) {
      return "address mapping names \"" + f + "\" " + std::to_string(n) +
             " times; it names each of column, channel, bank_group, bank, rank, row once";
    }
    if (!power_of_two(field_size(p, f))) {
      return f + " count " + std::to_string(field_size(p, f)) +
             " is not a power of two (address bits select it)";
    }
  }
  if (p.mapping.order.size() != fields.size()) {
    return "address mapping has " + std::to_string(p.mapping.order.size()) +
           " fields; it names each of column, channel, bank_group, bank, rank, row once";
  }
  if (p.t.burst <= 0 || p.t.refi <= p.t.rfc) {
    return "timing: tBURST must be positive and tREFI longer than tRFC";
  }
  return "";
}

DramCoordinates decode_address(const BankedDramParams& p, int64_t address) {
  int64_t rest = address / p.burst_bytes();
  DramCoordinates c;
  for (const auto& f : p.mapping.order) {
    const int64_t n = field_size(p, f);
    const int64_t v = rest & (n - 1);
    rest >>= bits_of(n);
    if (f == "column") c.column = v;
    if (f == "channel") c.channel = v;
    if (f == "bank_group") c.bank_group = v;
    if (f == "bank") c.bank = v;
    if (f == "rank") c.rank = v;
    if (f == "row") c.row = v;
  }
  c.row %= p.rows;  // addresses beyond the device wrap
  return c;
}

BankedDram::BankedDram(const BankedDramParams& p)
    : p_(p), channels_(static_cast<size_t>(p.channels)) {
  for (auto& ch : channels_) {
    ch.banks.resize(static_cast<size_t>(p.banks()));
    ch.faw.assign(static_cast<size_t>(p.ranks), {kLongAgo, kLongAgo, kLongAgo, kLongAgo});
    ch.last_act.assign(static_cast<size_t>(p.ranks), kLongAgo);
    ch.last_act_group.assign(static_cast<size_t>(p.ranks * p.bank_groups), kLongAgo);
    ch.next_refresh = p.t.refi;
  }
}

int64_t BankedDram::bank_index(const DramCoordinates& c) const {
  return (c.rank * p_.bank_groups + c.bank_group) * p_.banks_per_group + c.bank;
}

int64_t BankedDram::access(int64_t at, int64_t address, int64_t bytes, bool write) {
  const int64_t burst = p_.burst_bytes();
  const int64_t first = address / burst * burst;
  int64_t end = at;
  for (int64_t a = first; a < address + bytes; a += burst) {
    const DramCoordinates c = decode_address(p_, a);
    Channel& ch = channels_[static_cast<size_t>(c.channel)];
    ch.queue.push_back({c, write, at});
    if (static_cast<int64_t>(ch.queue.size()) > p_.queue_depth) end = std::max(end, serve_one(ch));
  }
  for (auto& ch : channels_) {
    while (!ch.queue.empty()) end = std::max(end, serve_one(ch));
  }
  return end;
}

void BankedDram::close_row(Channel& ch, Bank& bank, int64_t at) {
  // Rows open and close in nearly increasing time: the union of their open spans, counted once.
  const int64_t from = std::max(bank.act, ch.open_until);
  if (at > from) stats_.active_cycles += at - from;
  ch.open_until = std::max(ch.open_until, at);
}

int64_t BankedDram::active_cycles(int64_t t) const {
  int64_t total = stats_.active_cycles;
  for (const Channel& ch : channels_) {
    int64_t first_open = t;
    for (const Bank& b : ch.banks) {
      if (b.open_row >= 0) first_open = std::min(first_open, b.act);
    }
    const int64_t from = std::max(first_open, ch.open_until);
    if (t > from) total += t - from;
  }
  return total;
}

DramCurrents lpddr4_3200_currents() {
  // DRAMSys's memspec JEDEC_8Gb_LPDDR4-3200_16bit (docs/references.md, DRAM): VDD1 and VDD2.
  DramCurrents c;
  c.supplies = {{1.8, 3.5, 2.0, 2.25, 2.25, 2.25, 2.5},
                {1.1, 45.0, 27.0, 30.0, 275.0, 210.0, 30.0}};
  return c;
}

DramEnergyPj dram_energy(const BankedDramParams& p, const DramCurrents& c, const BankedDramStats& s,
                         int64_t elapsed_cycles, int64_t active_cycles) {
  const double tck_ns = 1000.0 / p.clock_mhz;  // mA x V x ns = pJ
  const double devices = static_cast<double>(c.devices_per_channel);
  const DramTimingCycles& t = p.t;
  DramEnergyPj e;
  for (const DramSupply& v : c.supplies) {
    const double k = v.volts * tck_ns * devices;
    e.activate += static_cast<double>(s.activates) * k *
                  (v.idd0 * t.rc - (v.idd3n * t.ras + v.idd2n * (t.rc - t.ras)));
    e.read += static_cast<double>(s.reads) * k * (v.idd4r - v.idd3n) * t.burst;
    e.write += static_cast<double>(s.writes) * k * (v.idd4w - v.idd3n) * t.burst;
    e.refresh += static_cast<double>(s.refreshes) * k * (v.idd5ab - v.idd3n) * t.rfc;
    e.active_standby += static_cast<double>(active_cycles) * k * v.idd3n;
    const int64_t precharged = p.channels * elapsed_cycles - active_cycles;
    e.precharged_standby += static_cast<double>(std::max<int64_t>(0, precharged)) * k * v.idd2n;
  }
  return e;
}

void BankedDram::idle_until(int64_t t) {
  for (auto& ch : channels_) refresh_until(ch, t);
}

int64_t BankedDram::column_ready(const Channel& ch, const Burst& b) const {
  const Bank& bank = ch.banks[static_cast<size_t>(bank_index(b.at))];
  const int64_t group = b.at.rank * p_.bank_groups + b.at.bank_group;
  int64_t t =
      std::max(b.arrival, ch.last_col + (group == ch.last_col_group ? p_.t.ccd_l : p_.t.ccd_s));
  if (bank.open_row == b.at.row) {
    t = std::max(t, b.write && p_.t.rcd_wr > 0 ? bank.act + p_.t.rcd_wr : bank.col_ready);
  } else {
    // A miss or a conflict first opens the row: tRCD after its earliest ACT.
    const int64_t pre = bank.open_row >= 0 ? std::max(b.arrival, bank.pre_ready) + p_.t.rp : 0;
    t = std::max(t, std::max(bank.act_ready, pre) + p_.t.rcd);
  }
  return b.write ? std::max(t, ch.last_read_cmd + p_.t.rtw)
                 : std::max(t, ch.last_write_data_end +
                                   (group == ch.last_write_group ? p_.t.wtr_l : p_.t.wtr_s));
}

int64_t BankedDram::serve_one(Channel& ch) {
  // First ready, first come: the burst whose column command can go first; the oldest of those.
  auto pick = ch.queue.begin();
  int64_t best = column_ready(ch, *pick);
  for (auto it = std::next(ch.queue.begin()); it != ch.queue.end(); ++it) {
    const int64_t ready = column_ready(ch, *it);
    if (ready < best) {
      best = ready;
      pick = it;
    }
  }
  const Burst b = *pick;
  ch.queue.erase(pick);
  return serve(ch, b);
}

void BankedDram::refresh_until(Channel& ch, int64_t t) {
  while (ch.next_refresh <= t) {
    // Every bank precharged (after what it is doing), then the refresh.
    int64_t start = std::max(ch.next_refresh, ch.last_col);
    bool open = false;
    for (const Bank& b : ch.banks) {
      if (b.open_row >= 0) {
        open = true;
        start = std::max(start, b.pre_ready);
      }
    }
    if (open) {
      start += p_.t.rp;
      ++stats_.precharges;
    }
    const int64_t end = start + p_.t.rfc;
    for (Bank& b : ch.banks) {
      if (b.open_row >= 0) close_row(ch, b, start - (open ? p_.t.rp : 0));
      b.open_row = -1;
      b.act_ready = std::max(b.act_ready, end);
    }
    ++stats_.refreshes;
    stats_.refresh_cycles += p_.t.rfc;
    ch.next_refresh += p_.t.refi;
  }
}

int64_t BankedDram::activate(Channel& ch, Bank& bank, const DramCoordinates& c, int64_t t) {
  const size_t rank = static_cast<size_t>(c.rank);
  const size_t group = static_cast<size_t>(c.rank * p_.bank_groups + c.bank_group);
  std::array<int64_t, 4>& faw = ch.faw[rank];
  const int64_t act = std::max({t, bank.act_ready, ch.last_act[rank] + p_.t.rrd_s,
                                ch.last_act_group[group] + p_.t.rrd_l, faw[0] + p_.t.faw});
  std::rotate(faw.begin(), faw.begin() + 1, faw.end());
  faw[3] = act;
  ch.last_act[rank] = act;
  ch.last_act_group[group] = act;
  bank.act = act;
  bank.col_ready = act + p_.t.rcd;
  bank.pre_ready = act + p_.t.ras;
  bank.act_ready = act + p_.t.rc;
  ++stats_.activates;
  return act;
}

int64_t BankedDram::serve(Channel& ch, const Burst& b) {
  refresh_until(ch, std::max(b.arrival, ch.last_col));
  Bank& bank = ch.banks[static_cast<size_t>(bank_index(b.at))];
  const int64_t t = b.arrival;
  if (bank.open_row == b.at.row) {
    ++stats_.row_hits;
  } else {
    if (bank.open_row >= 0) {
      ++stats_.row_conflicts;
      const int64_t pre = std::max(t, bank.pre_ready);
      close_row(ch, bank, pre);
      bank.act_ready = std::max(bank.act_ready, pre + p_.t.rp);
      ++stats_.precharges;
    } else {
      ++stats_.row_misses;
    }
    activate(ch, bank, b.at, t);
    bank.open_row = b.at.row;
  }
  const int64_t group = b.at.rank * p_.bank_groups + b.at.bank_group;
  // A write may follow its ACT sooner or later than a read (tRCDWR where the standard has one).
  const int64_t col_ready = b.write && p_.t.rcd_wr > 0 ? bank.act + p_.t.rcd_wr : bank.col_ready;
  int64_t col = std::max(
      {t, col_ready, ch.last_col + (group == ch.last_col_group ? p_.t.ccd_l : p_.t.ccd_s)});
  col = b.write ? std::max(col, ch.last_read_cmd + p_.t.rtw)
                : std::max(col, ch.last_write_data_end +
                                    (group == ch.last_write_group ? p_.t.wtr_l : p_.t.wtr_s));
  const int64_t latency = b.write ? p_.t.cwl : p_.t.cl;
  col = std::max(col, ch.bus_free - latency);  // data in order on the bus
  const int64_t data_end = col + latency + p_.t.burst;
  ch.bus_free = data_end;
  ch.last_col = col;
  ch.last_col_group = group;
  if (b.write) {
    ch.last_write_data_end = data_end;
    ch.last_write_group = group;
    bank.pre_ready = std::max(bank.pre_ready, data_end + p_.t.wr);
    ++stats_.writes;
  } else {
    ch.last_read_cmd = col;
    bank.pre_ready = std::max(bank.pre_ready, col + p_.t.rtp);
    ++stats_.reads;
  }
  if (p_.page == PagePolicy::kClosed) {
    // Auto-precharge once the bank may close.
    bank.act_ready = std::max(bank.act_ready, bank.pre_ready + p_.t.rp);
    close_row(ch, bank, bank.pre_ready);
    bank.open_row = -1;
    ++stats_.precharges;
  }
  stats_.data_cycles += p_.t.burst;
  stats_.queue_delay_cycles += col - b.arrival;
  return data_end;
}

}  // namespace strata
