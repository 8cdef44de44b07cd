#include "sim/energy/tech_scaling.h"

#include <stdexcept>
#include <string>

namespace strata {
namespace {

struct AreaPoint {
  double node, factor;
};
// Stillmaker & Baas 2017 area factors to 45 nm (docs/references.md §6), largest node first.
constexpr AreaPoint kArea[] = {{130, 6.4}, {90, 2.8},  {65, 1.5},  {45, 1.0},  {32, 0.46},
                               {20, 0.21}, {16, 0.19}, {14, 0.17}, {10, 0.10}, {7, 0.059}};

struct EnergyPoly {
  double node, a, b, c;
  double at(double v) const { return a * v * v + b * v + c; }
};
// Stillmaker & Baas 2017 energy polynomials (docs/references.md §6); 28 nm is interpolated.
constexpr EnergyPoly kEnergy[] = {{65, 3.755, -4.398, 1.975},
                                  {45, 1.103, -0.362, 0.2767},
                                  {32, 0.9559, -0.7823, 0.471},
                                  {16, 0.2958, -0.1241, 0.03024},
                                  {7, 0.1776, -0.09097, 0.02447}};

template <typename Point, size_t N, typename Value>
double interpolate(const Point (&points)[N], double node, Value value) {
  if (node > points[0].node || node < points[N - 1].node) {
    throw std::invalid_argument("technology node " + std::to_string(node) +
                                " nm is outside the scaling data (" +
                                std::to_string(static_cast<int>(points[N - 1].node)) + "-" +
                                std::to_string(static_cast<int>(points[0].node)) + " nm)");
  }
  for (size_t i = 0; i + 1 < N; ++i) {
    const Point& hi = points[i];
    const Point& lo = points[i + 1];
    if (node <= hi.node && node >= lo.node) {
      const double t = (hi.node - node) / (hi.node - lo.node);
      return value(hi) + t * (value(lo) - value(hi));
    }
  }
  return value(points[N - 1]);
}

}  // namespace

double area_factor(double node_nm) {
  return interpolate(kArea, node_nm, [](const AreaPoint& p) { return p.factor; });
}

double energy_factor(double node_nm, double volts) {
  const double f = interpolate(kEnergy, node_nm, [&](const EnergyPoly& p) { return p.at(volts); });
  return f / kEnergy[1].at(volts);
}

}  // namespace strata
