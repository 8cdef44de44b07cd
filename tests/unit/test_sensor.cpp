// The image sensor's noise and the optical first layer's readout against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "hw_models/sensor/optical_sensing.h"
#include "hw_models/sensor/sensor_noise.h"

namespace strata {
namespace {

struct Moments {
  double mean = 0, variance = 0;
};

template <typename F>
Moments moments(int n, F draw) {
  double s = 0, ss = 0;
  for (int i = 0; i < n; ++i) {
    const double v = draw();
    s += v;
    ss += v * v;
  }
  Moments m;
  m.mean = s / n;
  m.variance = ss / n - m.mean * m.mean;
  return m;
}

TEST(SensorNoise, PoissonDrawsHaveTheirMeanAsVarianceOnBothSidesOfTheSwitch) {
  std::mt19937_64 g(7);
  for (double mean : {0.5, 4.0, 29.0, 31.0, 400.0}) {
    const Moments m = moments(200000, [&] { return static_cast<double>(poisson_draw(mean, g)); });
    EXPECT_NEAR(m.mean, mean, 0.02 * mean + 0.01) << mean;
    EXPECT_NEAR(m.variance, mean, 0.03 * mean + 0.01) << mean;
  }
  EXPECT_EQ(poisson_draw(0, g), 0);
}

TEST(SensorNoise, AReadAddsShotAndReadNoiseAndTheAdcStep) {
  SensorNoiseParams p;
  p.read_noise_electrons = 3;
  p.adc_bits = 8;
  PixelReader reader(p, 11);
  const double full_scale = 2550, step = full_scale / 255, mean = 900;
  const Moments m = moments(200000, [&] { return reader.read(mean, full_scale); });
  EXPECT_NEAR(m.mean, mean, 0.5);
  EXPECT_NEAR(m.variance, mean + 9 + step * step / 12, 0.03 * mean);
  // Light beyond the full scale clips; a dark pixel reads zero on average (the pedestal).
  EXPECT_EQ(reader.read(1e6, full_scale), full_scale);
  const Moments dark = moments(100000, [&] { return reader.read(0, full_scale); });
  EXPECT_NEAR(dark.mean, 0, 0.1);
}

TEST(SensorNoise, TheAdcRangeFollowsTheWhiteLevelUpToTheFullWell) {
  SensorNoiseParams p;
  p.full_well_electrons = 6000;
  EXPECT_EQ(adc_full_scale(p, 1000), 1000);
  EXPECT_EQ(adc_full_scale(p, 50000), 6000);
  EXPECT_EQ(adc_full_scale(p, 0), 1);
}

TEST(SensorNoise, TheExposureKeepsAWhiteSceneWithinTheWell) {
  SensorNoiseParams p;
  p.full_well_electrons = 6000;
  p.white_electrons = 1000;
  EXPECT_EQ(exposed_white_electrons(p), 1000);
  p.white_electrons = 20000;
  EXPECT_EQ(exposed_white_electrons(p), 6000);
  // So a white pixel reads (about) white, not clipped beyond the well.
  const std::vector<float> read = sense_intensity(std::vector<float>(1000, 1.0f), p, 1);
  double mean = 0;
  for (float v : read) mean += v / 1000.0;
  EXPECT_NEAR(mean, 1.0, 0.01);
}

TEST(SensorNoise, SeedsGiveRepeatableIndependentStreams) {
  SensorNoiseParams p;
  PixelReader a(p, mix_seed(1, 0)), b(p, mix_seed(1, 0)), c(p, mix_seed(1, 1));
  int same = 0;
  for (int i = 0; i < 100; ++i) {
    const double x = a.read(500, 1000);
    EXPECT_EQ(x, b.read(500, 1000));
    same += x == c.read(500, 1000);
  }
  EXPECT_LT(same, 20);
}

TEST(SensorNoise, ADirectCameraReadsIntensityWithShotNoise) {
  SensorNoiseParams p;
  p.white_electrons = 400;
  p.read_noise_electrons = 0;
  p.adc_bits = 16;
  const std::vector<float> r(100000, 0.25f);
  const std::vector<float> read = sense_intensity(r, p, 3);
  const Moments m = moments(static_cast<int>(read.size()), [&, i = size_t(0)]() mutable {
    return static_cast<double>(read[i++]);
  });
  EXPECT_NEAR(m.mean, 0.25, 0.002);
  EXPECT_NEAR(m.variance, 0.25 / 400, 0.03 * 0.25 / 400);  // (r W) / W^2 in intensity units
}

// Two 1x1 output channels of one input, kernel {+1, -0.5}: a pixel gives away 1.5 units of light,
// so the sensor gets white x efficiency / 1.5 electrons per unit of output.
TEST(OpticalSensing, ErrorVarianceIsTheClosedFormOfTheLightEachPixelCollects) {
  OpticalConv c;
  c.in_c = 1;
  c.in_h = c.in_w = c.out_h = c.out_w = 128;
  c.out_c = 2;
  c.kernel = {1.0f, -0.5f};
  OpticalSensingParams p;
  p.efficiency = 0.5;
  p.sensor.white_electrons = 3000;
  p.sensor.full_well_electrons = 1e6;
  p.sensor.read_noise_electrons = 2;
  p.sensor.adc_bits = 12;
  const std::vector<float> scene(128 * 128, 0.5f);
  const OpticalSensing s = sense_optical_layer(c, scene, p, 5);
  const double g = 3000 * 0.5 / 1.5;
  EXPECT_DOUBLE_EQ(s.electrons_per_unit, g);
  const int n = 128 * 128;
  for (int o = 0; o < 2; ++o) {
    const double light = (o == 0 ? 1.0 : 0.5) * 0.5 * g;  // the used part's mean electrons
    const double full_scale = (o == 0 ? 1.0 : 0.5) * g;   // white fills the ADC
    const double step = full_scale / 4095;
    // Shot noise of the lit part, read noise of both parts, the lit part's ADC step (the dark
    // part's range is one electron: its step is negligible).
    const double expected = (light + 2 * 4 + step * step / 12) / (g * g);
    const Moments m = moments(n, [&, i = 0]() mutable {
      return static_cast<double>(s.error[static_cast<size_t>(o * n + i++)]);
    });
    EXPECT_NEAR(m.mean, 0, 4 * std::sqrt(expected / n)) << o;
    EXPECT_NEAR(m.variance, expected, 0.06 * expected) << o;
  }
}

TEST(OpticalSensing, AStrideSharesEachPixelsLightOnlyAmongTheTapsOfItsPhase) {
  OpticalConv c;
  c.in_c = 1;
  c.in_h = c.in_w = 9;
  c.out_h = c.out_w = 4;
  c.kernel_h = c.kernel_w = 3;
  c.stride_h = c.stride_w = 2;
  c.kernel.assign(9, 1.0f);
  OpticalSensingParams p;
  p.efficiency = 1;
  p.sensor.white_electrons = 1000;
  // Taps 0 and 2 of each axis share phase 0: four taps of one input pixel.
  EXPECT_DOUBLE_EQ(sense_optical_layer(c, std::vector<float>(81, 0.5f), p, 1).electrons_per_unit,
                   1000.0 / 4);
}

TEST(OpticalSensing, BrightLightShortensTheExposureToTheWell) {
  OpticalConv c;
  c.in_c = 1;
  c.out_c = 2;
  c.kernel = {1.0f, -0.25f};  // share 1.25; the positive part's white is g electrons
  OpticalSensingParams p;
  p.efficiency = 1;
  p.sensor.full_well_electrons = 5000;
  p.sensor.white_electrons = 2500;
  EXPECT_DOUBLE_EQ(sense_optical_layer(c, {0.5f}, p, 1).electrons_per_unit, 2000);
  p.sensor.white_electrons = 25000;  // g would be 20000: the exposure falls to the well's 5000
  EXPECT_DOUBLE_EQ(sense_optical_layer(c, {0.5f}, p, 1).electrons_per_unit, 5000);
}

TEST(OpticalSensing, MoreChannelsMeanLessLightPerChannelAndMoreNoise) {
  OpticalConv c;
  c.in_c = 1;
  c.in_h = c.in_w = c.out_h = c.out_w = 64;
  OpticalSensingParams p;
  p.sensor.white_electrons = 2000;
  const std::vector<float> scene(64 * 64, 0.7f);
  auto first_channel_variance = [&](int channels) {
    c.out_c = channels;
    c.kernel.assign(static_cast<size_t>(channels), 1.0f);
    const OpticalSensing s = sense_optical_layer(c, scene, p, 9);
    return moments(64 * 64,
                   [&, i = size_t(0)]() mutable { return static_cast<double>(s.error[i++]); })
        .variance;
  };
  const double one = first_channel_variance(1), eight = first_channel_variance(8);
  EXPECT_NEAR(eight / one, 8, 0.8);  // shot-noise-limited: variance ~ 1/g
}

TEST(OpticalSensing, RefusesSignedKernelsWithoutPairsAndDarkKernels) {
  OpticalConv c;
  c.in_c = 1;
  c.out_c = 1;
  c.kernel = {-1.0f};
  OpticalSensingParams p;
  p.signed_pairs = false;
  EXPECT_THROW(sense_optical_layer(c, {0.5f}, p, 1), std::invalid_argument);
  c.kernel = {0.0f};
  p.signed_pairs = true;
  EXPECT_THROW(sense_optical_layer(c, {0.5f}, p, 1), std::invalid_argument);
}

}  // namespace
}  // namespace strata
