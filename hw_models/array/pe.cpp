#include "hw_models/array/pe.h"

#include <stdexcept>

namespace strata {

PeKind parse_pe_kind(const std::string& name) {
  if (name == "int") return PeKind::kInt;
  if (name == "bitfusion") return PeKind::kBitFusion;
  if (name == "ant") return PeKind::kAnt;
  throw std::invalid_argument("PE kind must be \"int\", \"bitfusion\" or \"ant\"");
}

std::string to_string(PeKind kind) {
  switch (kind) {
    case PeKind::kInt:
      return "int";
    case PeKind::kBitFusion:
      return "bitfusion";
    case PeKind::kAnt:
      return "ant";
  }
  return "?";
}

int pe_operand_width(const PeParams& pe, int bits) {
  if (pe.kind == PeKind::kInt) return pe.int_bits;
  return bits <= 4 ? 4 : 8;
}

int pe_macs_per_cycle(const PeParams& pe, int input_bits, int weight_bits) {
  if (pe.kind == PeKind::kInt) return 1;
  return (8 / pe_operand_width(pe, input_bits)) * (8 / pe_operand_width(pe, weight_bits));
}

namespace {

bool decodes(const PeParams& pe, const std::string& type) {
  if (type.empty() || type == "int") return true;
  return pe.kind == PeKind::kAnt && (type == "flint" || type == "pot");
}

PeSupport operand_support(const PeParams& pe, const char* what, int bits, const std::string& type) {
  const int limit = pe.kind == PeKind::kInt ? pe.int_bits : 8;
  if (bits > limit) {
    return {PeSupport::Problem::kTooWide,
            std::string(what) + " operands of " + std::to_string(bits) + " bits exceed the " +
                to_string(pe.kind) + " PE's " + std::to_string(limit) + "-bit multiplier"};
  }
  if (!decodes(pe, type)) {
    return {PeSupport::Problem::kUnreadableType, std::string(what) + " type \"" + type +
                                                     "\" cannot be read by the " +
                                                     to_string(pe.kind) + " PE"};
  }
  return {};
}

}  // namespace

PeSupport pe_support(const PeParams& pe, int input_bits, int weight_bits,
                     const std::string& input_type, const std::string& weight_type) {
  PeSupport s = operand_support(pe, "weight", weight_bits, weight_type);
  if (s.ok()) s = operand_support(pe, "input", input_bits, input_type);
  return s;
}

}  // namespace strata
