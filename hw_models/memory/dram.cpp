#include "hw_models/memory/dram.h"

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
}

void Dram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const int64_t bytes = trans.get_data_length();
  const int64_t bursts = burst_rounded_bytes(bytes, params_.burst_bytes) / params_.burst_bytes;
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  (write ? write_bytes_ : read_bytes_).add(bytes);
  channel_.count(initiator_, write, bytes);
  (write ? write_bursts_ : read_bursts_).add(bursts);
  busy_ps_.add(channel_.transfer_ps(bytes));
  // Loosely timed: the request happens at now + delay; annotate until its last data.
  const int64_t request_ps =
      static_cast<int64_t>((sc_core::sc_time_stamp() + delay).to_seconds() * 1e12 + 0.5);
  const int64_t now_ps = static_cast<int64_t>(sc_core::sc_time_stamp().to_seconds() * 1e12 + 0.5);
  const int64_t done_ps = channel_.access(request_ps, bytes, initiator_, now_ps);
  delay += sc_core::sc_time(static_cast<double>(done_ps - request_ps), sc_core::SC_PS);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata
