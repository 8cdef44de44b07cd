#pragma once
// Technology scaling between nodes by Stillmaker & Baas 2017 (docs/references.md §6): an area
// factor per node and an energy polynomial f(V) = aV^2 + bV + c per node, both relative to 45 nm.
// Nodes between tabulated ones are interpolated linearly in the feature size.
namespace strata {

// Area of a design at `node_nm` relative to 45 nm (1.0 at 45). Throws std::invalid_argument for
// nodes outside 7..130 nm.
double area_factor(double node_nm);

// Energy of an operation at `node_nm` and supply `volts`, relative to 45 nm at the same supply:
// f_node(V) / f_45(V).
double energy_factor(double node_nm, double volts);

}  // namespace strata
