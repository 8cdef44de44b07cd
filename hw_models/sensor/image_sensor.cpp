#include "hw_models/sensor/image_sensor.h"

namespace strata {

SensorReadout sensor_readout(const ImageSensorParams& p, int64_t values) {
  SensorReadout r;
  r.values = values;
  const double v = static_cast<double>(values);
  r.readout_pj = v * p.readout_pj_per_value;
  r.link_pj = v * p.adc_bits * p.link_pj_per_bit;
  r.frame_time_us = v / p.values_per_us;
  return r;
}

}  // namespace strata
