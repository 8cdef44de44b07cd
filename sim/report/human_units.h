#pragma once
// Quantities for people to read: each in the unit that fits its magnitude, with three
// significant digits ("850 ns", "12.3 us", "1.50 ms", "30.0 cm"). Reports keep full precision in
// fixed units; these are for terminal summaries only.
#include <string>

namespace strata {

// A duration given in seconds: ns, us, ms or s.
std::string human_duration(double seconds);
// A length given in metres: um, mm, cm or m.
std::string human_length(double metres);
// Three significant digits, no exponent for 1e-3 <= |x| < 1e6 ("0.00420", "12.3", "4200").
std::string three_significant(double x);

}  // namespace strata
