#include "hw_models/vector/vector_unit.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "hw_models/common/tlm_commands.h"

namespace strata {

std::string VectorUnit::op_counter_name(VectorOp op) {
  return std::string(vector_op_spec(op).name) + "_elements";
}

VectorUnit::VectorUnit(sc_core::sc_module_name name, const VectorUnitParams& params)
    : sc_module(name),
      command("command"),
      buffer("buffer"),
      params_(params),
      period_(sc_core::sc_time(1e6 / params.freq_mhz, sc_core::SC_PS)),
      operations_(stats_.counter("operations", "ops", "vector operations executed")),
      work_elements_(
          stats_.counter("work_elements", "elements", "elements the lanes processed, all ops")),
      lane_ops_(stats_.counter("lane_ops", "ops", "lane operations (work x ops per element)")),
      busy_cycles_(
          stats_.counter("busy_cycles", "cycles", "cycles of the vector clock the unit was busy")),
      buffer_read_bytes_(
          stats_.counter("buffer_read_bytes", "B", "bytes the unit read from the output buffer")),
      buffer_write_bytes_(
          stats_.counter("buffer_write_bytes", "B", "bytes the unit wrote into the output buffer")),
      dram_read_bytes_(
          stats_.counter("dram_read_bytes", "B", "DRAM bytes loaded for operations that spill")),
      dram_write_bytes_(
          stats_.counter("dram_write_bytes", "B", "DRAM bytes stored from the unit's results")) {
  for (const VectorOpSpec& s : vector_op_specs()) {
    op_elements_[static_cast<size_t>(s.op)] =
        &stats_.counter(op_counter_name(s.op), "elements",
                        std::string("elements processed by ") + s.name + " operations");
  }
  command.register_b_transport(this, &VectorUnit::b_transport);
}

sc_core::sc_time VectorUnit::buffer_access(tlm::tlm_command cmd, int64_t bytes,
                                           sc_core::sc_time at) {
  if (bytes <= 0) return sc_core::SC_ZERO_TIME;
  tlm::tlm_generic_payload& t = payload_;  // reused: construction allocates
  set_timing_payload(t, cmd, 0, bytes);
  sc_core::sc_time d = at;
  buffer->b_transport(t, d);
  return d - at;
}

void VectorUnit::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  VectorCommand* cmd = nullptr;
  trans.get_extension(cmd);
  if (!cmd) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const VectorUnitShape shape{params_.lanes, params_.port_bytes_per_cycle, params_.element_bits};
  VectorCycles c;
  try {
    c = vector_cycles(cmd->work, shape);
  } catch (const std::exception&) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  // Reads then writes through the one port, at the buffer's clock.
  const sc_core::sc_time port = buffer_access(tlm::TLM_READ_COMMAND, c.bytes_read, delay) +
                                buffer_access(tlm::TLM_WRITE_COMMAND, c.bytes_written, delay);
  const sc_core::sc_time busy = std::max(period_ * static_cast<double>(c.compute), port) +
                                period_ * static_cast<double>(c.latency);
  cmd->cycles = c;
  cmd->busy = busy;
  operations_.add(1);
  work_elements_.add(cmd->work.work_elements);
  lane_ops_.add(c.lane_ops);
  busy_cycles_.add(static_cast<int64_t>(std::ceil(busy / period_ - 1e-9)));
  buffer_read_bytes_.add(c.bytes_read);
  buffer_write_bytes_.add(c.bytes_written);
  dram_read_bytes_.add(cmd->dram_read_bytes);
  dram_write_bytes_.add(cmd->dram_write_bytes);
  op_elements_[static_cast<size_t>(cmd->work.op)]->add(cmd->work.work_elements);
  for (const auto& stage : cmd->work.fused) {
    work_elements_.add(stage.work_elements);
    op_elements_[static_cast<size_t>(stage.op)]->add(stage.work_elements);
  }
  delay += busy;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata
