#pragma once
// ANT's numeric types at 2..8 bits (docs/references.md §1.1-1.2): int, PoT, flint and float, signed
// or unsigned. A type is an exact, sorted value grid in integer units, a bit-level codec, and the
// decode of a code to (significand, shift) with value = significand << shift that the ANT PE's
// decoder produces in front of an integer MAC.
//
// Signed int is two's complement; signed PoT, flint and float are sign + (bits-1)-bit magnitude,
// so +0 and -0 are one grid value.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

enum class TypeKind { kInt, kPot, kFlint, kFloat };

struct NumericType {
  TypeKind kind = TypeKind::kInt;
  int bits = 8;
  bool is_signed = true;
  int exp_bits = 0;  // float only: exponent field width (mantissa = magnitude bits - exp_bits)

  int magnitude_bits() const { return is_signed ? bits - 1 : bits; }
  std::string name() const;  // "int4", "uflint4", "float8e4", ...
  bool operator==(const NumericType& o) const {
    return kind == o.kind && bits == o.bits && is_signed == o.is_signed && exp_bits == o.exp_bits;
  }
};

// Throws std::invalid_argument when bits is outside 2..8 or a float split is impossible.
NumericType make_type(TypeKind kind, int bits, bool is_signed, int exp_bits = -1);
std::string to_string(TypeKind kind);               // "int", "pot", "flint", "float"
TypeKind parse_type_kind(const std::string& name);  // std::invalid_argument if unknown
int default_float_exp_bits(int magnitude_bits);

struct Decoded {
  int64_t significand = 0;  // signed
  int shift = 0;            // up to 254 for 8-bit unsigned PoT
  double value() const { return std::ldexp(static_cast<double>(significand), shift); }
};

// A type with its grid precomputed. Values are the grid in its natural integer units; they are
// held as doubles because wide PoT grids exceed 64-bit integers (every value is exact: a small
// significand times a power of two).
class TypeCodec {
 public:
  explicit TypeCodec(const NumericType& type);

  const NumericType& type() const { return type_; }
  const std::vector<double>& grid() const { return grid_; }  // sorted, distinct
  double max_value() const { return grid_.back(); }
  // True when the grid is its own mirror image about zero (sign-magnitude types), so searches
  // may work on magnitudes.
  bool symmetric() const;
  uint32_t code_count() const { return 1u << type_.bits; }

  Decoded decode(uint32_t code) const;  // any code of `bits` bits
  double decode_value(uint32_t code) const { return decode(code).value(); }
  // The canonical code of a grid value (+0 for zero); std::invalid_argument if not on the grid.
  uint32_t encode(double value) const;

  // Index into grid() of the value nearest to x (grid units); exact ties go to the larger value;
  // clamps at both ends. Inline: the quantizers call it once per value.
  size_t nearest_index(double x) const {
    // The first midpoint strictly greater than x: ties (x == midpoint) go up.
    if (unit_steps_ && std::isfinite(x)) {
      // An int grid: the index is arithmetic; exact comparisons with the midpoints settle the
      // rounding of the estimate, so the result equals the search's.
      const double estimate = std::floor(x - grid_.front() - 0.5) + 1.0;
      const double last = static_cast<double>(midpoints_.size());
      size_t i = static_cast<size_t>(estimate < 0.0 ? 0.0 : estimate > last ? last : estimate);
      while (i > 0 && midpoints_[i - 1] > x) --i;
      while (i < midpoints_.size() && midpoints_[i] <= x) ++i;
      return i;
    }
    return search_nearest_index(x);
  }
  uint32_t code_at(size_t grid_index) const { return grid_codes_[grid_index]; }
  double nearest(double x) const { return grid_[nearest_index(x)]; }

 private:
  NumericType type_;
  std::vector<double> grid_;
  std::vector<double> midpoints_;     // between consecutive grid values
  std::vector<uint32_t> grid_codes_;  // canonical code of each grid value
  bool unit_steps_ = false;           // consecutive integers (int types): nearest is arithmetic

  size_t search_nearest_index(double x) const;  // a binary search over the midpoints
};

}  // namespace strata
