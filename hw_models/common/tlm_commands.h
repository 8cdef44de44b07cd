#pragma once
// TLM extensions carrying strata's commands on generic payloads. Timing-only transactions carry
// no data (data pointer null, length = bytes moved); targets never dereference it.
#include <cstdint>
#include <tlm>

#include "hw_models/common/fold_work.h"

namespace strata {

enum class BufferId { kInput = 0, kWeight = 1, kOutput = 2 };

// Controller -> DMA: move `bytes` between DRAM and a buffer.
struct DmaCommand : tlm::tlm_extension<DmaCommand> {
  BufferId buffer = BufferId::kInput;
  bool to_dram = false;  // false: DRAM -> buffer (load); true: buffer -> DRAM (store)
  int64_t bytes = 0;
  tlm::tlm_extension_base* clone() const override { return new DmaCommand(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const DmaCommand&>(other);
  }
};

// Controller -> array: execute one fold.
struct FoldCommand : tlm::tlm_extension<FoldCommand> {
  const FoldWork* work = nullptr;
  tlm::tlm_extension_base* clone() const override { return new FoldCommand(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const FoldCommand&>(other);
  }
};

// Fills a payload for a timing-only transfer of `bytes` at `address`.
inline void set_timing_payload(tlm::tlm_generic_payload& p, tlm::tlm_command cmd, uint64_t address,
                               int64_t bytes) {
  p.set_command(cmd);
  p.set_address(address);
  p.set_data_ptr(nullptr);
  p.set_data_length(static_cast<unsigned int>(bytes));
  p.set_streaming_width(static_cast<unsigned int>(bytes));
  p.set_byte_enable_ptr(nullptr);
  p.set_dmi_allowed(false);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace strata
