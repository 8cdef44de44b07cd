#include "hw_models/memory/dram.h"

#include <cmath>

namespace strata {

Dram::Dram(sc_core::sc_module_name name, const DramParams& params, DramChannel* shared)
    : sc_module(name),
      target("target"),
      params_(params),
      own_channel_(params),
      channel_(shared ? *shared : own_channel_),
      initiator_(shared ? shared->add_initiator() : 0),
      read_bytes_(stats_.counter("read_bytes", "B", "bytes read from DRAM")),
      write_bytes_(stats_.counter("write_bytes", "B", "bytes written to DRAM")),
      read_bursts_(stats_.counter("read_bursts", "bursts", "read bursts (burst_bytes each)")),
      write_bursts_(stats_.counter("write_bursts", "bursts", "write bursts (burst_bytes each)")),
      busy_ps_(stats_.counter("busy_ps", "ps", "time the data bus was transferring")) {
  target.register_b_transport(this, &Dram::b_transport);
  if (params.is_banked()) {
    const char* cycles = "dram_cycles";
    banked_ = std::make_unique<BankedCounters>(BankedCounters{
        &stats_.counter("row_hits", "bursts", "bursts whose row was open (banked DRAM)"),
        &stats_.counter("row_misses", "bursts", "bursts that opened a row in a closed bank"),
        &stats_.counter("row_conflicts", "bursts",
                        "bursts that closed another row of their bank first"),
        &stats_.counter("activates", "commands", "ACT commands"),
        &stats_.counter("precharges", "commands", "PRE commands (and auto-precharges)"),
        &stats_.counter("refreshes", "commands", "all-bank REF commands, every channel"),
        &stats_.counter("refresh_cycles", cycles, "DRAM cycles the banks were refreshing"),
        &stats_.counter("queue_delay_cycles", cycles,
                        "bursts' waits from arrival to their column command, summed"),
        &stats_.counter("active_cycles", cycles,
                        "DRAM cycles some bank of a channel had a row open"),
        &stats_.counter("data_cycles", cycles, "DRAM cycles the data buses carried data"),
    });
  }
}

void Dram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const int64_t bytes = trans.get_data_length();
  const int64_t burst_bytes =
      params_.is_banked() ? params_.banked.params.burst_bytes() : params_.burst_bytes;
  const int64_t bursts = burst_rounded_bytes(bytes, burst_bytes) / burst_bytes;
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  (write ? write_bytes_ : read_bytes_).add(bytes);
  channel_.count(initiator_, write, bytes);
  (write ? write_bursts_ : read_bursts_).add(bursts);
  // Loosely timed: the request happens at now + delay; annotate until its last data.
  const int64_t request_ps =
      static_cast<int64_t>((sc_core::sc_time_stamp() + delay).to_seconds() * 1e12 + 0.5);
  const int64_t now_ps = static_cast<int64_t>(sc_core::sc_time_stamp().to_seconds() * 1e12 + 0.5);
  const BankedDramStats* banked = channel_.banked_stats();
  const BankedDramStats before = banked ? *banked : BankedDramStats{};
  const int64_t done_ps =
      channel_.access(request_ps, bytes, initiator_, now_ps, trans.get_address(), write);
  if (!banked) busy_ps_.add(channel_.transfer_ps(bytes));
  if (banked) {
    const BankedDramStats& a = *banked;
    busy_ps_.add(std::llround(static_cast<double>(a.data_cycles - before.data_cycles) *
                              params_.banked.params.tck_ps()));
    banked_->row_hits->add(a.row_hits - before.row_hits);
    banked_->row_misses->add(a.row_misses - before.row_misses);
    banked_->row_conflicts->add(a.row_conflicts - before.row_conflicts);
    banked_->activates->add(a.activates - before.activates);
    banked_->precharges->add(a.precharges - before.precharges);
    banked_->refreshes->add(a.refreshes - before.refreshes);
    banked_->refresh_cycles->add(a.refresh_cycles - before.refresh_cycles);
    banked_->queue_delay_cycles->add(a.queue_delay_cycles - before.queue_delay_cycles);
    banked_->active_cycles->add(a.active_cycles - before.active_cycles);
    banked_->data_cycles->add(a.data_cycles - before.data_cycles);
  }
  delay += sc_core::sc_time(static_cast<double>(done_ps - request_ps), sc_core::SC_PS);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata
