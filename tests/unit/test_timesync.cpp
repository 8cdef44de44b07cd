// The time-sync math without a SystemC kernel: oscillator, GNSS, the disciplined counter and its
// servo, OS latency, skew statistics and the VCD writer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/input_error.h"
#include "hw_models/timesync/disciplined_clock.h"
#include "hw_models/timesync/gnss.h"
#include "hw_models/timesync/os_latency.h"
#include "hw_models/timesync/skew_stats.h"
#include "hw_models/timesync/vcd_writer.h"
#include "sim/config/sync_params.h"
#include "support/ks_distance.h"

namespace strata {
namespace {

OscillatorParams quiet_oscillator(double offset_ppm, double aging_ppm_per_day) {
  OscillatorParams o;
  o.offset_ppm = offset_ppm;
  o.aging_ppm_per_day = aging_ppm_per_day;
  o.temp_swing_k = 0;
  o.frequency_noise_ppb = 0;
  o.phase_noise_ps = 0;
  return o;
}

// x(t) = y0 t + D t^2 / 2 with the noise off; 1 ppm = 1 us/s = 86.4 ms/day (docs/references.md §5).
TEST(Oscillator, TimeErrorIsTheClosedFormWithoutNoise) {
  Oscillator osc(quiet_oscillator(1.0, 0.0));
  EXPECT_NEAR(osc.time_error(1.0), 1e-6, 1e-15);
  EXPECT_NEAR(osc.time_error(86400.0), 86.4e-3, 1e-9);
  Oscillator aging(quiet_oscillator(2.0, 10.0));
  const double d = 10e-6 / 86400.0;
  for (double t : {10.0, 1000.0, 50000.0}) {
    EXPECT_NEAR(aging.time_error(t), 2e-6 * t + d * t * t / 2, 1e-12 * t);
    EXPECT_NEAR(aging.frequency_error(t), 2e-6 + d * t, 1e-15);
  }
}

// The temperature term integrates to zero over a whole period; the random walk's frequency steps
// have the configured size; local time inverts.
TEST(Oscillator, TemperatureWanderRandomWalkAndInverse) {
  OscillatorParams p = quiet_oscillator(0.0, 0.0);
  p.temp_swing_k = 3;
  p.tempco_ppm_per_k = 0.1;
  p.temp_period_s = 100;
  Oscillator temp(p);
  EXPECT_NEAR(temp.time_error(100.0), 0.0, 1e-15);
  EXPECT_NEAR(temp.frequency_error(25.0), 0.3e-6, 1e-12);

  p = quiet_oscillator(0.0, 0.0);
  p.frequency_noise_ppb = 2.0;
  Oscillator walk(p);
  double sum2 = 0;
  const int n = 20000;
  for (int k = 1; k <= n; ++k) {
    const double step = walk.frequency_error(k + 0.5) - walk.frequency_error(k - 0.5);
    sum2 += step * step;
  }
  EXPECT_NEAR(std::sqrt(sum2 / n), 2e-9, 0.1e-9);
  for (double t : {0.3, 17.25, 9999.9}) {
    EXPECT_NEAR(walk.true_time_of_local(walk.local_time(t), t + 0.01), t, 1e-12);
  }
}

TEST(Oscillator, PresetsFollowTheReferenceTolerances) {
  // docs/references.md §5: XO +-20 ppm, TCXO +-1.5..3, OCXO +-0.005, RC +-20,000.
  const std::pair<const char*, double> tolerance[] = {
      {"xo", 20}, {"tcxo", 3}, {"ocxo", 0.005}, {"rc", 20000}};
  for (const auto& [name, tol] : tolerance) {
    OscillatorParams p;
    ASSERT_TRUE(oscillator_preset(name, &p)) << name;
    EXPECT_LE(std::fabs(p.offset_ppm), tol) << name;
    EXPECT_GT(std::fabs(p.offset_ppm), tol / 10) << name;
  }
  OscillatorParams p;
  EXPECT_FALSE(oscillator_preset("cesium", &p));
}

TEST(Gnss, OutageWindowsParseAndBadOnesAreNamed) {
  const auto w = parse_time_windows("60-120,300.5-310", "x.json: gnss.outages_s");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_DOUBLE_EQ(w[1].start_s, 300.5);
  EXPECT_TRUE(parse_time_windows("", "k").empty());
  for (const char* bad : {"60", "120-60", "a-b", "10-20,15-30", "-5-3", "1-2,"}) {
    try {
      parse_time_windows(bad, "x.json: gnss.outages_s");
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("x.json: gnss.outages_s"), std::string::npos);
    }
  }
  GnssParams p;
  p.outages = w;
  GnssModel g(p);
  EXPECT_TRUE(g.available(59.9));
  EXPECT_FALSE(g.available(60));
  EXPECT_TRUE(g.available(120));
}

// PPS jitter has the configured sigma and does not depend on the order edges are asked for.
TEST(Gnss, PpsJitterHasTheConfiguredSigma) {
  GnssParams p;
  p.pps_jitter_ns = 25;
  GnssModel g(p);
  double sum = 0, sum2 = 0;
  const int n = 20000;
  for (int k = 1; k <= n; ++k) {
    const double e = g.pps_edge(k) - k;
    sum += e;
    sum2 += e * e;
  }
  EXPECT_NEAR(sum / n, 0, 1e-9);
  EXPECT_NEAR(std::sqrt(sum2 / n), 25e-9, 1e-9);
  EXPECT_EQ(g.pps_edge(77), GnssModel(p).pps_edge(77));
}

// Drives a disciplined clock with PPS + NMEA every second, as the SystemC unit does.
struct ClockRig {
  Oscillator osc;
  DisciplinedClock clock;
  GnssModel gnss;
  ClockRig(const OscillatorParams& o, const ServoParams& s, const GnssParams& g)
      : osc(o), clock(osc, s), gnss(g) {}
  // Runs seconds [from, to]; PPS only where GNSS is available. Returns the last time error.
  double run(int64_t from, int64_t to, double holdover_timeout = 1.5) {
    double last_update = from - 1.0;
    for (int64_t n = from; n <= to; ++n) {
      if (gnss.available(n)) {
        clock.latch_pps(gnss.pps_edge(n));
        clock.discipline(gnss.nmea_arrival(n), n);
        last_update = gnss.nmea_arrival(n);
      } else if (n + 0.15 - last_update >= holdover_timeout) {
        clock.enter_holdover(last_update + holdover_timeout);
      }
    }
    return clock.time_at(to + 0.5) - (to + 0.5);
  }
};

// Locked to a PPS of sigma 25 ns, the counter's error stays within a few sigma of it.
TEST(DisciplinedClock, LocksToPpsWithinItsJitter) {
  OscillatorParams o;
  oscillator_preset("tcxo", &o);
  GnssParams g;
  g.pps_jitter_ns = 25;
  ClockRig rig(o, ServoParams{}, g);
  rig.run(1, 60);
  EXPECT_EQ(rig.clock.state(), SyncState::kLocked);
  double worst = 0;
  for (int64_t n = 61; n <= 600; ++n) {
    rig.run(n, n);
    worst = std::max(worst, std::fabs(rig.clock.time_at(n + 0.5) - (n + 0.5)));
  }
  EXPECT_LT(worst, 150e-9);
  // The TCXO's temperature wander moves its frequency by up to ~1 ppb/s: the estimate lags a
  // little.
  EXPECT_NEAR(rig.clock.frequency_estimate(), rig.osc.frequency_error(600), 20e-9);
  EXPECT_EQ(rig.clock.steps(), 0);
}

// In holdover the error grows as x0 + y_res * t + D t^2 / 2 (docs/references.md §5), where y_res is
// the residual frequency the unit entered holdover with: exact without oscillator noise.
TEST(DisciplinedClock, HoldoverErrorFollowsTheClosedForm) {
  OscillatorParams o = quiet_oscillator(5.0, 50.0);  // a fast-aging oscillator: D visible
  GnssParams g;
  g.pps_jitter_ns = 25;
  g.outages = {{300, 3900}};
  ClockRig rig(o, ServoParams{}, g);
  rig.run(1, 299);
  ASSERT_EQ(rig.clock.state(), SyncState::kLocked);
  rig.run(300, 302);
  ASSERT_EQ(rig.clock.state(), SyncState::kHoldover);
  const double t0 = 299.15 + 1.5;  // last NMEA + timeout
  const double x0 = rig.clock.time_at(t0) - t0;
  const double y_res = rig.clock.residual_frequency(t0);
  const double d = 50e-6 / 86400.0;
  for (double tau : {10.0, 100.0, 1000.0, 3500.0}) {
    const double t = t0 + tau;
    const double measured = rig.clock.time_at(t) - t;
    // y_res is taken at t0; aging has moved the frequency by D * tau since (scaled by the
    // counter's rate multiplier): the quadratic term.
    const double dm = d * rig.clock.rate_multiplier();
    EXPECT_NEAR(measured, x0 + y_res * tau + dm * tau * tau / 2, 1e-9 + 1e-12 * tau) << tau;
  }
  // 3500 s of holdover on 50 ppm/day aging: D t^2 / 2 = 3.5 ms.
  EXPECT_GT(std::fabs(rig.clock.time_at(t0 + 3500) - (t0 + 3500)), 3e-3);
}

// After the outage the servo slews the error away: the counter never reads less than before,
// its rate stays within the slew bound, and the error re-converges under 200 ns.
TEST(DisciplinedClock, ReconvergesAfterOutageWithoutGoingBackwards) {
  OscillatorParams o;
  oscillator_preset("xo", &o);  // an XO in holdover: tens of microseconds off when GPS returns
  GnssParams g;
  g.outages = {{100, 160}};
  ServoParams s;
  ClockRig rig(o, s, g);
  rig.run(1, 160);
  const double error_at_return = std::fabs(rig.clock.time_at(160.5) - 160.5);
  EXPECT_GT(error_at_return, 1e-6);
  double last_reading = rig.clock.read(160.5);
  double reconverged_at = -1;
  for (int64_t n = 161; n <= 400; ++n) {
    // Read the counter every 1 ms through the second, then discipline it.
    for (int ms = 0; ms < 1000; ms += 1) {
      const double t = n - 0.5 + ms * 1e-3;
      const double reading = rig.clock.read(t);
      ASSERT_GE(reading, last_reading) << "counter went backwards at t = " << t;
      last_reading = reading;
    }
    const double rate = rig.clock.residual_frequency(n);
    EXPECT_LT(std::fabs(rate), (s.max_slew_ppm + 1) * 1e-6);
    rig.run(n, n);
    if (reconverged_at < 0 && std::fabs(rig.clock.time_at(n + 0.5) - (n + 0.5)) < 200e-9) {
      reconverged_at = n;
    }
  }
  EXPECT_GT(reconverged_at, 160);
  EXPECT_LT(reconverged_at, 300);
  EXPECT_EQ(rig.clock.steps(), 0);
  EXPECT_EQ(rig.clock.backward_steps(), 0);
}

// Far off at first acquisition, the counter steps once (before any sample is trusted); slews after.
TEST(DisciplinedClock, StepsOnlyOnFirstAcquisition) {
  OscillatorParams o = quiet_oscillator(1.0, 0);
  ServoParams s;
  s.initial_error_us = -5000;  // 5 ms behind at power-up
  GnssParams g;
  g.outages = {{50, 80}};
  ClockRig rig(o, s, g);
  rig.run(1, 200);
  EXPECT_EQ(rig.clock.steps(), 1);
  EXPECT_EQ(rig.clock.backward_steps(), 0);
  EXPECT_LT(std::fabs(rig.clock.time_at(200.5) - 200.5), 200e-9);
}

// The sampler follows the configured mixture: empirical CDF within a Kolmogorov-Smirnov band.
TEST(OsLatency, SamplesFollowTheConfiguredDistribution) {
  OsLatencyParams p;
  OsLatency model(p);
  std::vector<double> draws;
  for (uint64_t i = 0; i < 40000; ++i) {
    const auto u = [&](uint64_t k) {
      return (static_cast<double>(mix64(i * 3 + k) >> 11) + 0.5) * 0x1.0p-53;
    };
    draws.push_back(model.sample(u(0), u(1), u(2)));
  }
  EXPECT_LT(test::ks_distance(draws, [&](double x) { return model.cdf(x); }), 0.01);
  std::sort(draws.begin(), draws.end());
  EXPECT_NEAR(model.quantile(0.5), p.median_us * 1e-6, 2e-6);
  EXPECT_NEAR(model.cdf(model.quantile(0.99)), 0.99, 1e-6);
  EXPECT_LE(draws.back(), p.max_us * 1e-6);
}

TEST(SkewStats, PairSkewIsTheDifferenceOfStampErrors) {
  // b stamps 1 us late, a 3 us late: each a sample is matched to the nearest b by stamp.
  std::vector<SampleRecord> a, b;
  for (int k = 0; k < 10; ++k) a.push_back({k * 0.1, k * 0.1 + 3e-6, k * 0.1 + 0.002});
  for (int k = 0; k < 100; ++k) b.push_back({k * 0.01, k * 0.01 + 1e-6, k * 0.01 + 0.0005});
  for (double s : pair_skews(a, b, StampMethod::kHardware)) EXPECT_NEAR(s, 2e-6, 1e-12);
  for (double s : pair_skews(a, b, StampMethod::kSoftware)) EXPECT_NEAR(s, 0.0015, 1e-12);
  const Distribution d = summarize_abs({-1, 2, -3, 4, 100});
  EXPECT_DOUBLE_EQ(d.mean, 22);
  EXPECT_DOUBLE_EQ(d.p50, 3);
  EXPECT_DOUBLE_EQ(d.p99, 100);
  EXPECT_DOUBLE_EQ(d.max, 100);
  EXPECT_DOUBLE_EQ(d.signed_mean, 20.4);
}

TEST(Vcd, RendersSortedChangesWithinTheWindow) {
  VcdWriter v(1.0);
  const int pps = v.declare("pps", 1), counter = v.declare("counter", 8);
  v.change(0.5, counter, 5);
  v.pulse(0.25, pps, 0.1);
  v.change(2.0, counter, 9);  // outside the window
  const std::string out = v.render("top");
  EXPECT_NE(out.find("$var wire 1 ! pps $end"), std::string::npos);
  EXPECT_NE(out.find("$var reg 8 \" counter $end"), std::string::npos);
  const size_t a = out.find("#250000000\n1!"), b = out.find("#350000000\n0!"),
               c = out.find("#500000000\nb101 \"");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(out.find("b1001"), std::string::npos);
}

// docs/timesync.md documents every sync key.
TEST(SyncConfig, EveryKeyIsDocumented) {
  FILE* f = std::fopen((std::string(STRATA_SOURCE_DIR) + "/docs/timesync.md").c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string doc;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) doc.append(buf, n);
  std::fclose(f);
  for (const auto& spec : sync_param_specs()) {
    EXPECT_NE(doc.find("`" + spec.path + "`"), std::string::npos)
        << spec.path << " missing from docs/timesync.md";
  }
}

}  // namespace
}  // namespace strata
