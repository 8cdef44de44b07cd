#pragma once
// A banked DRAM channel's timing (issue 31, docs/dram.md once it is wired): ranks, bank groups,
// banks, rows and columns; an address mapping; open- or closed-page policy; a controller that
// serves bursts first-ready first-come-first-served (within its queue, the burst whose column
// command can go first: a row hit before an older miss, another bank group before tCCD_L) under
// the standard's timing constraints, with all-bank refresh. Pure C++: times are in
// the DRAM's clock cycles (tCK); the SoC's DRAM module converts.
//
// What each command waits for (cycles):
//   ACT  : the bank precharged (tRP after its PRE), tRC after the bank's last ACT, tRRD_S / tRRD_L
//          after the rank's last ACT (another / the same bank group), at most four ACTs in any
//          tFAW window;
//   RD/WR: tRCD after the bank's ACT, tCCD_S / tCCD_L after the last column command, a write
//          tRTW after a read, a read tWTR_S / tWTR_L after a write's data (WL + tBURST after the
//          write);
//          its data takes the bus tCL (reads) or tCWL (writes) after the command, for tBURST;
//   PRE  : tRAS after the ACT, tRTP after a read, tWR after a write's data;
//   REF  : every tREFI, all banks precharged, then none is usable for tRFC.
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "hw_models/memory/banked_dram_params.h"

namespace strata {

struct BankedDramStats {
  int64_t reads = 0, writes = 0;  // bursts
  int64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  int64_t activates = 0, precharges = 0, refreshes = 0;
  int64_t refresh_cycles = 0;      // cycles the banks were refreshing
  int64_t data_cycles = 0;         // cycles the data bus carried data
  int64_t queue_delay_cycles = 0;  // bursts' waits between arrival and their column command
  int64_t active_cycles = 0;       // cycles some bank had a row open (closed rows so far)
};

class BankedDram {
 public:
  explicit BankedDram(const BankedDramParams& p);
  const BankedDramParams& params() const { return p_; }
  // `bytes` from `address` on (whole bursts), arriving at cycle `at`; returns the cycle its last
  // data has moved.
  int64_t access(int64_t at, int64_t address, int64_t bytes, bool write);
  // Nothing asked until cycle `t`: the refreshes due by then happen.
  void idle_until(int64_t t);
  // Cycles some bank had a row open, up to cycle `t` (rows still open count until then).
  int64_t active_cycles(int64_t t) const;
  const BankedDramStats& stats() const { return stats_; }
  // Off: every burst simulated (the fast-forward's check; the results are the same).
  void set_fast_forward(bool on);

 private:
  struct Bank {
    int64_t open_row = -1;
    int64_t act = -(int64_t{1} << 40);  // its last ACT
    int64_t act_ready = 0;              // earliest next ACT (precharged, tRC)
    int64_t col_ready = 0;              // earliest column command (tRCD)
    int64_t pre_ready = 0;              // earliest PRE (tRAS, tRTP, tWR)
  };
  struct Burst {
    DramCoordinates at;
    bool write = false;
    int64_t arrival = 0;
    int64_t bank = 0;   // bank_index(at)
    int64_t group = 0;  // rank * bank_groups + bank_group
    // Consecutive bursts of one row from `at.column` on (a run; batching_, below): the entry
    // stands for them all, and `at` for the next to serve.
    int64_t count = 1;
  };
  struct Channel {
    std::vector<Bank> banks;
    std::vector<std::array<int64_t, 4>> faw;  // per rank: its last four ACTs
    std::vector<int64_t> last_act;            // per rank
    std::vector<int64_t> last_act_group;      // per rank and bank group
    int64_t last_col = -(int64_t{1} << 40);
    int64_t last_col_group = -1;  // the bank group of the last column command (rank * groups)
    int64_t last_read_cmd = -(int64_t{1} << 40);
    int64_t last_write_data_end = -(int64_t{1} << 40);
    int64_t last_write_group = -1;
    int64_t bus_free = 0;
    int64_t next_refresh = 0;
    int64_t open_until = 0;  // the end of the open-row time counted so far
    std::deque<Burst> queue;
    int64_t queued_bursts = 0;  // the queue's entries' counts summed
  };

  int64_t bank_index(const DramCoordinates& c) const;
  // Fast-forward of a long sequential stream (docs/dram.md, "Speed"): at each row boundary the
  // state relative to the latest column command (times older than `stale` cannot bind any future
  // command and are left out; rows relative to the stream's); two equal in a row with equal
  // counter changes are a steady state, which k more periods shift by k x its period.
  std::vector<int64_t> relative_state(int64_t ref, int64_t stale, int64_t base_row) const;
  void shift_state(int64_t periods, int64_t cycles, int64_t stale);
  // The earliest its column command could go, by the bank's and the channel's state now;
  // `spacing` false leaves out the channel's spacing after the last column command.
  int64_t column_ready(const Channel& ch, const Burst& b, bool spacing = true) const;
  // After a run's burst is served: its next bursts, row hits on one bank group's bus, go back to
  // back (every tCCD_L, or a burst apart) while no other queued burst could go first; served in
  // closed form. Returns the last one's data end (or `end` if none went).
  int64_t serve_run_hits(Channel& ch, Burst& run, int64_t end);
  // Queues `count` bursts of one row from `c` on (one run, joined to the queue's last if that
  // ends where it starts) and serves while the queue holds more than its depth; returns the
  // latest data end served (or `at`).
  int64_t queue_run(Channel& ch, const DramCoordinates& c, int64_t count, bool write, int64_t at);
  // Serves the burst whose column command can go first (the oldest of those); returns its data
  // end.
  int64_t serve_one(Channel& ch);
  int64_t serve(Channel& ch, const Burst& b);
  void refresh_until(Channel& ch, int64_t t);
  int64_t activate(Channel& ch, Bank& bank, const DramCoordinates& c, int64_t t);
  // Counts the bank's open row, from its ACT to `at`, into the channel's open time.
  void close_row(Channel& ch, Bank& bank, int64_t at);

  BankedDramParams p_;
  DramDecodePlan decode_;
  int64_t longest_constraint_ = 0;  // the sum of every timing constant but tREFI
  bool fast_forward_ = true;
  // Runs of one row's bursts as one queue entry: exact where no other burst can go between two
  // of a run's (one bank group, or tCCD_S = tCCD_L, and open pages); else every burst its own.
  bool batching_ = false;
  std::vector<Channel> channels_;
  BankedDramStats stats_;
};

}  // namespace strata
