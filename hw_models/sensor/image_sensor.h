#pragma once
// The image sensor in front of the accelerator as energy and time per frame (docs/seeds.md):
// every value read out costs the pixel readout and ADC, and its bits cost the link to the SoC;
// the frame takes the values over the readout rate. The per-value and per-bit figures are
// assumptions stated with their keys (sensor.*), not a particular sensor's datasheet.
#include <cstdint>

namespace strata {

struct ImageSensorParams {
  double readout_pj_per_value = 1000;
  int adc_bits = 10;
  double link_pj_per_bit = 10;
  double values_per_us = 300;
};

struct SensorReadout {
  int64_t values = 0;
  double readout_pj = 0;  // pixel readout and ADC
  double link_pj = 0;     // to the SoC
  double frame_time_us = 0;
  double energy_pj() const { return readout_pj + link_pj; }
};

SensorReadout sensor_readout(const ImageSensorParams& p, int64_t values);

}  // namespace strata
