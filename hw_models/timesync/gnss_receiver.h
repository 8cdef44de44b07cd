#pragma once
// The GNSS receiver as a SystemC module: notifies a PPS edge at every second it has a fix, and
// the NMEA sentence naming that second a configured delay later.
#include <systemc>

#include "hw_models/common/stats.h"
#include "hw_models/timesync/gnss.h"
#include "hw_models/timesync/vcd_writer.h"

namespace strata {

class GnssReceiver : public sc_core::sc_module {
 public:
  GnssReceiver(sc_core::sc_module_name name, const GnssParams& params, double duration_s,
               VcdWriter* vcd);

  const sc_core::sc_event& pps_event() const { return pps_; }
  const sc_core::sc_event& nmea_event() const { return nmea_; }
  int64_t nmea_second() const { return nmea_second_; }  // second named by the last sentence
  const GnssModel& model() const { return model_; }

 private:
  SC_HAS_PROCESS(GnssReceiver);
  void run();

  GnssModel model_;
  double duration_s_;
  VcdWriter* vcd_;
  int vcd_pps_ = -1, vcd_nmea_ = -1;
  sc_core::sc_event pps_, nmea_;
  int64_t nmea_second_ = 0;
  StatGroup stats_;
  Counter& pps_edges_;
  Counter& sentences_;
  Counter& seconds_without_fix_;
};

}  // namespace strata
