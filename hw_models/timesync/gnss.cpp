#include "hw_models/timesync/gnss.h"

#include <cmath>
#include <cstdlib>

#include "common/input_error.h"

namespace strata {

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double hashed_normal(uint64_t seed, uint64_t index) {
  const uint64_t a = mix64(seed * 0x100000001b3ULL ^ mix64(index * 2));
  const uint64_t b = mix64(seed * 0x100000001b3ULL ^ mix64(index * 2 + 1));
  const double u1 = (static_cast<double>(a >> 11) + 0.5) * 0x1.0p-53;
  const double u2 = (static_cast<double>(b >> 11) + 0.5) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

std::vector<TimeWindow> parse_time_windows(const std::string& text, const std::string& what) {
  std::vector<TimeWindow> windows;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    // A trailing comma leaves an empty last window: an error like any other.
    const std::string part = text.substr(start, comma - start);
    const bool trailing = comma + 1 == text.size();
    const size_t dash = part.find('-');
    const auto fail = [&] {
      throw InputError(
          what + ": '" + part +
          "' is not a window: expected \"START-END\" in seconds with 0 <= START < END, "
          "comma-separated and in increasing order");
    };
    if (trailing) {
      throw InputError(what + ": '" + text + "' ends with a comma: expected another \"START-END\"");
    }
    if (dash == std::string::npos || dash == 0 || dash + 1 >= part.size()) fail();
    char* end = nullptr;
    const std::string a = part.substr(0, dash), b = part.substr(dash + 1);
    TimeWindow w;
    w.start_s = std::strtod(a.c_str(), &end);
    if (*end != '\0') fail();
    w.end_s = std::strtod(b.c_str(), &end);
    if (*end != '\0') fail();
    if (!std::isfinite(w.start_s) || !std::isfinite(w.end_s) || w.start_s < 0 ||
        w.end_s <= w.start_s || (!windows.empty() && w.start_s < windows.back().end_s)) {
      fail();
    }
    windows.push_back(w);
    start = comma + 1;
  }
  return windows;
}

bool GnssModel::available(double t) const {
  if (!p_.present) return false;
  for (const auto& w : p_.outages) {
    if (t >= w.start_s && t < w.end_s) return false;
  }
  return true;
}

double GnssModel::pps_edge(int64_t second) const {
  return static_cast<double>(second) +
         p_.pps_jitter_ns * 1e-9 * hashed_normal(p_.seed, static_cast<uint64_t>(second));
}

}  // namespace strata
