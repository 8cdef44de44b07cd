#include "workloads/quant/numeric_type.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace strata {
namespace {

// Magnitude of an unsigned m-bit code of each kind (integer units).
Decoded decode_magnitude(TypeKind kind, int m, int exp_bits, uint32_t code) {
  switch (kind) {
    case TypeKind::kInt:
      return {static_cast<int64_t>(code), 0};
    case TypeKind::kPot:
      if (code == 0) return {0, 0};
      return {1, static_cast<int>(code) - 1};
    case TypeKind::kFlint: {
      // First-one encoding: MSB 0 -> plain (m-1)-bit integer. Otherwise L leading ones select
      // the binade k = L-1 with m-L-1 mantissa bits; all ones is the top value 2^(2m-2).
      if (m == 1) return {static_cast<int64_t>(code), 0};
      if ((code >> (m - 1)) == 0) return {static_cast<int64_t>(code), 0};
      int ones = 0;
      while (ones < m && ((code >> (m - 1 - ones)) & 1u)) ++ones;
      if (ones == m) return {1, 2 * m - 2};
      const int k = ones - 1;
      const int mantissa_bits = m - 2 - k;
      const uint32_t t = code & ((1u << mantissa_bits) - 1u);
      return {(int64_t{1} << mantissa_bits) + t, 2 * k + 1};
    }
    case TypeKind::kFloat: {
      const int mantissa_bits = m - exp_bits;
      const uint32_t e = code >> mantissa_bits;
      const uint32_t f = code & ((1u << mantissa_bits) - 1u);
      if (e == 0) return {static_cast<int64_t>(f), 0};  // subnormal
      return {(int64_t{1} << mantissa_bits) + f, static_cast<int>(e) - 1};
    }
  }
  return {0, 0};
}

}  // namespace

int default_float_exp_bits(int magnitude_bits) {
  return magnitude_bits >= 7 ? 4 : std::min(3, magnitude_bits);
}

NumericType make_type(TypeKind kind, int bits, bool is_signed, int exp_bits) {
  if (bits < 2 || bits > 8) throw std::invalid_argument("bits must be in 2..8");
  NumericType t{kind, bits, is_signed, 0};
  if (kind == TypeKind::kFloat) {
    const int m = t.magnitude_bits();
    t.exp_bits = exp_bits < 0 ? default_float_exp_bits(m) : exp_bits;
    if (t.exp_bits < 1 || t.exp_bits > m) {
      throw std::invalid_argument("float exponent bits must be in 1.." + std::to_string(m));
    }
  }
  return t;
}

std::string to_string(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
      return "int";
    case TypeKind::kPot:
      return "pot";
    case TypeKind::kFlint:
      return "flint";
    case TypeKind::kFloat:
      return "float";
  }
  return "?";
}

TypeKind parse_type_kind(const std::string& name) {
  for (TypeKind k : {TypeKind::kInt, TypeKind::kPot, TypeKind::kFlint, TypeKind::kFloat}) {
    if (to_string(k) == name) return k;
  }
  throw std::invalid_argument("unknown numeric type '" + name + "'");
}

std::string NumericType::name() const {
  std::string n = (is_signed ? "" : "u") + to_string(kind) + std::to_string(bits);
  if (kind == TypeKind::kFloat) n += "e" + std::to_string(exp_bits);
  return n;
}

TypeCodec::TypeCodec(const NumericType& type) : type_(type) {
  std::vector<std::pair<double, uint32_t>> values;
  for (uint32_t c = 0; c < code_count(); ++c) values.emplace_back(decode_value(c), c);
  // Sorted by value, then code: the first code of a value (+0 before -0) is its canonical one.
  std::sort(values.begin(), values.end());
  for (const auto& [v, c] : values) {
    if (!grid_.empty() && grid_.back() == v) continue;
    grid_.push_back(v);
    grid_codes_.push_back(c);
  }
  for (size_t i = 0; i + 1 < grid_.size(); ++i)
    midpoints_.push_back(0.5 * (grid_[i] + grid_[i + 1]));
  unit_steps_ = !grid_.empty();
  for (size_t i = 0; i + 1 < grid_.size(); ++i) unit_steps_ &= grid_[i + 1] - grid_[i] == 1.0;
}

Decoded TypeCodec::decode(uint32_t code) const {
  const int b = type_.bits;
  code &= (1u << b) - 1u;
  if (type_.kind == TypeKind::kInt) {
    if (!type_.is_signed) return {static_cast<int64_t>(code), 0};
    const int64_t v =
        (code >> (b - 1)) ? static_cast<int64_t>(code) - (int64_t{1} << b) : int64_t{code};
    return {v, 0};
  }
  const int m = type_.magnitude_bits();
  if (!type_.is_signed) return decode_magnitude(type_.kind, m, type_.exp_bits, code);
  Decoded d = decode_magnitude(type_.kind, m, type_.exp_bits, code & ((1u << m) - 1u));
  if (code >> m) d.significand = -d.significand;
  return d;
}

uint32_t TypeCodec::encode(double value) const {
  const auto it = std::lower_bound(grid_.begin(), grid_.end(), value);
  if (it == grid_.end() || *it != value) {
    throw std::invalid_argument(std::to_string(value) + " is not on the " + type_.name() + " grid");
  }
  return grid_codes_[static_cast<size_t>(it - grid_.begin())];
}

bool TypeCodec::symmetric() const {
  for (size_t i = 0; i < grid_.size(); ++i) {
    if (grid_[i] != -grid_[grid_.size() - 1 - i]) return false;
  }
  return true;
}

size_t TypeCodec::search_nearest_index(double x) const {
  // The first midpoint strictly greater than x: ties (x == midpoint) go up.
  return static_cast<size_t>(std::upper_bound(midpoints_.begin(), midpoints_.end(), x) -
                             midpoints_.begin());
}

}  // namespace strata
