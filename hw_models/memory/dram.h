#pragma once
// DRAM as a loosely timed TLM target: one channel whose data bus serializes reads and writes.
// Each Dram is one initiator's port: it counts that initiator's traffic, and its channel is its
// own or one several ports share (a multi-engine SoC's DRAM, dram_timing.h).
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <systemc>
#include <tlm>

#include "hw_models/common/stats.h"
#include "hw_models/memory/dram_timing.h"

namespace strata {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> target;

  // `shared` (optional, outliving this): the channel several ports contend on; else its own.
  Dram(sc_core::sc_module_name name, const DramParams& params, DramChannel* shared = nullptr);
  const DramParams& params() const { return params_; }
  int initiator() const { return initiator_; }  // its id on its channel

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const DramParams params_;
  DramChannel own_channel_;
  DramChannel& channel_;
  int initiator_ = 0;
  StatGroup stats_;
  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& read_bursts_;
  Counter& write_bursts_;
  Counter& busy_ps_;
  // A banked DRAM's counters for this port's requests (dram.model = "banked" only, so a simple
  // DRAM's stats are as they were): the channel's counters' change over each request.
  struct BankedCounters {
    Counter *row_hits, *row_misses, *row_conflicts, *activates, *precharges, *refreshes;
    Counter *refresh_cycles, *queue_delay_cycles, *active_cycles, *data_cycles;
  };
  std::unique_ptr<BankedCounters> banked_;
};

}  // namespace strata
