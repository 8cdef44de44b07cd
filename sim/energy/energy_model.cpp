#include "sim/energy/energy_model.h"

#include "common/input_error.h"

namespace strata {

EnergyModel::EnergyModel(const SocParams& soc, const TechTable& t)
    : dataflow_(soc.array.dataflow),
      pe_(soc.array.pe),
      mult_8b_pj_(t.mac_mult_8b_pj),
      add_32b_pj_(t.mac_add_32b_pj),
      register_bit_pj_(t.register_bit_pj),
      fusible_pe_pj_per_cycle_(t.fusible_pe_pj_per_cycle),
      ant_decoder_pj_(t.ant_decoder_pj) {
  const SramParams* buffers[3] = {&soc.input_buffer, &soc.weight_buffer, &soc.output_buffer};
  for (int i = 0; i < 3; ++i) {
    const double bank_bytes = static_cast<double>(buffers[i]->size_bytes) / buffers[i]->banks;
    sram_read_pj_per_bit_[i] = t.sram_read_pj_per_bit(bank_bytes);
    sram_write_pj_per_bit_[i] = sram_read_pj_per_bit_[i] * t.sram_write_factor;
  }
  auto it = t.dram_pj_per_bit.find(soc.dram.type);
  if (it == t.dram_pj_per_bit.end()) {
    throw InputError("dram.type: the tech table has no dram_pj_per_bit entry for \"" +
                     soc.dram.type + "\"");
  }
  dram_pj_per_bit_ = it->second;
}

double EnergyModel::mac_pj(const OperandBits& b) const {
  if (pe_.kind != PeKind::kInt) {
    return fusible_pe_pj_per_cycle_ / pe_macs_per_cycle(pe_, b.input, b.weight);
  }
  // Multiplier energy grows with the product of the operand widths, adder energy with its width.
  return mult_8b_pj_ * (b.input * b.weight) / 64.0 + add_32b_pj_ * b.accum / 32.0;
}

double EnergyModel::decoder_pj_per_mac(const OperandBits& b) const {
  if (pe_.kind != PeKind::kAnt) return 0;
  return 2 * ant_decoder_pj_ / pe_macs_per_cycle(pe_, b.input, b.weight);
}

double EnergyModel::register_pj_per_mac(const OperandBits& b) const {
  // Pipeline registers switched per MAC: the operands that move through the PE plus the
  // accumulator (docs/energy.md).
  int bits = 0;
  switch (dataflow_) {
    case Dataflow::kOutputStationary:
      bits = b.input + b.weight + b.accum;
      break;
    case Dataflow::kWeightStationary:
      bits = b.input + b.accum;
      break;
    case Dataflow::kInputStationary:
      bits = b.weight + b.accum;
      break;
  }
  return bits * register_bit_pj_;
}

const std::vector<std::string>& EnergyModel::components() {
  static const std::vector<std::string> c = {
      "mac", "decoder", "register", "input_buffer", "weight_buffer", "output_buffer", "dram"};
  return c;
}

EnergyBreakdown EnergyModel::evaluate(const std::map<std::string, int64_t>& counts,
                                      const OperandBits& bits) const {
  auto count = [&](const std::string& path) -> double {
    auto it = counts.find(path);
    return it == counts.end() ? 0.0 : static_cast<double>(it->second);
  };
  EnergyBreakdown e;
  const double macs = count("soc.array.macs");
  e["mac"] = macs * mac_pj(bits);
  e["decoder"] = macs * decoder_pj_per_mac(bits);
  e["register"] = macs * register_pj_per_mac(bits);
  const char* names[3] = {"input_buffer", "weight_buffer", "output_buffer"};
  for (int i = 0; i < 3; ++i) {
    const std::string p = std::string("soc.") + names[i];
    e[names[i]] = count(p + ".read_bytes") * 8 * sram_read_pj_per_bit_[i] +
                  count(p + ".write_bytes") * 8 * sram_write_pj_per_bit_[i];
  }
  e["dram"] = (count("soc.dram.read_bytes") + count("soc.dram.write_bytes")) * 8 * dram_pj_per_bit_;
  return e;
}

}  // namespace strata
