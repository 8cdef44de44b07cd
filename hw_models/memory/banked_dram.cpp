#include "hw_models/memory/banked_dram.h"

#include <algorithm>
#include <array>
#include <climits>

namespace strata {
namespace {

constexpr int64_t kLongAgo = -(int64_t{1} << 40);

}  // namespace

BankedDram::BankedDram(const BankedDramParams& p)
    : p_(p), decode_(dram_decode_plan(p)), channels_(static_cast<size_t>(p.channels)) {
  for (auto& ch : channels_) {
    ch.banks.resize(static_cast<size_t>(p.banks()));
    ch.faw.assign(static_cast<size_t>(p.ranks), {kLongAgo, kLongAgo, kLongAgo, kLongAgo});
    ch.last_act.assign(static_cast<size_t>(p.ranks), kLongAgo);
    ch.last_act_group.assign(static_cast<size_t>(p.ranks * p.bank_groups), kLongAgo);
    ch.next_refresh = p.t.refi;
  }
  set_fast_forward(true);
  const DramTimingCycles& t = p.t;
  longest_constraint_ = t.rcd + t.rcd_wr + t.rp + t.cl + t.cwl + t.ras + t.rc + t.rrd_s + t.rrd_l +
                        t.ccd_s + t.ccd_l + t.faw + t.wtr_s + t.wtr_l + t.rtw + t.rtp + t.wr +
                        t.burst + t.rfc;
}

void BankedDram::set_fast_forward(bool on) {
  fast_forward_ = on;
  batching_ =
      on && p_.page == PagePolicy::kOpen && (p_.bank_groups == 1 || p_.t.ccd_s == p_.t.ccd_l);
}

int64_t BankedDram::bank_index(const DramCoordinates& c) const {
  return (c.rank * p_.bank_groups + c.bank_group) * p_.banks_per_group + c.bank;
}

namespace {

constexpr int64_t kStale = INT64_MIN;  // a time too old to bind anything
constexpr size_t kStatCount = 11;

std::array<int64_t*, kStatCount> stat_fields(BankedDramStats& s) {
  return {&s.reads,          &s.writes,      &s.row_hits,          &s.row_misses,
          &s.row_conflicts,  &s.activates,   &s.precharges,        &s.refreshes,
          &s.refresh_cycles, &s.data_cycles, &s.queue_delay_cycles};
}
// active_cycles is left out of the table above on purpose: it is compared and advanced with the
// others below (kept apart so the queue delay, the one that grows, stays last).

std::array<int64_t, kStatCount + 1> stat_values(BankedDramStats s) {
  std::array<int64_t, kStatCount + 1> v{};
  const auto f = stat_fields(s);
  for (size_t i = 0; i < kStatCount; ++i) v[i] = *f[i];
  v[kStatCount] = s.active_cycles;
  return v;
}

}  // namespace

std::vector<int64_t> BankedDram::relative_state(int64_t ref, int64_t stale,
                                                int64_t base_row) const {
  std::vector<int64_t> v;
  const auto time = [&](int64_t t) { v.push_back(t < stale ? kStale : t - ref); };
  for (const Channel& ch : channels_) {
    time(ch.last_col);
    time(ch.last_read_cmd);
    time(ch.last_write_data_end);
    time(ch.bus_free);
    time(ch.open_until);
    v.push_back(ch.last_col_group);
    v.push_back(ch.last_write_group);
    for (const auto& f : ch.faw) {
      for (int64_t t : f) time(t);
    }
    for (int64_t t : ch.last_act) time(t);
    for (int64_t t : ch.last_act_group) time(t);
    for (const Bank& b : ch.banks) {
      v.push_back(b.open_row < 0 ? kStale : b.open_row - base_row);
      time(b.act);
      time(b.act_ready);
      time(b.col_ready);
      time(b.pre_ready);
    }
    v.push_back(static_cast<int64_t>(ch.queue.size()));
    for (const Burst& q : ch.queue) {
      v.push_back(q.at.row - base_row);
      v.push_back(q.at.column);
      v.push_back(q.bank);
      v.push_back(q.write ? 1 : 0);
      v.push_back(q.count);
      time(q.arrival);
    }
  }
  return v;
}

void BankedDram::shift_state(int64_t periods, int64_t cycles, int64_t stale) {
  const int64_t dt = periods * cycles;
  const auto time = [&](int64_t& t) {
    if (t >= stale) t += dt;
  };
  for (Channel& ch : channels_) {
    time(ch.last_col);
    time(ch.last_read_cmd);
    time(ch.last_write_data_end);
    time(ch.bus_free);
    time(ch.open_until);
    for (auto& f : ch.faw) {
      for (int64_t& t : f) time(t);
    }
    for (int64_t& t : ch.last_act) time(t);
    for (int64_t& t : ch.last_act_group) time(t);
    for (Bank& b : ch.banks) {
      if (b.open_row >= 0) b.open_row += periods;
      time(b.act);
      time(b.act_ready);
      time(b.col_ready);
      time(b.pre_ready);
    }
    for (Burst& q : ch.queue) {
      q.at.row += periods;
      time(q.arrival);
    }
  }
}

int64_t BankedDram::access(int64_t at, int64_t address, int64_t bytes, bool write) {
  const int64_t burst = p_.burst_bytes();
  const int64_t first = address / burst * burst;
  const int64_t last = address + bytes;
  int64_t end = at;
  // The fast-forward's two previous row boundaries (docs/dram.md, "Speed").
  const int64_t span = fast_forward_ ? decode_.row_span_bytes() : 0;
  struct Mark {
    std::vector<int64_t> state;
    std::array<int64_t, kStatCount + 1> stats{};
    int64_t ref = 0;
  };
  std::vector<Mark> marks;
  DramDecodePlan::Cursor cursor = decode_.cursor(first);
  DramDecodePlan::Stripes st;
  const bool striped = batching_ && p_.channels > 1 && decode_.stripes(st);
  int64_t left = (last - first + burst - 1) / burst;  // bursts still to queue
  bool row_start = span > 0 && first % span == 0;
  for (int64_t a = first; left > 0;) {
    if (row_start && left * burst > 3 * span) {
      int64_t ref = kStale;
      for (const Channel& ch : channels_) ref = std::max(ref, ch.last_col);
      const int64_t stale = ref - longest_constraint_;
      const DramCoordinates& c = cursor.at;
      Mark m{relative_state(ref, stale, c.row), stat_values(stats_), ref};
      if (at < stale && marks.size() == 2 && m.state == marks[1].state &&
          marks[1].state == marks[0].state) {
        const int64_t period = m.ref - marks[1].ref;
        bool steady = period > 0 && period == marks[1].ref - marks[0].ref;
        for (size_t i = 0; steady && i < kStatCount; ++i) {  // all but the queue delay
          const size_t f = i == kStatCount - 1 ? kStatCount : i;
          steady = m.stats[f] - marks[1].stats[f] == marks[1].stats[f] - marks[0].stats[f];
        }
        int64_t next_refresh = INT64_MAX;
        for (const Channel& ch : channels_) next_refresh = std::min(next_refresh, ch.next_refresh);
        // Whole periods that end before the next refresh, the stream's end and the device's rows.
        int64_t k =
            std::min({left * burst / span - 2, p_.rows - 2 - c.row,
                      steady ? (next_refresh - ref - longest_constraint_) / period - 2 : 0});
        if (steady && k > 0) {
          const int64_t bursts = span / burst;
          const auto last_period = [&](size_t f) { return m.stats[f] - marks[1].stats[f]; };
          auto fields = stat_fields(stats_);
          for (size_t f = 0; f + 1 < kStatCount; ++f) *fields[f] += k * last_period(f);
          stats_.active_cycles += k * last_period(kStatCount);
          // Each period's bursts wait one period longer than the last's.
          stats_.queue_delay_cycles +=
              k * last_period(kStatCount - 1) + period * bursts * (k * (k + 1) / 2);
          shift_state(k, period, stale);
          for (const Channel& ch : channels_) end = std::max(end, ch.bus_free);
          a += k * span;
          left -= k * bursts;
          cursor = decode_.cursor(a);
          marks.clear();
          continue;  // at a row start again, k rows on
        }
      }
      if (marks.size() == 2) marks.erase(marks.begin());
      marks.push_back(std::move(m));
    }
    if (striped) {
      // Up to the end of this row of every channel: each channel's share is one run of columns,
      // queued at once (channels' queues are independent, and a run's bursts go in order).
      const int64_t block = int64_t{1} << (st.low + st.channel);
      const int64_t pos0 = static_cast<int64_t>(cursor.digit[2]) * block +
                           static_cast<int64_t>(cursor.digit[1] << st.low) +
                           static_cast<int64_t>(cursor.digit[0]);
      const int64_t n = std::min(left, (int64_t{1} << (st.low + st.channel + st.high)) - pos0);
      const auto column_at = [&](int64_t pos, int64_t channel) {
        const int64_t stripe = pos / block, in = pos % block, from = channel << st.low;
        const int64_t width = int64_t{1} << st.low;
        return stripe * width + std::clamp<int64_t>(in - from, 0, width);
      };
      for (int64_t channel = 0; channel < p_.channels; ++channel) {
        const int64_t col0 = column_at(pos0, channel), col1 = column_at(pos0 + n, channel);
        if (col1 <= col0) continue;
        DramCoordinates c = cursor.at;
        c.channel = channel;
        c.column = col0;
        end = std::max(
            end, queue_run(channels_[static_cast<size_t>(channel)], c, col1 - col0, write, at));
      }
      row_start = decode_.advance(cursor, n) && span > 0;
      a += n * burst;
      left -= n;
      continue;
    }
    const DramCoordinates c = cursor.at;
    Channel& ch = channels_[static_cast<size_t>(c.channel)];
    const int64_t count = batching_ ? std::min(decode_.column_run(cursor), left) : 1;
    row_start = decode_.advance(cursor, count) && span > 0;
    end = std::max(end, queue_run(ch, c, count, write, at));
    a += count * burst;
    left -= count;
  }
  for (auto& ch : channels_) {
    while (!ch.queue.empty()) end = std::max(end, serve_one(ch));
  }
  return end;
}

int64_t BankedDram::queue_run(Channel& ch, const DramCoordinates& c, int64_t count, bool write,
                              int64_t at) {
  const int64_t bank = bank_index(c);
  Burst* tail = ch.queue.empty() ? nullptr : &ch.queue.back();
  if (batching_ && tail && tail->at.row == c.row && tail->bank == bank &&
      tail->at.column + tail->count == c.column && tail->write == write && tail->arrival == at) {
    tail->count += count;  // the same row's next columns: one run
  } else {
    ch.queue.push_back({c, write, at, bank, c.rank * p_.bank_groups + c.bank_group, count});
  }
  ch.queued_bursts += count;
  int64_t end = at;
  while (ch.queued_bursts > p_.queue_depth) end = std::max(end, serve_one(ch));
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

void BankedDram::idle_until(int64_t t) {
  for (auto& ch : channels_) refresh_until(ch, t);
}

int64_t BankedDram::column_ready(const Channel& ch, const Burst& b, bool spacing) const {
  const Bank& bank = ch.banks[static_cast<size_t>(b.bank)];
  const int64_t group = b.group;
  int64_t t = spacing ? std::max(b.arrival, ch.last_col + (group == ch.last_col_group ? p_.t.ccd_l
                                                                                      : p_.t.ccd_s))
                      : b.arrival;
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
  // No burst's column command can go before the channel's own spacing allows: when the oldest
  // meets that bound it is the pick, with no scan (a stream's steady state).
  const int64_t bound =
      std::max(ch.last_col + p_.t.ccd_s,
               std::min(ch.last_read_cmd + p_.t.rtw, ch.last_write_data_end + p_.t.wtr_s));
  for (auto it = std::next(ch.queue.begin()); best > bound && it != ch.queue.end(); ++it) {
    const int64_t ready = column_ready(ch, *it);
    if (ready < best) {
      best = ready;
      pick = it;
    }
  }
  if (pick->count == 1) {
    const Burst b = *pick;
    if (pick == ch.queue.begin()) {
      ch.queue.pop_front();  // the steady state: no reordering
    } else {
      ch.queue.erase(pick);
    }
    --ch.queued_bursts;
    return serve(ch, b);
  }
  // A run: its next burst, then as many of the rest as go back to back.
  int64_t end = serve(ch, *pick);
  --ch.queued_bursts;
  --pick->count;
  ++pick->at.column;
  const int64_t before = pick->count;
  end = serve_run_hits(ch, *pick, end);
  ch.queued_bursts -= before - pick->count;
  if (pick->count == 0) {
    if (pick == ch.queue.begin()) {
      ch.queue.pop_front();
    } else {
      ch.queue.erase(pick);
    }
  }
  return end;
}

int64_t BankedDram::serve_run_hits(Channel& ch, Burst& run, int64_t end) {
  Bank& bank = ch.banks[static_cast<size_t>(run.bank)];
  if (bank.open_row != run.at.row) return end;
  const DramTimingCycles& t = p_.t;
  const int64_t step = std::max(t.ccd_l, t.burst);
  // A hit on the run's bank after its own last burst: nothing but the spacing binds it.
  const int64_t first = ch.last_col + step;
  int64_t limit = ch.next_refresh - 1;  // no refresh may fall due before a burst
  // Every other burst waits the same spacing after the run's last (one bank group's, or the
  // standard has one tCCD), so a younger one never goes first; an older one does once its own
  // bank is ready by a run burst's time (first come on the tie).
  for (const Burst& q : ch.queue) {
    if (&q == &run) break;
    limit = std::min(limit, column_ready(ch, q, false) - 1);
  }
  if (first > limit || run.arrival > first) return end;
  const int64_t n = std::min(run.count, (limit - first) / step + 1);
  const int64_t last = first + (n - 1) * step;
  const int64_t latency = run.write ? t.cwl : t.cl;
  const int64_t data_end = last + latency + t.burst;
  stats_.row_hits += n;
  stats_.data_cycles += n * t.burst;
  stats_.queue_delay_cycles += n * (first - run.arrival) + step * (n * (n - 1) / 2);
  if (run.write) {
    stats_.writes += n;
    ch.last_write_data_end = data_end;
    ch.last_write_group = run.group;
    bank.pre_ready = std::max(bank.pre_ready, data_end + t.wr);
  } else {
    stats_.reads += n;
    ch.last_read_cmd = last;
    bank.pre_ready = std::max(bank.pre_ready, last + t.rtp);
  }
  ch.last_col = last;
  ch.last_col_group = run.group;
  ch.bus_free = data_end;
  run.count -= n;
  run.at.column += n;
  return std::max(end, data_end);
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
  if (ch.next_refresh <= std::max(b.arrival, ch.last_col)) {
    refresh_until(ch, std::max(b.arrival, ch.last_col));
  }
  Bank& bank = ch.banks[static_cast<size_t>(b.bank)];
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
