#pragma once
// DRAM channel timing: one data bus shared by reads and writes, a fixed access latency that
// overlaps with other requests' data transfer, and transfers rounded up to whole bursts.
//
// Several initiators may share the channel (a multi-engine SoC's engines, its host CPU, sensor
// DMA). Each initiator's requests keep their own order on the bus; between initiators the bus is
// a calendar: a request takes the earliest free bus time at or after it is made, filling the gaps
// between other initiators' transfers (burst by burst) until its data is through. Initiators that
// run ahead of the SystemC kernel (temporal decoupling) therefore share the bandwidth instead of
// queueing behind each other's future, and a lone initiator sees exactly a FIFO bus.
//
// A banked DRAM (dram.model = "banked") replaces the bus and the fixed latency with the banked
// channels' controllers (banked_dram.h): a request's bursts go to the banks its address selects,
// and take as long as the standard's timing, the rows open and refresh make them. Requests are
// served in the order they are made; one made for an earlier time than the controllers have
// reached waits behind what they have served (no calendar).
#include <cstdint>
#include <memory>
#include <vector>

#include "hw_models/memory/banked_dram.h"
#include "hw_models/memory/memory_params.h"

namespace strata {

int64_t burst_rounded_bytes(int64_t bytes, int64_t burst_bytes);

class DramChannel {
 public:
  explicit DramChannel(const DramParams& p);
  const DramParams& params() const { return p_; }
  // A new initiator's id (the first is 0, which exists from construction).
  int add_initiator();
  // A request of `initiator` made at `request_ps` finishes at the returned time (picoseconds).
  // `now_ps` (<= request_ps) is the kernel's time: no later request can be placed before it, so
  // the calendar forgets what ended by then.
  // `address` and `write` matter to a banked DRAM only.
  int64_t access(int64_t request_ps, int64_t bytes, int initiator = 0, int64_t now_ps = 0,
                 uint64_t address = 0, bool write = false);
  int64_t transfer_ps(int64_t bytes) const;
  // Picoseconds the bus has been transferring data, all initiators together.
  int64_t busy_ps() const { return busy_ps_; }
  // The banked DRAM's counters so far (null for the simple model).
  const BankedDramStats* banked_stats() const { return banked_ ? &banked_->stats() : nullptr; }
  // Where a request's address lands in a banked device: initiators keep their streams in regions
  // 2^40 bytes apart (the DMA's operands, ...); each region gets a quarter of the device, each
  // initiator an equal slice of it.
  uint64_t device_address(uint64_t address, int initiator) const;

  // Bytes each initiator moved (its port counts them as it serves them).
  struct Traffic {
    int64_t read_bytes = 0, write_bytes = 0;
  };
  void count(int initiator, bool write, int64_t bytes);
  const Traffic& traffic(int initiator) const {
    return traffic_.at(static_cast<size_t>(initiator));
  }
  Traffic total_traffic() const;  // all initiators together

 private:
  // Reserves `duration` ps of bus time from `from` on, in the calendar's gaps; returns the end.
  int64_t reserve(int64_t from, int64_t duration);

  DramParams p_;
  int64_t latency_ps_;
  std::vector<int64_t> initiator_free_ps_;  // when each initiator's last transfer ends
  std::vector<Traffic> traffic_;            // per initiator
  // Disjoint bus reservations [start, end), sorted; those before head_ have ended (kept until
  // compaction so forgetting them is cheap).
  std::vector<std::pair<int64_t, int64_t>> busy_;
  size_t head_ = 0;
  int64_t busy_ps_ = 0;
  std::unique_ptr<BankedDram> banked_;
  double tck_ps_ = 0;
};

}  // namespace strata
