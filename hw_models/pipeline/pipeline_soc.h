#pragma once
// The multi-engine SoC running a task graph (docs/pipeline.md): engines (accelerator SoCs, each
// with its vector unit), a host CPU of several cores and the sensors' DMA, all on one DRAM
// channel, and a dispatcher that releases jobs as sensor data lands and jobs end, and starts them
// as the graph runtime's policies say. DNN and vector jobs run on their engine's controller; host
// jobs read their inputs from DRAM, compute for the kernel's cycles and write their output.
#include <tlm_utils/simple_initiator_socket.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <systemc>
#include <vector>

#include "hw_models/memory/dram.h"
#include "hw_models/pipeline/graph_runtime.h"
#include "hw_models/pipeline/host_kernels.h"
#include "hw_models/soc/soc.h"

namespace strata {

struct PipelineEngine {
  std::string name;
  SocParams soc;
  std::vector<const Workload*> workloads;  // its DNN nodes' (outliving the SoC)
};

// What one node's jobs do, in the graph's node order.
struct NodeWork {
  NodeKind kind = NodeKind::kHost;
  int engine = -1;                                    // engines index for DNN and vector nodes
  size_t workload = 0;                                // DNN: index into the engine's workloads
  VectorWork vector;                                  // vector: the operation
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;  // vector and host: their DRAM traffic
  HostKernel kernel;                                  // host
  int64_t elements = 0;                               // host: the kernel's elements per job
};

struct PipelineHooks {
  // An engine's DNN job: around each of its layers (the job's id, the layer's index).
  std::function<void(size_t engine, size_t job, size_t layer)> layer_started;
  std::function<void(size_t engine, size_t job, size_t layer, const LayerTiming&)> layer_ended;
  // An engine's vector job as it ran.
  std::function<void(size_t engine, size_t job, const VectorLayerTiming&)> vector_done;
  // A host job when it starts: its compute cycles and DRAM traffic.
  std::function<void(size_t job, int64_t cycles, int64_t read_bytes, int64_t write_bytes)>
      host_started;
};

class PipelineSoc : public sc_core::sc_module {
 public:
  // `graph` is validated; `work` in its node order; `source_bytes` per graph source (what its
  // DMA writes to DRAM per sample; 0: nothing modelled).
  PipelineSoc(sc_core::sc_module_name name, const TaskGraph& graph,
              const std::vector<PipelineEngine>& engines, const HostParams& host,
              const DramParams& dram, std::vector<NodeWork> work, std::vector<int64_t> source_bytes,
              PipelineHooks hooks);

  // A sample of graph source `source` whose data reaches the SoC at frame.arrival (>= now).
  void submit(size_t source, const FrameRef& frame, double arrival);

  const GraphRuntime& runtime() const { return runtime_; }
  // The SystemC module name of engine `i` ("<this>.<engine name>"), the root of its counters.
  std::string engine_path(size_t i) const;
  const DramChannel& dram() const { return channel_; }
  // The sensors' DMA port's initiator id on the DRAM channel.
  int sensor_dram_initiator() const { return sensor_dram_.initiator(); }
  // Seconds each resource's units were busy (summed over units), in the graph's resource order.
  std::vector<double> busy_s(double now) const;

 private:
  SC_HAS_PROCESS(PipelineSoc);
  void on_wake();
  void dispatch(double now);
  void job_done(size_t job, double start, double end);
  // A DRAM transfer of this SoC's own ports at `now + after`; returns when its data is through.
  double dram_transfer(tlm_utils::simple_initiator_socket<PipelineSoc>& port, bool write,
                       int64_t bytes, double now, double after);

  GraphRuntime runtime_;
  std::vector<NodeWork> work_;
  std::vector<int64_t> source_bytes_;
  HostParams host_;
  PipelineHooks hooks_;
  DramChannel channel_;
  // One DRAM port per host core (each its own initiator: a core's requests queue only behind its
  // own) and one for the sensors' DMA.
  std::vector<std::unique_ptr<Dram>> host_dram_;
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<PipelineSoc>>> host_port_;
  Dram sensor_dram_;
  tlm_utils::simple_initiator_socket<PipelineSoc> sensor_port_;
  uint64_t next_address_ = 0;  // the host's and sensors' DRAM stream
  std::vector<std::unique_ptr<InferenceQueue>> queues_;
  std::vector<std::unique_ptr<Soc>> engines_;
  std::vector<size_t> engine_resource_;  // engine -> graph resource
  std::vector<int64_t> engine_job_;      // engine -> the job it runs (-1: idle)
  std::multimap<double, std::pair<size_t, FrameRef>> arriving_;  // data at the SoC's port
  std::multimap<double, std::pair<size_t, FrameRef>> landed_;    // data in DRAM
  std::multimap<double, size_t> host_ending_;
  std::vector<double> resource_busy_s_;
  sc_core::sc_event_queue wake_;
  std::set<sc_dt::uint64> armed_;  // kernel times (ps values) wake_ is notified for
  void arm(double t_s);            // a wake at t_s, once per kernel time
  StatGroup stats_;
  Counter& jobs_run_;
  Counter& jobs_dropped_;
  Counter& host_cycles_;
};

}  // namespace strata
