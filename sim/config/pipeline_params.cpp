#include "sim/config/pipeline_params.h"

#include <filesystem>
#include <utility>

#include "common/input_error.h"
#include "sim/config/dram_params.h"

namespace strata {
namespace {

std::vector<ParamSpec> build_pipeline_specs() {
  std::vector<ParamSpec> s = sync_param_specs();
  for (const auto& spec : param_specs()) {
    if (spec.path == "description" || spec.path == "energy.tech_table" ||
        spec.path.rfind("dram.", 0) == 0) {
      s.push_back(spec);
    }
  }
  s.push_back(
      string_param("name", "", "name of this pipeline in its reports (default: the file's)"));
  for (const auto& [sensor, what] : std::vector<std::pair<std::string, std::string>>{
           {"camera", "camera"}, {"imu", "IMU"}, {"lidar", "LiDAR"}}) {
    s.push_back(int_param(
        "sensors." + sensor + ".data_bytes", "B", 0, 0, int64_t(1) << 32,
        "bytes the " + what + "'s DMA writes to the shared DRAM per sample (0: not modelled)"));
  }
  s.push_back(int_param("host.cores", "cores", 4, 1, 256, "host CPU cores running host nodes"));
  s.push_back(float_param("host.freq_mhz", "MHz", 2000, 1, 100000, false, "host core clock"));
  s.push_back(float_param("host.pj_per_cycle", "pJ", 300, 0, 1e6, false,
                          "energy of one busy core cycle (strata's assumption: ~0.6 W per core at "
                          "2 GHz, a mobile big core's order of magnitude)"));
  s.push_back(choice_param("host.policy", "fifo", {"fifo", "priority", "edf"},
                           "how the host picks among its nodes' waiting jobs"));
  s.push_back(int_param("pipeline.max_jobs", "jobs", 1000000, 1, 2000000,
                        "jobs one run may record (about 6.4 KB each at the peak, its outputs "
                        "included: 10^6 jobs took 6.3 GB)"));
  s.push_back(float_param("geometry.focal_px", "px", 0, 0, 1e6, false,
                          "camera focal length: with it, fusion stamp errors are also reported as "
                          "image motion error (0: not reported)"));
  s.push_back(float_param("geometry.range_m", "m", 10, 0.01, 1e6, false,
                          "range of the scene point the motion error is quoted for"));
  s.push_back(float_param("pipeline.trace_s", "s", 10, 0, 1e6, false,
                          "trace.json covers the jobs and samples of [0, this] s of simulated time "
                          "(an hour of a 400 Hz IMU would be ~1 GB)"));
  s.push_back(float_param("pipeline.quantum_us", "us", 10, 0.01, 1e6, false,
                          "every engine's temporal-decoupling quantum (replaces its "
                          "sim.quantum_us): how far an engine runs ahead of the others; smaller "
                          "interleaves their DRAM traffic more finely"));
  return s;
}

// The sync keys a pipeline config may not use (its graph replaces the one-network pipeline).
void refuse_sync_pipeline(const ResolvedConfig& c) {
  if (c.get_bool("pipeline.enabled")) {
    throw InputError(c.source +
                     ": pipeline.enabled: a pipeline config's work is its nodes; remove "
                     "pipeline.enabled (strata sync's one-network pipeline)");
  }
}

}  // namespace

const std::vector<ParamSpec>& pipeline_param_specs() {
  static const std::vector<ParamSpec> specs = build_pipeline_specs();
  return specs;
}

PipelineKeys make_pipeline_keys(const ResolvedConfig& c) {
  refuse_sync_pipeline(c);
  PipelineKeys k;
  k.sync = make_sync_params(c);
  const std::string name = c.get_string("name");
  k.name = name.empty() ? std::filesystem::path(c.source).stem().string() : name;
  k.focal_px = c.get_float("geometry.focal_px");
  k.range_m = c.get_float("geometry.range_m");
  k.trace_window_s = c.get_float("pipeline.trace_s");
  k.dram = make_dram_params(c);
  k.host_cores = static_cast<int>(c.get_int("host.cores"));
  k.host_freq_mhz = c.get_float("host.freq_mhz");
  k.host_pj_per_cycle = c.get_float("host.pj_per_cycle");
  parse_schedule_policy(c.get_string("host.policy"), &k.host_policy);
  for (const char* sensor : {"camera", "imu", "lidar"}) {
    k.sensor_data_bytes[sensor] = c.get_int(std::string("sensors.") + sensor + ".data_bytes");
  }
  k.max_jobs = c.get_int("pipeline.max_jobs");
  return k;
}

}  // namespace strata
