#pragma once
// A GNSS timing receiver: a PPS edge at every true second, offset by Gaussian jitter, and an
// NMEA sentence naming that second after a delay; nothing while the sky is lost (outage windows).
// True time is GPS time: second n's edge is ideally at t = n s.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

struct TimeWindow {
  double start_s = 0, end_s = 0;
};

struct GnssParams {
  bool present = true;
  double pps_jitter_ns = 25.0;   // 1 sigma: ~25 ns timing receiver, ~1 us navigation receiver
  double nmea_delay_ms = 150.0;  // PPS edge to the end of the sentence that labels it
  std::vector<TimeWindow> outages;
  uint64_t seed = 1;
};

// "60-120,300-310" -> windows in seconds; throws InputError("<what>: ...") naming the bad part.
std::vector<TimeWindow> parse_time_windows(const std::string& text, const std::string& what);

class GnssModel {
 public:
  explicit GnssModel(const GnssParams& p) : p_(p) {}
  const GnssParams& params() const { return p_; }
  // Whether the receiver has a fix at true time t (s).
  bool available(double t) const;
  // True time of second n's PPS edge (s), its jitter drawn from (seed, n): order-independent.
  double pps_edge(int64_t second) const;
  double nmea_arrival(int64_t second) const { return pps_edge(second) + p_.nmea_delay_ms * 1e-3; }

 private:
  GnssParams p_;
};

// splitmix64: a cheap, well-mixed hash for draws keyed by an index.
uint64_t mix64(uint64_t x);
// A standard normal drawn from two hashed words.
double hashed_normal(uint64_t seed, uint64_t index);

}  // namespace strata
