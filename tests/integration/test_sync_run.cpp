// The time-sync unit, its sensors and the camera pipeline simulated in SystemC. Each test
// elaborates once, so ctest runs each in its own process.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/sync/sync_report.h"
#include "sim/sync/sync_run.h"
#include "support/ks_distance.h"

namespace strata {
namespace {

using J = nlohmann::json;

struct SyncOutcome {
  PreparedSync prepared;
  SyncResult result;
  J report;
};

SyncOutcome simulate(const J& config) {
  SyncOutcome r{prepare_sync(ConfigTree::from_json(config, "test.json")), {}, {}};
  r.result = run_sync(r.prepared);
  r.report = sync_report(r.prepared, r.result);
  return r;
}

const SensorResult& sensor(const SyncOutcome& r, const std::string& name) {
  for (const auto& s : r.result.sensors) {
    if (s.params.name == name) return s;
  }
  throw std::runtime_error("no sensor " + name);
}

void expect_hardware_skew_bound(double jitter_ns) {
  const SyncOutcome r = simulate({{"timesync", {{"duration_s", 60}}},
                                  {"gnss", {{"pps_jitter_ns", jitter_ns}}},
                                  {"oscillator", {{"preset", "tcxo"}}}});
  const double tick_ns = r.report["sync_unit"]["counter_resolution_ns"];
  int hardware_pairs = 0;
  for (const auto& p : r.report["pairs"]) {
    if (p["method"] != "hardware") continue;
    ++hardware_pairs;
    EXPECT_GT(p["skew_ns"]["count"].get<int64_t>(), 500);
    EXPECT_LE(p["skew_ns"]["max"].get<double>(), jitter_ns + tick_ns) << p.dump();
  }
  EXPECT_EQ(hardware_pairs, 3);
}

// With GPS, the skew between hardware stamps is bounded by PPS jitter plus counter resolution,
// for a timing receiver (25 ns) and a navigation receiver (1 us).
TEST(SyncRun, HardwareSkewBoundedByPpsJitterPlusResolution) { expect_hardware_skew_bound(25); }
TEST(SyncRun, HardwareSkewBoundedWithNavigationReceiver) { expect_hardware_skew_bound(1000); }

// Software stamps carry each sensor's fixed delay plus an OS latency drawn from the configured
// distribution: the per-sample OS delays pass a Kolmogorov-Smirnov check against its CDF, and the
// camera-IMU skew's median is the difference of the fixed delays.
TEST(SyncRun, SoftwareSkewFollowsTheOsLatencyDistribution) {
  const SyncOutcome r =
      simulate({{"timesync", {{"duration_s", 120}}},
                {"host", {{"os_latency_median_us", 200}, {"os_tail_probability", 0.05}}}});
  const OsLatency model(r.prepared.params.os_latency);
  for (const auto& s : r.result.sensors) {
    const std::vector<double> errors = software_stamp_errors(s.samples);
    const double ks =
        test::ks_distance(os_latencies(s.samples), [&](double x) { return model.cdf(x); });
    const double n = static_cast<double>(s.samples.size());
    EXPECT_LT(ks, 1.63 / std::sqrt(n) + 0.005) << s.params.name;  // 99% KS band
    // Software stamp error = the sensor's fixed path (half exposure, readout, transfer) + OS.
    const double fixed =
        (s.params.exposure_us / 2 + s.params.readout_us + s.params.transfer_us) * 1e-6;
    for (size_t i = 0; i < s.samples.size(); ++i) {
      ASSERT_NEAR(errors[i], fixed + s.samples[i].sw_stamp - s.samples[i].t_ready, 1e-9)
          << s.params.name;
    }
  }
  const SensorParams& cam = sensor(r, "camera").params;
  const SensorParams& imu = sensor(r, "imu").params;
  const double fixed_cam = (cam.exposure_us / 2 + cam.readout_us + cam.transfer_us) * 1e-6;
  const double fixed_imu = (imu.readout_us + imu.transfer_us) * 1e-6;
  std::vector<double> skews =
      pair_skews(sensor(r, "camera").samples, sensor(r, "imu").samples, StampMethod::kSoftware);
  std::nth_element(skews.begin(), skews.begin() + skews.size() / 2, skews.end());
  // The difference of two independent draws of one distribution has median 0.
  EXPECT_NEAR(skews[skews.size() / 2], fixed_cam - fixed_imu, 20e-6);
  // Millisecond-class software skew against nanosecond-class hardware skew.
  for (const auto& p : r.report["pairs"]) {
    if (p["sensors"] == J{"camera", "imu"}) {
      const double p50 = p["skew_ns"]["p50"];
      if (p["method"] == "software") {
        EXPECT_GT(p50, 1e6);
      } else {
        EXPECT_LT(p50, 100);
      }
    }
  }
}

// In holdover the error grows as x0 + y_res t + D t^2/2 within the oscillator's noise; when PPS
// returns the counter slews back without running backwards and re-converges.
TEST(SyncRun, HoldoverMatchesClosedFormAndReconvergesForwardOnly) {
  const SyncOutcome r = simulate({{"timesync", {{"duration_s", 240}}},
                                  {"gnss", {{"outages_s", "60-150"}}},
                                  {"oscillator",
                                   {{"preset", "tcxo"},
                                    {"aging_ppm_per_day", 5.0},
                                    {"temp_swing_k", 0},
                                    {"frequency_noise_ppb", 0.01}}}});
  ASSERT_EQ(r.report["holdover"].size(), 1u);
  const J& h = r.report["holdover"][0];
  EXPECT_TRUE(h["entered_holdover"].get<bool>());
  EXPECT_LT(h["max_deviation_from_closed_form_ns"].get<double>(), 20);
  EXPECT_GT(h["error_over_time"].size(), 5u);
  ASSERT_FALSE(h["reconvergence_s"].is_null());
  EXPECT_LT(h["reconvergence_s"].get<double>(), 60);
  EXPECT_FALSE(r.report["sync_unit"]["counter_went_backwards"].get<bool>());
  EXPECT_EQ(r.report["sync_unit"]["backward_steps"], 0);
  EXPECT_EQ(r.report["sync_unit"]["final_state"], "locked");
  // The hardware stamps of every sensor rise monotonically through outage and return.
  for (const auto& s : r.result.sensors) {
    for (size_t i = 1; i < s.samples.size(); ++i) {
      ASSERT_GT(s.samples[i].hw_stamp, s.samples[i - 1].hw_stamp) << s.params.name << " " << i;
    }
  }
}

// Triggers line up with the PPS second: once locked, the sample of every trigger on a whole
// second starts trigger_delay (+ phase) after true second n, within the counter's error, a tick
// and the sensor's jitter.
TEST(SyncRun, TriggersLineUpWithThePpsSecond) {
  const SyncOutcome r = simulate({{"timesync", {{"duration_s", 60}}},
                                  {"sensors",
                                   {{"camera", {{"trigger_jitter_us", 0}}},
                                    {"lidar", {{"phase_us", 500}, {"trigger_jitter_us", 0}}}}}});
  for (const char* name : {"camera", "imu", "lidar"}) {
    const SensorResult& s = sensor(r, name);
    const double rate = s.params.rate_hz;
    const double offset =
        (s.params.trigger_delay_us + s.params.phase_us + s.params.exposure_us / 2) * 1e-6;
    const double tolerance = 300e-9 + 10e-9 + 4 * s.params.trigger_jitter_us * 1e-6;
    int checked = 0;
    for (size_t k = 0; k < s.samples.size(); ++k) {
      const double second = static_cast<double>(k) / rate;
      if (second < 30 || std::fabs(second - std::round(second)) > 1e-9) continue;
      EXPECT_NEAR(s.samples[k].t_event, second + offset, tolerance) << name << " k=" << k;
      ++checked;
    }
    EXPECT_GE(checked, 29) << name;
  }
}

// Without GPS the counter free-runs on the XO: the error is the oscillator's own x(t).
TEST(SyncRun, FreeRunningCounterFollowsTheOscillator) {
  const SyncOutcome r = simulate({{"timesync", {{"duration_s", 100}}},
                                  {"gnss", {{"present", false}}},
                                  {"oscillator", {{"preset", "xo"}, {"frequency_noise_ppb", 0}}}});
  for (const auto& c : r.report["time_error_ns"]["checkpoints"]) {
    EXPECT_NEAR(c["error_ns"].get<double>(), c["closed_form_ns"].get<double>(), 1.0) << c.dump();
  }
  EXPECT_NEAR(r.report["time_error_ns"]["at_end_ns"].get<double>(), 1e6, 0.05e6);  // 10 ppm
  EXPECT_EQ(r.report["sync_unit"]["final_state"], "free_running");
}

// Frames become inferences on the SoC: every inference takes the same time (the SoC is stateless
// between frames), and latency = exposure->arrival + queue wait + inference.
TEST(SyncRun, CameraFramesRunOnTheAccelerator) {
  const SyncOutcome r =
      simulate({{"timesync", {{"duration_s", 2}}},
                {"sensors", {{"imu", {{"enabled", false}}}, {"lidar", {{"enabled", false}}}}},
                {"pipeline", {{"enabled", true}, {"workload", "mobilenet_v1"}}}});
  const auto& frames = r.result.frames;
  ASSERT_GE(frames.size(), 59u);
  const double inference = frames[0].end - frames[0].start;
  EXPECT_GT(inference, 0);
  int done = 0;
  for (const auto& f : frames) {
    if (f.end < 0) continue;
    ++done;
    EXPECT_NEAR(f.end - f.start, inference, 1e-9);
    EXPECT_GE(f.start, f.frame.arrival - 1e-12);
    EXPECT_FALSE(f.dropped);
  }
  EXPECT_GE(done, 58);
  const J& p = r.report["pipeline"];
  EXPECT_EQ(p["deadline_misses"], 0);
  const double arrival_ms = p["exposure_to_arrival_ms"]["mean"];
  const SensorParams& cam = sensor(r, "camera").params;
  EXPECT_NEAR(arrival_ms, (cam.exposure_us / 2 + cam.readout_us + cam.transfer_us) * 1e-3, 0.01);
  EXPECT_NEAR(p["sensor_to_result_ms"]["mean"].get<double>(),
              arrival_ms + p["queue_wait_ms"]["mean"].get<double>() + inference * 1e3, 1e-3);
  EXPECT_EQ(r.report["stats"]["soc.controller.inferences"]["value"].get<int64_t>(), done);
}

// An accelerator too slow for the frame rate: frames queue, the oldest are dropped, deadlines are
// missed, and the accelerator is never idle while frames wait.
TEST(SyncRun, SlowAcceleratorMissesDeadlinesAndDropsFrames) {
  const SyncOutcome r = simulate(
      {{"timesync", {{"duration_s", 2}}},
       {"clock", {{"freq_mhz", 10}}},
       {"sensors", {{"imu", {{"enabled", false}}}, {"lidar", {{"enabled", false}}}}},
       {"pipeline", {{"enabled", true}, {"workload", "mobilenet_v1"}, {"queue_depth", 1}}}});
  const J& p = r.report["pipeline"];
  EXPECT_GT(p["dropped"].get<int64_t>(), 0);
  EXPECT_GT(p["late"].get<int64_t>(), 0);
  EXPECT_EQ(p["deadline_misses"].get<int64_t>(),
            p["late"].get<int64_t>() + p["dropped"].get<int64_t>());
  const double inference_s = p["inference_ms"]["mean"].get<double>() * 1e-3;
  EXPECT_GT(inference_s, 1.0 / 30);
  // Back to back: inferred frames ~ (run - first arrival) / inference time.
  const double first_arrival = r.result.frames[0].frame.arrival;
  EXPECT_NEAR(p["inferred"].get<double>(), std::floor((2.0 - first_arrival) / inference_s), 1.0);
}

}  // namespace
}  // namespace strata
