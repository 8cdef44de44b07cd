#include "hw_models/memory/dma.h"

#include <algorithm>

namespace strata {
namespace {

// Separate DRAM regions per operand so addresses stay meaningful in traces.
constexpr uint64_t kRegionBase[3] = {0x0000'0000'0000ull, 0x0100'0000'0000ull, 0x0200'0000'0000ull};

}  // namespace

Dma::Dma(sc_core::sc_module_name name)
    : sc_module(name),
      command("command"),
      dram("dram"),
      buffer{tlm_utils::simple_initiator_socket<Dma>("input_buffer"),
             tlm_utils::simple_initiator_socket<Dma>("weight_buffer"),
             tlm_utils::simple_initiator_socket<Dma>("output_buffer")},
      transfers_(stats_.counter("transfers", "transfers", "tile transfers executed")),
      load_bytes_(stats_.counter("load_bytes", "B", "bytes moved DRAM -> buffers")),
      store_bytes_(stats_.counter("store_bytes", "B", "bytes moved buffers -> DRAM")) {
  command.register_b_transport(this, &Dma::b_transport);
}

void Dma::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  DmaCommand* cmd = nullptr;
  trans.get_extension(cmd);
  if (!cmd || cmd->bytes <= 0) {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  const int index = static_cast<int>(cmd->buffer);
  const uint64_t address = kRegionBase[index] + next_address_[index];
  next_address_[index] += static_cast<uint64_t>(cmd->bytes);
  transfers_.add(1);
  (cmd->to_dram ? store_bytes_ : load_bytes_).add(cmd->bytes);

  tlm::tlm_generic_payload& dram_trans = dram_payload_;  // reused: construction allocates
  tlm::tlm_generic_payload& sram_trans = sram_payload_;
  set_timing_payload(dram_trans, cmd->to_dram ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                     address, cmd->bytes);
  set_timing_payload(sram_trans, cmd->to_dram ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND, 0,
                     cmd->bytes);
  sc_core::sc_time dram_delay = delay, sram_delay = delay;
  dram->b_transport(dram_trans, dram_delay);
  buffer[index]->b_transport(sram_trans, sram_delay);
  delay = std::max(dram_delay, sram_delay);
  trans.set_response_status(dram_trans.get_response_status() == tlm::TLM_OK_RESPONSE &&
                                    sram_trans.get_response_status() == tlm::TLM_OK_RESPONSE
                                ? tlm::TLM_OK_RESPONSE
                                : tlm::TLM_GENERIC_ERROR_RESPONSE);
}

}  // namespace strata
