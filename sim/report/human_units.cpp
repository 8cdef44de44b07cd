#include "sim/report/human_units.h"

#include <cmath>
#include <cstdio>

namespace strata {

std::string three_significant(double x) {
  if (!std::isfinite(x)) return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  if (x == 0) return "0";
  const double magnitude = std::fabs(x);
  char text[48];
  if (magnitude < 1e-3 || magnitude >= 1e6) {
    std::snprintf(text, sizeof text, "%.2e", x);
    return text;
  }
  // Digits after the point so that three are significant; rounding may carry into a new digit.
  int decimals = 2 - static_cast<int>(std::floor(std::log10(magnitude)));
  std::snprintf(text, sizeof text, "%.*f", decimals > 0 ? decimals : 0, x);
  double rounded = std::fabs(std::atof(text));
  if (decimals > 0 && rounded >= std::pow(10.0, 3 - decimals)) {
    std::snprintf(text, sizeof text, "%.*f", decimals - 1, x);
  }
  return text;
}

namespace {

struct Unit {
  double scale;  // units per base unit
  const char* name;
  double below;  // used below this magnitude (base units)
};

std::string with_unit(double value, const Unit* units, int count) {
  const double magnitude = std::fabs(value);
  for (int i = 0; i < count - 1; ++i) {
    // 999.96 ns rounds to "1000 ns": step up once the rounded figure would reach the next unit.
    if (magnitude * units[i].scale < 999.5 && magnitude < units[i].below) {
      return three_significant(value * units[i].scale) + " " + units[i].name;
    }
  }
  return three_significant(value * units[count - 1].scale) + " " + units[count - 1].name;
}

}  // namespace

std::string human_duration(double seconds) {
  static const Unit units[] = {{1e9, "ns", 1e-6}, {1e6, "us", 1e-3}, {1e3, "ms", 1}, {1, "s", 0}};
  if (seconds == 0) return "0 s";
  return with_unit(seconds, units, 4);
}

std::string human_length(double metres) {
  static const Unit units[] = {{1e6, "um", 1e-3}, {1e3, "mm", 1e-2}, {1e2, "cm", 1}, {1, "m", 0}};
  if (metres == 0) return "0 m";
  return with_unit(metres, units, 4);
}

}  // namespace strata
