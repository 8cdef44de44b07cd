// The pipeline's pure parts: the shared DRAM channel's calendar, the task graph's validation and
// the job runtime's joins, policies and drops.
#include <gtest/gtest.h>

#include "common/input_error.h"
#include "hw_models/memory/dram_timing.h"
#include "hw_models/pipeline/graph_runtime.h"
#include "hw_models/pipeline/task_graph.h"

namespace strata {
namespace {

DramParams dram_1gbps() {
  DramParams p;
  p.bandwidth_gbps = 1;  // 1 byte per ns: 64 B take 64,000 ps
  p.latency_ns = 10;
  p.burst_bytes = 64;
  return p;
}

TEST(SharedDram, OneInitiatorIsAFifoBus) {
  DramChannel c(dram_1gbps());
  EXPECT_EQ(c.access(0, 64), 64000 + 10000);
  // Made earlier than the bus frees: waits behind the first.
  EXPECT_EQ(c.access(1000, 128), 64000 + 128000 + 10000);
  // Made after: starts when made.
  EXPECT_EQ(c.access(500000, 64), 500000 + 64000 + 10000);
  EXPECT_EQ(c.busy_ps(), 256000);
}

TEST(SharedDram, AnInitiatorRunningAheadDoesNotBlockAnotherInItsPast) {
  DramChannel c(dram_1gbps());
  const int a = c.add_initiator(), b = c.add_initiator();
  // a, ahead of the kernel, reserves the bus at 1 us; b's request at 0 fits before it.
  EXPECT_EQ(c.access(1000000, 640, a), 1000000 + 640000 + 10000);
  EXPECT_EQ(c.access(0, 640, b), 640000 + 10000);
  // A request that does not fit in the gap before a's is split around it: the gap from 640,000
  // to 1,000,000 ps takes 360,000 of its 640,000 ps, the other 280,000 follow a's end.
  const int64_t done = c.access(640000, 640, b);
  EXPECT_EQ(done, 1640000 + 280000 + 10000);
}

TEST(SharedDram, TwoStreamingInitiatorsEachGetHalfTheBandwidth) {
  DramChannel c(dram_1gbps());
  const int a = c.add_initiator(), b = c.add_initiator();
  int64_t ta = 0, tb = 0;
  // Each streams 100 bursts, one after the other (a request when its previous one is through).
  for (int i = 0; i < 100; ++i) {
    ta = c.access(ta, 64, a) - 10000;
    tb = c.access(tb, 64, b) - 10000;
  }
  // Alone each would take 6.4 us; together both end by 12.8 us.
  EXPECT_EQ(std::max(ta, tb), 12800000);
  EXPECT_GT(std::min(ta, tb), 12800000 - 64000 - 1);
}

TaskGraph camera_graph() {
  TaskGraph g;
  g.sources = {{"camera", 0.001}, {"imu", 0.0001}};
  g.resources = {{"npu", 1, SchedulePolicy::kFifo}, {"host", 2, SchedulePolicy::kFifo}};
  TaskNode pre;
  pre.name = "pre";
  pre.resource = "host";
  pre.inputs = {{"camera"}};
  pre.min_service_s = 0.002;
  TaskNode det = pre, depth = pre, fuse = pre;
  det.name = "det";
  det.kind = NodeKind::kDnn;
  det.resource = "npu";
  det.inputs = {{"pre"}};
  det.min_service_s = 0.010;
  depth = det;
  depth.name = "depth";
  fuse.name = "fuse";
  fuse.inputs = {{"det"}, {"depth"}, {"imu", true}};
  fuse.min_service_s = 0.001;
  // Declared out of order: validate() sorts them.
  g.nodes = {fuse, pre, det, depth};
  g.sink = "fuse";
  return g;
}

TEST(TaskGraph, OrdersNodesAndFindsOriginsAndLeastLatencies) {
  TaskGraph g = camera_graph();
  g.validate();
  ASSERT_EQ(g.nodes.size(), 4u);
  EXPECT_EQ(g.nodes[0].name, "pre");
  EXPECT_EQ(g.nodes[3].name, "fuse");
  EXPECT_EQ(g.origin_of(3), "camera");
  // camera 1 ms + pre 2 ms + det 10 ms + fuse 1 ms.
  EXPECT_NEAR(g.min_latency_s(3), 0.014, 1e-12);
}

void expect_invalid(TaskGraph g, const std::string& needle) {
  try {
    g.validate();
    FAIL() << "accepted; expected an error containing " << needle;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(TaskGraph, BadGraphsAreRefusedNamingTheNode) {
  TaskGraph g = camera_graph();
  g.nodes[0].inputs.push_back({"fuse_out"});
  expect_invalid(g, "node \"fuse\": input \"fuse_out\" is neither");
  g = camera_graph();
  g.nodes[1].inputs = {{"fuse"}};  // pre <- fuse <- det <- pre
  expect_invalid(g, "on a cycle");
  g = camera_graph();
  g.nodes[2].resource = "gpu";
  expect_invalid(g, "node \"det\": unknown engine \"gpu\"");
  g = camera_graph();
  g.nodes[3].inputs.clear();
  expect_invalid(g, "node \"depth\": has no input");
  g = camera_graph();
  g.nodes[0].deadline_s = 0.010;
  expect_invalid(g, "node \"fuse\": its deadline of 10 ms cannot be met");
  g = camera_graph();
  g.nodes[0].inputs[2].latest = false;
  expect_invalid(g, "node \"fuse\": trigger inputs come from different sensors");
  g = camera_graph();
  g.sink = "nowhere";
  expect_invalid(g, "the sink \"nowhere\" is not a node");
}

FrameRef frame(int source, int64_t index, double t) { return {source, index, t, t}; }

TEST(GraphRuntime, AJoinWaitsForBothInputsAndSamplesLatestInputs) {
  TaskGraph g = camera_graph();
  g.validate();
  GraphRuntime rt(g);
  rt.source_ready(1, frame(1, 7, 0.0), 0.0);  // an IMU sample
  rt.source_ready(0, frame(0, 0, 0.0), 0.001);
  auto s = rt.start_ready(0.001);
  ASSERT_EQ(s.size(), 1u);  // pre on the host
  rt.job_done(s[0], 0.003);
  s = rt.start_ready(0.003);
  ASSERT_EQ(s.size(), 1u);  // det and depth wait for the one npu: det first (FIFO, then order)
  EXPECT_EQ(g.nodes[rt.jobs()[s[0]].node].name, "det");
  rt.job_done(s[0], 0.013);
  s = rt.start_ready(0.013);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(g.nodes[rt.jobs()[s[0]].node].name, "depth");  // fuse still waits for depth
  rt.job_done(s[0], 0.023);
  s = rt.start_ready(0.023);
  ASSERT_EQ(s.size(), 1u);
  const JobRecord& fuse = rt.jobs()[s[0]];
  EXPECT_EQ(g.nodes[fuse.node].name, "fuse");
  ASSERT_EQ(fuse.inputs.size(), 3u);
  EXPECT_EQ(fuse.inputs[2].index, 7);  // the IMU's latest sample
  EXPECT_EQ(fuse.frame.index, 0);
}

TEST(GraphRuntime, FullQueuesDropTheOldestAndLateJobsAreSkipped) {
  TaskGraph g = camera_graph();
  for (auto& n : g.nodes) n.queue_depth = 1;
  g.validate();
  GraphRuntime rt(g);
  // Four frames land before the host picks any: a queue of depth 1 keeps only the newest.
  for (int i = 0; i < 4; ++i) rt.source_ready(0, frame(0, i, 0), 0);
  auto s = rt.start_ready(0);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(rt.jobs()[s[0]].frame.index, 3);
  int dropped = 0;
  for (const auto& j : rt.jobs()) dropped += j.state == JobState::kDropped;
  EXPECT_EQ(dropped, 3);

  TaskGraph h = camera_graph();
  for (auto& n : h.nodes) {
    if (n.name == "det") {
      n.skip_late = true;
      n.deadline_s = 0.015;
    }
  }
  h.validate();
  GraphRuntime late(h);
  late.source_ready(0, frame(0, 0, 0), 0);
  auto p = late.start_ready(0);
  late.job_done(p[0], 0.020);                         // pre ends after det's deadline
  EXPECT_TRUE(late.start_ready(0.020).size() == 1u);  // depth starts; det was dropped as late
  bool det_late = false;
  for (const auto& j : late.jobs())
    det_late |= h.nodes[j.node].name == "det" && j.state == JobState::kDropped &&
                std::string(j.drop_reason) == "late";
  EXPECT_TRUE(det_late);
}

TEST(GraphRuntime, PoliciesPickDifferentJobs) {
  for (SchedulePolicy policy :
       {SchedulePolicy::kFifo, SchedulePolicy::kPriority, SchedulePolicy::kEdf}) {
    TaskGraph g;
    g.sources = {{"a", 0}, {"b", 0}};
    g.resources = {{"npu", 1, policy}};
    TaskNode x;
    x.name = "x";
    x.kind = NodeKind::kDnn;
    x.resource = "npu";
    x.inputs = {{"a"}};
    x.deadline_s = 0.100;
    TaskNode y = x;
    y.name = "y";
    y.inputs = {{"b"}};
    y.deadline_s = 0.050;
    y.priority = 1;
    TaskNode z = x;  // keeps the npu busy while x and y queue
    z.name = "z";
    g.nodes = {z, x, y};
    g.sink = "x";
    g.validate();
    GraphRuntime rt(g);
    rt.source_ready(0, frame(0, 0, 0), 0);
    auto s = rt.start_ready(0);  // z or x: both from a
    ASSERT_EQ(s.size(), 1u);
    rt.source_ready(1, frame(1, 0, 0), 0.001);
    rt.job_done(s[0], 0.002);
    s = rt.start_ready(0.002);
    ASSERT_EQ(s.size(), 1u);
    const std::string picked = g.nodes[rt.jobs()[s[0]].node].name;
    // FIFO: the job released first (x's, at 0); priority and EDF: y's.
    EXPECT_EQ(picked, policy == SchedulePolicy::kFifo ? "x" : "y") << schedule_policy_name(policy);
  }
}

}  // namespace
}  // namespace strata
