#include "sim/sync/sync_report.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/report/distribution_json.h"
#include "sim/report/human_units.h"
#include "sim/report/json_text.h"
#include "sim/sync/sync_tables.h"

namespace strata {
namespace {

using J = nlohmann::json;

// The true second the first PPS after an outage reaches the unit.
double pps_return(const GnssModel& gnss, const TimeWindow& w) {
  double n = std::ceil(w.end_s);
  while (!gnss.available(n) && n < w.end_s + 1e6) n += 1;
  return n;
}

J holdover_json(const PreparedSync& prepared, const SyncResult& r) {
  const SyncParams& p = prepared.params;
  J list = J::array();
  const GnssModel gnss(p.gnss);
  const double aging = p.unit.oscillator.aging_ppm_per_day * 1e-6 / 86400.0;
  for (const auto& w : p.gnss.outages) {
    if (w.start_s >= p.duration_s) break;
    J o = {{"outage_start_s", w.start_s}, {"outage_end_s", w.end_s}};
    const HoldoverEntry* entry = nullptr;
    for (const auto& h : r.holdovers) {
      if (h.t_s >= w.start_s && h.t_s <= w.end_s + 2) {
        entry = &h;
        break;
      }
    }
    if (!entry) {
      o["entered_holdover"] = false;
      list.push_back(o);
      continue;
    }
    o["entered_holdover"] = true;
    o["holdover_start_s"] = round_to(entry->t_s, 1e-6);
    o["closed_form"] =
        "x0 + y_res*t + D_aging*t^2/2; temperature wander and random-walk FM make the deviation";
    o["residual_frequency_ppb"] = round_to(entry->residual_frequency * 1e9, 1e-4);
    o["error_at_start_ns"] = round_to(entry->time_error_s * 1e9, 1e-3);
    // Closed form: x(tau) = x0 + y_res * tau + D * tau^2 / 2, beside the simulated error.
    J points = J::array();
    double max_abs = 0, max_dev = 0;
    const double back = pps_return(gnss, w);
    // Points at 1, 2, 5, 10, 20, 50 ... s into holdover, and the last sample before PPS returns.
    double next_mark = 1;
    for (size_t i = 0; i < r.series.size(); ++i) {
      const auto& s = r.series[i];
      if (s.t_s < entry->t_s || s.t_s >= back) continue;
      const double tau = s.t_s - entry->t_s;
      const double predicted =
          entry->time_error_s + entry->residual_frequency * tau + aging * tau * tau / 2;
      max_abs = std::max(max_abs, std::fabs(s.time_error_s));
      max_dev = std::max(max_dev, std::fabs(s.time_error_s - predicted));
      const bool last = i + 1 == r.series.size() || r.series[i + 1].t_s >= back;
      if (tau < next_mark && !last) continue;
      while (next_mark <= tau) {
        const double decade = std::pow(10.0, std::floor(std::log10(next_mark) + 1e-9));
        const double digit = std::round(next_mark / decade);
        next_mark = (digit == 1 ? 2 : digit == 2 ? 5 : 10) * decade;
      }
      points.push_back({{"t_s", round_to(s.t_s, 1e-6)},
                        {"holdover_s", round_to(tau, 1e-6)},
                        {"error_ns", round_to(s.time_error_s * 1e9, 1e-3)},
                        {"closed_form_ns", round_to(predicted * 1e9, 1e-3)}});
    }
    o["error_over_time"] = points;
    o["max_abs_error_ns"] = round_to(max_abs * 1e9, 1e-3);
    o["max_deviation_from_closed_form_ns"] = round_to(max_dev * 1e9, 1e-3);
    // Re-convergence: PPS back, then |error| under the threshold for the hold time.
    o["pps_return_s"] = back;
    double since = -1;
    J reconv = nullptr;
    for (const auto& s : r.series) {
      if (s.t_s < back) continue;
      if (std::fabs(s.time_error_s) * 1e9 < p.converged_ns) {
        if (since < 0) since = s.t_s;
        if (s.t_s - since >= p.converged_hold_s) {
          reconv = round_to(since - back, 1e-6);
          break;
        }
      } else {
        since = -1;
      }
    }
    o["reconvergence_s"] = reconv;  // null: not within the run
    list.push_back(o);
  }
  return list;
}

J time_error_json(const PreparedSync& prepared, const SyncResult& r) {
  const SyncParams& p = prepared.params;
  J j;
  // Statistics over the samples where the unit was locked, and the error at checkpoints.
  // Steady state: locked, and converged (|error| under the threshold for the hold time) since
  // the unit last locked; the acquisition and re-convergence transients are reported apart.
  std::vector<double> steady;
  std::vector<const TimeErrorSample*> run;  // the current converged-candidate run
  double max_abs = 0;
  bool converged = false;
  J first_convergence = nullptr;
  for (const auto& s : r.series) {
    max_abs = std::max(max_abs, std::fabs(s.time_error_s));
    if (s.state != SyncState::kLocked) {
      converged = false;
      run.clear();
      continue;
    }
    if (converged) {
      steady.push_back(s.time_error_s);
      continue;
    }
    if (std::fabs(s.time_error_s) * 1e9 >= p.converged_ns) {
      run.clear();
      continue;
    }
    run.push_back(&s);
    if (s.t_s - run.front()->t_s >= p.converged_hold_s) {
      converged = true;
      if (first_convergence.is_null()) first_convergence = round_to(run.front()->t_s, 1e-6);
      for (const auto* x : run) steady.push_back(x->time_error_s);
    }
  }
  if (steady.empty()) {
    j["steady_state"] = nullptr;  // never locked and converged
  } else {
    j["steady_state"] = distribution_json(summarize_abs(steady), 1e9);
  }
  j["first_converged_s"] = first_convergence;
  j["max_abs_ns"] = round_to(max_abs * 1e9, 1e-3);
  J checkpoints = J::array();
  size_t next = 0;
  const double marks[] = {1, 10, 60, 600, 3600, 36000, 86400};
  for (double m : marks) {
    if (m > p.duration_s) break;
    while (next < r.series.size() && r.series[next].t_s < m - 1e-9) ++next;
    if (next >= r.series.size()) break;
    const auto& s = r.series[next];
    J c = {{"t_s", round_to(s.t_s, 1e-6)},
           {"state", sync_state_name(s.state)},
           {"error_ns", round_to(s.time_error_s * 1e9, 1e-3)}};
    if (!p.gnss.present) {
      // Never disciplined: the oscillator's own x(t) = x0 + y0 t + D t^2 / 2 + temperature term.
      const Oscillator free_running(p.unit.oscillator);
      c["closed_form_ns"] = round_to(
          (p.unit.servo.initial_error_us * 1e-6 + free_running.deterministic_time_error(s.t_s)) *
              1e9,
          1e-3);
    }
    checkpoints.push_back(c);
  }
  j["checkpoints"] = checkpoints;
  if (!r.series.empty()) {
    j["at_end_ns"] = round_to(r.series.back().time_error_s * 1e9, 1e-3);
  }
  return j;
}

// Per camera frame, the camera-IMU skew of the stamps the pipeline uses (hardware when the unit
// stamps, else software); empty without an IMU.
std::vector<double> frame_imu_skews(const PreparedSync& prepared, const SyncResult& r) {
  const SensorResult *camera = nullptr, *imu = nullptr;
  for (const auto& s : r.sensors) {
    if (s.params.name == "camera") camera = &s;
    if (s.params.name == "imu") imu = &s;
  }
  if (!camera || !imu) return {};
  return pair_skews(camera->samples, imu->samples,
                    prepared.params.hardware ? StampMethod::kHardware : StampMethod::kSoftware);
}

J pipeline_json(const PreparedSync& prepared, const SyncResult& r,
                const std::vector<double>& imu_skews) {
  const PipelineParams& pp = prepared.params.pipeline;
  const PreparedRun& acc = *prepared.accelerator;
  std::vector<double> latency, inference, wait, to_arrival, skews;
  int64_t dropped = 0, late = 0, in_flight = 0;
  for (const auto& f : r.frames) {
    const size_t k = static_cast<size_t>(f.frame.index);
    if (k < imu_skews.size()) skews.push_back(imu_skews[k]);
    if (f.dropped) {
      ++dropped;
      continue;
    }
    if (f.end < 0) {
      ++in_flight;
      continue;
    }
    const double l = f.end - f.frame.t_event;
    latency.push_back(l);
    inference.push_back(f.end - f.start);
    wait.push_back(std::max(0.0, f.start - f.frame.arrival));
    to_arrival.push_back(f.frame.arrival - f.frame.t_event);
    if (l > pp.deadline_s) ++late;
  }
  const std::string& name = acc.params.name;
  // Average power over the run: every inference's energy (its leakage included) plus leakage
  // while idle.
  double energy_pj = 0, busy_s = 0;
  for (double e : r.inference_energy_pj) energy_pj += e;
  for (double t : inference) busy_s += t;
  const double duration = prepared.params.duration_s;
  const double power_mw =
      (energy_pj * 1e-12 + r.leakage_mw * 1e-3 * std::max(0.0, duration - busy_s)) / duration * 1e3;
  const Distribution s = summarize_abs(skews);
  const double speed = prepared.params.vehicle_speed_mps;
  J skew = nullptr, spatial = nullptr;
  if (!skews.empty()) {
    skew = distribution_json(s, 1e9);
    spatial = J{{"mean", round_to(s.mean * speed, 1e-9)},
                {"p99", round_to(s.p99 * speed, 1e-9)},
                {"max", round_to(s.max * speed, 1e-9)}};
  }
  return J{{"stamps", prepared.params.hardware ? "hardware" : "software"},
           {"camera_imu_skew_ns", skew},
           {"camera_imu_spatial_error_m", spatial},
           {"accelerator", name.empty() ? acc.config.source : name},
           {"workload", acc.workload.name},
           {"frames", static_cast<int64_t>(r.frames.size())},
           {"inferred", static_cast<int64_t>(latency.size())},
           {"dropped", dropped},
           {"in_flight_at_end", in_flight},
           {"deadline_ms", round_to(pp.deadline_s * 1e3, 1e-6)},
           {"late", late},
           {"deadline_misses", late + dropped},
           {"sensor_to_result_ms", distribution_json(summarize(latency), 1e3)},
           {"exposure_to_arrival_ms", distribution_json(summarize(to_arrival), 1e3)},
           {"queue_wait_ms", distribution_json(summarize(wait), 1e3)},
           {"inference_ms", distribution_json(summarize(inference), 1e3)},
           {"energy_per_inference_uj", distribution_json(summarize(r.inference_energy_pj), 1e-6)},
           {"accelerator_power_mw", round_to(power_mw, 1e-6)}};
}

J build_report(const PreparedSync& prepared, const SyncResult& r,
               const std::vector<PairSkews>& all_pairs, const std::vector<double>& frame_skews) {
  const SyncParams& p = prepared.params;
  J report;
  report["config"] = prepared.config.source;
  report["mode"] = p.hardware ? "hardware" : "software_only";
  report["duration_s"] = p.duration_s;
  report["seed"] = p.seed;
  const OscillatorParams& o = p.unit.oscillator;
  report["oscillator"] = {{"preset", o.preset},
                          {"freq_mhz", o.freq_mhz},
                          {"offset_ppm", o.offset_ppm},
                          {"aging_ppm_per_day", o.aging_ppm_per_day},
                          {"tempco_ppm_per_k", o.tempco_ppm_per_k},
                          {"frequency_noise_ppb", o.frequency_noise_ppb},
                          {"phase_noise_ps", o.phase_noise_ps}};
  if (p.hardware) {
    report["gnss"] = {{"present", p.gnss.present},
                      {"pps_jitter_ns", p.gnss.pps_jitter_ns},
                      {"outages_s", p.outages_text}};
    report["sync_unit"] = {{"counter_resolution_ns", round_to(r.tick_s * 1e9, 1e-6)},
                           {"final_state", r.final_state},
                           {"steps", r.steps},
                           {"backward_steps", r.backward_steps},
                           {"counter_went_backwards", r.backward_readings > 0},
                           {"slew_limited_updates", r.slew_limited}};
    report["time_error_ns"] = time_error_json(prepared, r);
    report["holdover"] = holdover_json(prepared, r);
  }
  J sensors = J::array();
  const OsLatency model(p.os_latency);
  for (const auto& s : r.sensors) {
    J j = {{"name", s.params.name},
           {"rate_hz", s.params.rate_hz},
           {"triggered", s.params.triggered},
           {"samples", static_cast<int64_t>(s.samples.size())}};
    if (p.hardware) {
      std::vector<double> err;
      for (const auto& x : s.samples) err.push_back(x.hw_stamp - x.t_event);
      j["hardware_stamp_error_ns"] = distribution_json(summarize_abs(err), 1e9);
    }
    j["software_stamp_delay_ms"] =
        distribution_json(summarize(software_stamp_errors(s.samples)), 1e3);
    J os = distribution_json(summarize(os_latencies(s.samples)), 1e6);
    os["configured_p50"] = round_to(model.quantile(0.5) * 1e6, 1e-3);
    os["configured_p99"] = round_to(model.quantile(0.99) * 1e6, 1e-3);
    j["os_latency_us"] = os;
    sensors.push_back(j);
  }
  report["sensors"] = sensors;
  J pairs = J::array();
  for (const auto& ps : all_pairs) {
    const Distribution d = summarize_abs(ps.skews);
    J spatial = {{"mean", round_to(d.mean * p.vehicle_speed_mps, 1e-9)},
                 {"p99", round_to(d.p99 * p.vehicle_speed_mps, 1e-9)},
                 {"max", round_to(d.max * p.vehicle_speed_mps, 1e-9)}};
    pairs.push_back({{"sensors", {ps.a, ps.b}},
                     {"method", method_name(ps.method)},
                     {"skew_ns", distribution_json(d, 1e9)},
                     {"spatial_error_m", spatial}});
  }
  report["pairs"] = pairs;
  report["vehicle_speed_mps"] = p.vehicle_speed_mps;
  if (prepared.accelerator) report["pipeline"] = pipeline_json(prepared, r, frame_skews);
  J stats = J::object();
  for (const auto& s : r.stats) {
    stats[s.path] = {{"value", s.value}, {"unit", s.unit}, {"description", s.description}};
  }
  report["stats"] = stats;
  return report;
}

}  // namespace

J sync_report(const PreparedSync& prepared, const SyncResult& r) {
  return build_report(prepared, r, all_pair_skews(prepared, r), frame_imu_skews(prepared, r));
}

std::vector<OutputFile> sync_outputs(const PreparedSync& prepared, const SyncResult& r) {
  const std::vector<PairSkews> pairs = all_pair_skews(prepared, r);
  const std::vector<double> frame_skews = frame_imu_skews(prepared, r);
  std::vector<OutputFile> files = {
      {"sync_report.json", json_text(build_report(prepared, r, pairs, frame_skews), 2) + "\n"},
      {"skew_histogram.csv", skew_histogram_csv(pairs)},
      {"config.resolved.json", json_text(prepared.config.values, 2) + "\n"},
  };
  if (prepared.params.hardware) {
    files.push_back({"time_error.csv", time_error_csv(r)});
    files.push_back({"waveform.vcd", r.vcd});
  }
  if (prepared.accelerator) files.push_back({"frames.csv", frames_csv(prepared, r, frame_skews)});
  return files;
}

std::string sync_summary(const J& report) {
  // Terminal summary: every figure in the unit that fits it (sync_report.json keeps fixed units).
  const auto ns = [](const J& v) { return human_duration(v.get<double>() * 1e-9); };
  const auto ms = [](const J& v) { return human_duration(v.get<double>() * 1e-3); };
  std::ostringstream out;
  out << "mode " << report["mode"].get<std::string>() << ", "
      << human_duration(report["duration_s"].get<double>());
  if (report.contains("time_error_ns")) {
    const J& t = report["time_error_ns"];
    if (!t["steady_state"].is_null()) {
      out << "; time error steady-state p99 " << ns(t["steady_state"]["p99"]);
    }
    out << "; max |time error| " << ns(t["max_abs_ns"]);
  }
  out << "\n";
  for (const auto& p : report["pairs"]) {
    out << "  " << p["sensors"][0].get<std::string>() << "-" << p["sensors"][1].get<std::string>()
        << " " << p["method"].get<std::string>() << ": skew p50 " << ns(p["skew_ns"]["p50"])
        << ", p99 " << ns(p["skew_ns"]["p99"]) << ", max " << ns(p["skew_ns"]["max"])
        << " (p99 spatial error " << human_length(p["spatial_error_m"]["p99"].get<double>())
        << ")\n";
  }
  if (report.contains("holdover")) {
    for (const auto& h : report["holdover"]) {
      if (!h["entered_holdover"].get<bool>()) continue;
      out << "  outage " << three_significant(h["outage_start_s"].get<double>()) << "-"
          << three_significant(h["outage_end_s"].get<double>()) << " s: max |error| "
          << ns(h["max_abs_error_ns"]) << ", "
          << (h["reconvergence_s"].is_null()
                  ? std::string("not re-converged by the end of the run")
                  : "re-converged after " + human_duration(h["reconvergence_s"].get<double>()))
          << "\n";
    }
  }
  if (report.contains("pipeline")) {
    const J& p = report["pipeline"];
    out << "  pipeline " << p["workload"].get<std::string>() << " on "
        << p["accelerator"].get<std::string>() << ": " << p["inferred"] << " frames, latency p99 "
        << ms(p["sensor_to_result_ms"]["p99"]) << ", inference " << ms(p["inference_ms"]["mean"])
        << ", " << three_significant(p["energy_per_inference_uj"]["mean"].get<double>())
        << " uJ/inference, " << three_significant(p["accelerator_power_mw"].get<double>())
        << " mW average, deadline misses " << p["deadline_misses"] << "\n";
  }
  return out.str();
}

}  // namespace strata
