#include "hw_models/timesync/gnss_receiver.h"

namespace strata {

GnssReceiver::GnssReceiver(sc_core::sc_module_name name, const GnssParams& params,
                           double duration_s, VcdWriter* vcd)
    : sc_module(name),
      model_(params),
      duration_s_(duration_s),
      vcd_(vcd),
      pps_edges_(stats_.counter("pps_edges", "edges", "PPS edges output")),
      sentences_(stats_.counter("nmea_sentences", "sentences", "NMEA time sentences output")),
      seconds_without_fix_(
          stats_.counter("seconds_without_fix", "s", "whole seconds with no PPS (outages)")) {
  if (vcd_) {
    vcd_pps_ = vcd_->declare("gnss_pps", 1);
    vcd_nmea_ = vcd_->declare("gnss_nmea", 1);
  }
  SC_THREAD(run);
}

void GnssReceiver::run() {
  using sc_core::sc_time;
  for (int64_t n = 1; static_cast<double>(n) <= duration_s_; ++n) {
    if (!model_.available(static_cast<double>(n))) {
      seconds_without_fix_.add(1);
      continue;
    }
    const double edge = model_.pps_edge(n);
    const double now = sc_core::sc_time_stamp().to_seconds();
    if (edge > now) wait(sc_time(edge - now, sc_core::SC_SEC));
    pps_.notify();
    pps_edges_.add(1);
    if (vcd_) vcd_->pulse(edge, vcd_pps_, 0.1);
    const double sentence = model_.nmea_arrival(n);
    wait(sc_time(sentence - sc_core::sc_time_stamp().to_seconds(), sc_core::SC_SEC));
    nmea_second_ = n;
    nmea_.notify();
    sentences_.add(1);
    if (vcd_) vcd_->pulse(sentence, vcd_nmea_, 0.001);
  }
}

}  // namespace strata
