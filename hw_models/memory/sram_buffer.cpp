#include "hw_models/memory/sram_buffer.h"

namespace strata {

SramBuffer::SramBuffer(sc_core::sc_module_name name, const SramParams& params,
                       sc_core::sc_time clock_period, bool with_vector_port)
    : sc_module(name),
      dma_port("dma_port"),
      array_port("array_port"),
      params_(params),
      clock_period_(clock_period),
      read_bytes_(stats_.counter("read_bytes", "B", "bytes read from the buffer")),
      write_bytes_(stats_.counter("write_bytes", "B", "bytes written into the buffer")),
      read_words_(stats_.counter("read_words", "words", "word-wide read accesses")),
      write_words_(stats_.counter("write_words", "words", "word-wide write accesses")) {
  dma_port.register_b_transport(this, &SramBuffer::b_transport);
  array_port.register_b_transport(this, &SramBuffer::b_transport);
  if (with_vector_port) {
    vector_port = std::make_unique<tlm_utils::simple_target_socket<SramBuffer>>("vector_port");
    vector_port->register_b_transport(this, &SramBuffer::b_transport);
  }
}

int64_t SramBuffer::transfer_cycles(int64_t bytes) const {
  const int64_t per_cycle = params_.banks * params_.word_bytes();
  return (bytes + per_cycle - 1) / per_cycle;
}

void SramBuffer::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const int64_t bytes = trans.get_data_length();
  const int64_t words = (bytes + params_.word_bytes() - 1) / params_.word_bytes();
  if (trans.get_command() == tlm::TLM_WRITE_COMMAND) {
    write_bytes_.add(bytes);
    write_words_.add(words);
  } else {
    read_bytes_.add(bytes);
    read_words_.add(words);
  }
  // Integer time arithmetic: sc_time * double converts through double on every access.
  delay += sc_core::sc_time::from_value(clock_period_.value() *
                                        static_cast<sc_dt::uint64>(transfer_cycles(bytes)));
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace strata
