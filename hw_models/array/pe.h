#pragma once
// Processing-element kinds (docs/references.md §1.2 and §1.4): what one PE completes per cycle at
// given operand widths, and which numeric types it reads. Pure C++; the array and the energy model
// ask these functions rather than branching on the kind themselves.
//   int        one MAC per cycle on operands up to its multiplier width (`int_bits`);
//   bitfusion  an 8/4-bit fusible PE: operands run at 4 or 8 bits, (8/a) x (8/w) MACs per cycle;
//   ant        the same fusible int core behind a decoder that turns int, flint and PoT codes
//              into (significand, shift): same throughput, plus a decode per operand.
#include <string>

namespace strata {

enum class PeKind { kInt, kBitFusion, kAnt };

PeKind parse_pe_kind(const std::string& name);  // "int" | "bitfusion" | "ant"
std::string to_string(PeKind kind);

struct PeParams {
  PeKind kind = PeKind::kInt;
  int int_bits = 8;  // int PE: multiplier width; operands up to it
};

// The width an operand of `bits` runs at: the int PE's width, or 4 / 8 on a fusible PE.
int pe_operand_width(const PeParams& pe, int bits);

// MACs one PE completes per cycle: 1 on an int PE, (8/a) x (8/w) at the run widths on a fusible
// one (4 at 4x4, 2 at 4x8, 1 at 8x8).
int pe_macs_per_cycle(const PeParams& pe, int input_bits, int weight_bits);

// Whether the PE can run these operands, and if not what it cannot do, in the PE's terms (the
// config layer says which key to change). Types are trace type names ("int", "flint", "pot",
// "float", "olive"); an empty type means int.
struct PeSupport {
  enum class Problem { kNone, kTooWide, kUnreadableType };
  Problem problem = Problem::kNone;
  std::string message;  // empty when the PE can
  bool ok() const { return problem == Problem::kNone; }
};
PeSupport pe_support(const PeParams& pe, int input_bits, int weight_bits,
                     const std::string& input_type, const std::string& weight_type);

}  // namespace strata
