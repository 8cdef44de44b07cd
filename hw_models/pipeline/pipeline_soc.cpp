#include "hw_models/pipeline/pipeline_soc.h"

#include <cmath>

#include "hw_models/common/tlm_commands.h"

namespace strata {
namespace {

double now_s() { return sc_core::sc_time_stamp().to_seconds(); }

// The delay from now to `t_s`, rounded up to the kernel's resolution: a wake never comes before
// what it wakes for.
sc_core::sc_time after(double t_s) {
  const double resolution = sc_core::sc_get_time_resolution().to_seconds();
  const double now = now_s();
  if (t_s <= now) return sc_core::SC_ZERO_TIME;
  return sc_core::sc_time::from_value(
      static_cast<sc_dt::uint64>(std::ceil((t_s - now) / resolution - 1e-6)));
}

}  // namespace

PipelineSoc::PipelineSoc(sc_core::sc_module_name name, const TaskGraph& graph,
                         const std::vector<PipelineEngine>& engines, const HostParams& host,
                         const DramParams& dram, std::vector<NodeWork> work,
                         std::vector<int64_t> source_bytes, PipelineHooks hooks)
    : sc_module(name),
      runtime_(graph),
      work_(std::move(work)),
      source_bytes_(std::move(source_bytes)),
      host_(host),
      hooks_(std::move(hooks)),
      channel_(dram),
      sensor_dram_("sensor_dram", dram, &channel_),
      sensor_port_("sensor_port"),
      wake_("wake"),
      jobs_run_(stats_.counter("jobs_run", "jobs", "jobs run to their end")),
      jobs_dropped_(stats_.counter("jobs_dropped", "jobs", "jobs dropped (queue full or late)")),
      host_cycles_(stats_.counter("host_cycles", "cycles", "host core cycles of host jobs")) {
  for (int c = 0; c < host.cores; ++c) {
    const std::string n = std::to_string(c);
    host_dram_.push_back(std::make_unique<Dram>(("host_dram_" + n).c_str(), dram, &channel_));
    host_port_.push_back(std::make_unique<tlm_utils::simple_initiator_socket<PipelineSoc>>(
        ("host_port_" + n).c_str()));
    host_port_.back()->bind(host_dram_.back()->target);
  }
  sensor_port_.bind(sensor_dram_.target);
  resource_busy_s_.assign(graph.resources.size(), 0);
  for (size_t e = 0; e < engines.size(); ++e) {
    queues_.push_back(std::make_unique<InferenceQueue>((engines[e].name + "_requests").c_str()));
    InferenceQueue& q = *queues_.back();
    q.job_of = [this](int64_t job) {
      const NodeWork& w = work_[runtime_.jobs()[static_cast<size_t>(job)].node];
      InferenceJob j;
      j.workload = w.workload;
      j.vector_only = w.kind == NodeKind::kVector;
      j.vector = w.vector;
      j.dram_read_bytes = w.dram_read_bytes;
      j.dram_write_bytes = w.dram_write_bytes;
      return j;
    };
    q.on_done = [this](int64_t job, const sc_core::sc_time& start, const sc_core::sc_time& end) {
      job_done(static_cast<size_t>(job), start.to_seconds(), end.to_seconds());
    };
    auto on_start = [this, e](size_t layer, const LayerTiming&) {
      if (hooks_.layer_started) hooks_.layer_started(e, static_cast<size_t>(engine_job_[e]), layer);
    };
    auto on_end = [this, e](size_t layer, const LayerTiming& t) {
      if (hooks_.layer_ended) hooks_.layer_ended(e, static_cast<size_t>(engine_job_[e]), layer, t);
    };
    auto on_vector = [this, e](size_t index, const VectorLayerTiming& t) {
      if (index == Controller::kStandaloneVector && hooks_.vector_done)
        hooks_.vector_done(e, static_cast<size_t>(engine_job_[e]), t);
    };
    engines_.push_back(std::make_unique<Soc>(engines[e].name.c_str(), engines[e].soc,
                                             engines[e].workloads, on_start, on_end, &q, on_vector,
                                             &channel_));
    engine_resource_.push_back(static_cast<size_t>(graph.resource_index(engines[e].name)));
    engine_job_.push_back(-1);
  }
  SC_METHOD(on_wake);
  sensitive << wake_;
  dont_initialize();
}

std::string PipelineSoc::engine_path(size_t i) const { return engines_.at(i)->name(); }

void PipelineSoc::submit(size_t source, const FrameRef& frame, double arrival) {
  arriving_.emplace(arrival, std::make_pair(source, frame));
  arm(arrival);
}

double PipelineSoc::dram_transfer(tlm_utils::simple_initiator_socket<PipelineSoc>& port, bool write,
                                  int64_t bytes, double now, double at) {
  if (bytes <= 0) return now + at;
  tlm::tlm_generic_payload trans;
  // Host and sensor traffic streams through its own region (the fourth; the engines' DMAs use
  // the first three), so a banked DRAM sees rows filled in order rather than one row forever.
  constexpr uint64_t kHostRegion = uint64_t{3} << 40;
  const uint64_t address = kHostRegion + next_address_;
  next_address_ += static_cast<uint64_t>(bytes);
  set_timing_payload(trans, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, address, bytes);
  sc_core::sc_time delay(at, sc_core::SC_SEC);
  port->b_transport(trans, delay);
  return now + delay.to_seconds();
}

void PipelineSoc::arm(double t_s) {
  const sc_core::sc_time delay = after(t_s);
  // One wake per kernel time: the queue keeps every notification, and re-arming a time already
  // armed on each wake would grow it without bound once frames arrive faster than they are served.
  if (armed_.insert((sc_core::sc_time_stamp() + delay).value()).second) wake_.notify(delay);
}

void PipelineSoc::on_wake() {
  armed_.erase(armed_.begin(), armed_.upper_bound(sc_core::sc_time_stamp().value()));
  const double now = now_s();
  // Times are kept in double seconds; the kernel's are whole picoseconds.
  const double eps = sc_core::sc_get_time_resolution().to_seconds() / 2;
  // Sensor data at the port: its DMA writes it to DRAM; the jobs it releases wait for that.
  while (!arriving_.empty() && arriving_.begin()->first <= now + eps) {
    const auto [source, frame] = arriving_.begin()->second;
    arriving_.erase(arriving_.begin());
    const double landed = dram_transfer(sensor_port_, true, source_bytes_[source], now, 0);
    landed_.emplace(landed, std::make_pair(source, frame));
    if (landed > now + eps) arm(landed);
  }
  while (!landed_.empty() && landed_.begin()->first <= now + eps) {
    const auto [source, frame] = landed_.begin()->second;
    landed_.erase(landed_.begin());
    runtime_.source_ready(source, frame, now);
  }
  while (!host_ending_.empty() && host_ending_.begin()->first <= now + eps) {
    const size_t job = host_ending_.begin()->second;
    host_ending_.erase(host_ending_.begin());
    job_done(job, runtime_.jobs()[job].start, now);
  }
  dispatch(now);
  // Re-arm for the earliest of what is still pending (a notification may have been merged).
  for (const double t : {arriving_.empty() ? -1.0 : arriving_.begin()->first,
                         landed_.empty() ? -1.0 : landed_.begin()->first,
                         host_ending_.empty() ? -1.0 : host_ending_.begin()->first}) {
    if (t >= 0) arm(t);
  }
}

void PipelineSoc::job_done(size_t job, double start, double end) {
  const size_t node = runtime_.jobs()[job].node;
  const NodeWork& w = work_[node];
  if (w.engine >= 0) engine_job_[static_cast<size_t>(w.engine)] = -1;
  const size_t resource =
      static_cast<size_t>(runtime_.graph().resource_index(runtime_.graph().nodes[node].resource));
  resource_busy_s_[resource] += end - start;
  jobs_run_.add(1);
  runtime_.job_done(job, end);
  dispatch(end);
}

void PipelineSoc::dispatch(double now) {
  for (const size_t job : runtime_.start_ready(now)) {
    const NodeWork& w = work_[runtime_.jobs()[job].node];
    if (w.engine >= 0) {
      engine_job_[static_cast<size_t>(w.engine)] = static_cast<int64_t>(job);
      queues_[static_cast<size_t>(w.engine)]->requests.nb_write(static_cast<int64_t>(job));
      continue;
    }
    // A host job: read its inputs, compute on one core, write its output; DRAM shared.
    const int64_t cycles = host_kernel_cycles(w.kernel, w.elements);
    host_cycles_.add(cycles);
    if (hooks_.host_started)
      hooks_.host_started(job, cycles, w.dram_read_bytes, w.dram_write_bytes);
    auto& port = *host_port_[static_cast<size_t>(runtime_.jobs()[job].unit)];
    const double read_done = dram_transfer(port, false, w.dram_read_bytes, now, 0);
    const double computed = read_done + static_cast<double>(cycles) / (host_.freq_mhz * 1e6);
    const double end = dram_transfer(port, true, w.dram_write_bytes, now, computed - now);
    host_ending_.emplace(end, job);
    arm(end);
  }
  jobs_dropped_.value = runtime_.dropped();
}

std::vector<double> PipelineSoc::busy_s(double now) const {
  std::vector<double> busy = resource_busy_s_;
  for (const auto& j : runtime_.jobs()) {
    if (j.state != JobState::kRunning) continue;
    busy[static_cast<size_t>(
        runtime_.graph().resource_index(runtime_.graph().nodes[j.node].resource))] += now - j.start;
  }
  return busy;
}

}  // namespace strata
