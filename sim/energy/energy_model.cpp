#include "sim/energy/energy_model.h"

#include <cmath>

#include "common/input_error.h"

namespace strata {

EnergyModel::EnergyModel(const SocParams& soc, const TechTable& t)
    : dataflow_(soc.array.dataflow),
      pe_(soc.array.pe),
      sparsity_(soc.array.sparsity),
      mult_8b_pj_(t.mac_mult_8b_pj),
      add_32b_pj_(t.mac_add_32b_pj),
      register_bit_pj_(t.register_bit_pj),
      fusible_pe_pj_per_cycle_(t.fusible_pe_pj_per_cycle),
      ant_decoder_pj_(t.ant_decoder_pj),
      mux_pj_(t.mux_8to1_8b_pj),
      topk_pj_(t.topk_8_pj),
      gated_factor_(t.zero_gated_mac_factor),
      dram_(soc.dram),
      area_(area_breakdown(soc, t)),
      leakage_mw_(leakage_power_mw(area_, t)) {
  const SramParams* buffers[3] = {&soc.input_buffer, &soc.weight_buffer, &soc.output_buffer};
  for (int i = 0; i < 3; ++i) {
    const double bank_bytes = static_cast<double>(buffers[i]->size_bytes) / buffers[i]->banks;
    sram_read_pj_per_bit_[i] = t.sram_read_pj_per_bit(bank_bytes, buffers[i]->word_bits);
    sram_write_pj_per_bit_[i] = sram_read_pj_per_bit_[i] * t.sram_write_factor;
  }
  auto it = t.dram_pj_per_bit.find(soc.dram.type);
  if (it == t.dram_pj_per_bit.end()) {
    throw InputError("dram.type: the tech table has no dram_pj_per_bit entry for \"" +
                     soc.dram.type + "\"");
  }
  dram_pj_per_bit_ = it->second;
  if (dram_.is_banked()) {
    dram_commands_ =
        dram_command_energy(dram_.banked.params, dram_.banked.currents, dram_pj_per_bit_);
  }
  for (const VectorOpSpec& op : vector_op_specs()) {
    auto e = t.vector_op_pj_per_element.find(op.name);
    if (e == t.vector_op_pj_per_element.end()) {
      throw InputError(std::string("energy.tech_table: no vector_op_pj_per_element entry for \"") +
                       op.name + "\"");
    }
    vector_op_pj_[static_cast<size_t>(op.op)] = e->second;
  }
}

double EnergyModel::vector_lanes_pj(const SocCounters& c) const {
  double pj = 0;
  for (size_t op = 0; op < kVectorOpCount; ++op) {
    pj += static_cast<double>(c.vector_op_elements[op]) * vector_op_pj_[op];
  }
  return pj;
}

double EnergyModel::vector_work_energy_pj(const SocCounters& c) const {
  double pj = vector_lanes_pj(c);
  constexpr int kOutput = 2;  // the vector unit works from the output buffer
  pj += static_cast<double>(c.vector_buffer_read_bytes) * 8 * sram_read_pj_per_bit_[kOutput] +
        static_cast<double>(c.vector_buffer_write_bytes) * 8 * sram_write_pj_per_bit_[kOutput];
  if (dram_.is_banked()) {
    // Its share of a banked DRAM: the bursts its bytes take (activates and standby are the
    // layer's).
    const double burst = static_cast<double>(dram_.banked.params.burst_bytes());
    pj += static_cast<double>(c.vector_dram_read_bytes) / burst * dram_commands_.read_pj +
          static_cast<double>(c.vector_dram_write_bytes) / burst * dram_commands_.write_pj;
  } else {
    pj += static_cast<double>(c.vector_dram_read_bytes + c.vector_dram_write_bytes) * 8 *
          dram_pj_per_bit_;
  }
  return pj;
}

DramEnergyPj EnergyModel::dram_energy(const SocCounters& c, double seconds) const {
  if (!c.banked_dram) return {};
  BankedDramStats s;
  s.reads = c.dram_read_bursts;
  s.writes = c.dram_write_bursts;
  s.activates = c.dram_activates;
  s.refreshes = c.dram_refreshes;
  const BankedDramParams& p = dram_.banked.params;
  const auto elapsed = static_cast<int64_t>(std::llround(seconds * p.clock_mhz * 1e6));
  return strata::dram_energy(dram_commands_, s, p.channels, elapsed, c.dram_active_cycles);
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
  // Each operand entering a tensor PE is decoded once and shared by the units that use it.
  const TpeShape& s = sparsity_.tpe;
  const double decodes_per_op = 1.0 / s.c + 1.0 / s.a;
  return decodes_per_op * ant_decoder_pj_ / pe_macs_per_cycle(pe_, b.input, b.weight);
}

double EnergyModel::register_pj_per_mac(const OperandBits& b, const LayerExecution& x) const {
  // Activations are shared by the C units of a tensor PE, weights by its A units, and the
  // accumulator by the B slots of a unit. The operand a DBB mux selects from is held as a whole
  // block for the slots that use it.
  const TpeShape& s = sparsity_.tpe;
  double input = static_cast<double>(b.input) / s.c;
  double weight = static_cast<double>(b.weight) / s.a;
  const double accum = static_cast<double>(b.accum) / s.b;
  const int used = x.weight_slots_per_block > 0 ? x.weight_slots_per_block : x.activation_nnz;
  if (x.muxed && used > 0) {
    const double block = static_cast<double>(sparsity_.bz) / used;
    (sparsity_.mux_side == MuxSide::kActivation ? input : weight) *= block;
  }
  double bits = 0;
  switch (dataflow_) {
    case Dataflow::kOutputStationary:
      bits = input + weight + accum;
      break;
    case Dataflow::kWeightStationary:
      bits = input + accum;
      break;
    case Dataflow::kInputStationary:
      bits = weight + accum;
      break;
  }
  return bits * register_bit_pj_;
}

const std::vector<std::string>& EnergyModel::components() {
  static const std::vector<std::string> c = {
      "mac",           "decoder",       "mux",  "topk",         "register", "input_buffer",
      "weight_buffer", "output_buffer", "dram", "vector_lanes", "leakage"};
  return c;
}

EnergyBreakdown EnergyModel::evaluate(const SocCounters& c, const OperandBits& bits,
                                      const LayerExecution& exec, double seconds) const {
  EnergyBreakdown e;
  const double ops = static_cast<double>(c.mac_ops);
  const double gated = static_cast<double>(c.gated_mac_ops);
  e["mac"] = ((ops - gated) + gated * gated_factor_) * mac_pj(bits);
  e["decoder"] = ops * decoder_pj_per_mac(bits);
  // A mux selects one operand of the muxed side's width.
  const int muxed_bits = sparsity_.mux_side == MuxSide::kActivation ? bits.input : bits.weight;
  e["mux"] = static_cast<double>(c.mux_selects) * mux_pj_ * muxed_bits / 8.0;
  e["topk"] = static_cast<double>(c.topk_blocks) * topk_pj_ * sparsity_.bz / 8.0;
  e["register"] = ops * register_pj_per_mac(bits, exec);
  for (int i = 0; i < 3; ++i) {
    e[SocCounters::buffer_names()[i]] =
        static_cast<double>(c.buffer_read_bytes[i]) * 8 * sram_read_pj_per_bit_[i] +
        static_cast<double>(c.buffer_write_bytes[i]) * 8 * sram_write_pj_per_bit_[i];
  }
  e["dram"] = c.banked_dram ? dram_energy(c, seconds).total()
                            : static_cast<double>(c.dram_read_bytes + c.dram_write_bytes) * 8 *
                                  dram_pj_per_bit_;
  e["vector_lanes"] = vector_lanes_pj(c);
  e["leakage"] = leakage_mw_ * 1e-3 * seconds * 1e12;  // mW x s -> pJ
  return e;
}

}  // namespace strata
