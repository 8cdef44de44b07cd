// Small SoCs simulated end to end. Each test elaborates one SoC, so ctest runs each in its own
// process.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <tuple>

#include "hw_models/common/stats.h"
#include "hw_models/soc/tiling.h"
#include "sim/config/component_params.h"
#include "sim/run/simulation.h"
#include "support/prepared_run.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

Workload small_net() {
  Workload w;
  w.name = "small";
  Layer c;
  c.name = "conv";
  c.in_h = c.in_w = 20;
  c.in_c = 24;
  c.out_c = 40;
  c.kernel_h = c.kernel_w = 3;
  c.pad_h = c.pad_w = 1;
  Layer g;
  g.name = "fc";
  g.type = LayerType::kGemm;
  g.m = 7;
  g.k = 300;
  g.n = 50;
  w.layers = {c, g};
  return w;
}

int64_t stat(const RunResult& r, const std::string& path) { return r.totals.counts.at(path); }

class SocRun : public ::testing::TestWithParam<std::string> {};

TEST_P(SocRun, InvariantsHoldWithAmpleBuffers) {
  const nlohmann::json cfg = {{"array", {{"rows", 8}, {"cols", 16}, {"dataflow", GetParam()}}},
                              {"buffers",
                               {{"input", {{"size_kib", 1024}}},
                                {"weight", {{"size_kib", 1024}}},
                                {"output", {{"size_kib", 1024}}}}}};
  const PreparedRun run = test::prepared_run(cfg, small_net());
  const RunResult r = run_simulation(run);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(stat(r, "soc.array.macs"), run.workload.macs());
  int64_t compulsory_read = 0, compulsory_write = 0;
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const Layer& l = run.workload.layers[i];
    const IntervalResult& lr = r.layers[i];
    EXPECT_EQ(lr.counts.at("soc.array.macs"), l.macs());
    EXPECT_GE(lr.timing.cycles * 8 * 16, l.macs());
    EXPECT_EQ(lr.timing.cycles, lr.timing.compute_cycles + lr.timing.stall_cycles);
    EXPECT_EQ(lr.timing.compute_cycles,
              strata_layer_cycles(l, parse_dataflow(GetParam()), {8, 16}));
    const CompulsoryTraffic c = compulsory_traffic(l, OperandBits{});
    compulsory_read += c.input_bytes + c.weight_bytes;
    compulsory_write += c.output_bytes;
  }
  // Everything fits: exactly the compulsory traffic.
  EXPECT_EQ(stat(r, "soc.dram.read_bytes"), compulsory_read);
  EXPECT_EQ(stat(r, "soc.dram.write_bytes"), compulsory_write);
  // Simulated time equals the sum of the layers.
  EXPECT_EQ(sc_core::sc_time_stamp(),
            sc_core::sc_time(1.0, sc_core::SC_NS) * static_cast<double>(r.totals.timing.cycles));
}

INSTANTIATE_TEST_SUITE_P(Dataflows, SocRun, ::testing::Values("os", "ws", "is"));

// Every layer's compute cycles in the scalesim convention equal docs/references.md §7's formula,
// for several topologies (convolutions, depthwise, GEMMs) and all three dataflows.
class ScaleSimRun : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(ScaleSimRun, ComputeCyclesMatchFormulaPerLayer) {
  const auto& [dataflow, network] = GetParam();
  const nlohmann::json cfg = {{"array", {{"rows", 32}, {"cols", 16}, {"dataflow", dataflow}}},
                              {"timing", {{"convention", "scalesim"}}}};
  const PreparedRun run = test::prepared_run(cfg, zoo_workload(network));
  const RunResult r = run_simulation(run);
  ASSERT_EQ(r.layers.size(), run.workload.layers.size());
  for (size_t i = 0; i < r.layers.size(); ++i) {
    EXPECT_EQ(r.layers[i].timing.compute_cycles,
              scalesim_layer_cycles(run.workload.layers[i], parse_dataflow(dataflow), {32, 16}))
        << run.workload.layers[i].name;
  }
}

INSTANTIATE_TEST_SUITE_P(Topologies, ScaleSimRun,
                         ::testing::Combine(::testing::Values("os", "ws", "is"),
                                            ::testing::Values("resnet18", "mobilenet_v2",
                                                              "bert_base:seq_len=128")),
                         [](const auto& info) {
                           std::string name =
                               std::get<0>(info.param) + "_" + std::get<1>(info.param);
                           for (auto& c : name)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(SocRunMemory, SlowDramStallsTheArray) {
  const nlohmann::json cfg = {{"dram", {{"bandwidth_gbps", 0.5}, {"latency_ns", 0}}}};
  const PreparedRun run = test::prepared_run(cfg, small_net());
  const RunResult r = run_simulation(run);
  const int64_t bytes = stat(r, "soc.dram.read_bytes") + stat(r, "soc.dram.write_bytes");
  // 0.5 GB/s at 1 GHz = 0.5 B/cycle: the DMA alone needs at least 2 cycles per (burst) byte.
  EXPECT_GE(r.totals.timing.cycles, 2 * bytes);
  EXPECT_GT(r.totals.timing.stall_cycles, r.totals.timing.compute_cycles);
  EXPECT_EQ(stat(r, "soc.controller.stall_cycles"), r.totals.timing.stall_cycles);
}

TEST(SocRunMemory, FastDramIsHiddenBehindCompute) {
  // With ample bandwidth and no latency, double buffering hides every transfer but each layer's
  // first load and last store.
  const nlohmann::json cfg = {{"dram", {{"bandwidth_gbps", 1000.0}, {"latency_ns", 0}}}};
  const PreparedRun run = test::prepared_run(cfg, zoo_workload("resnet18"));
  const RunResult r = run_simulation(run);
  const int64_t array_stall = r.totals.timing.stall_cycles - r.totals.timing.vector_stall_cycles;
  EXPECT_LT(array_stall, r.totals.timing.cycles / 50);
}

TEST(SocRunStats, EveryComponentOwnsNamedStatsWithUnits) {
  const PreparedRun run = test::prepared_run(nlohmann::json::object(), small_net());
  const RunResult r = run_simulation(run);
  std::set<std::string> owners;
  for (const auto& s : r.stat_info) {
    owners.insert(s.path.substr(0, s.path.rfind('.')));
    EXPECT_FALSE(s.unit.empty()) << s.path;
    EXPECT_FALSE(s.description.empty()) << s.path;
  }
  for (const char* m : {"soc.dram", "soc.input_buffer", "soc.weight_buffer", "soc.output_buffer",
                        "soc.dma", "soc.array", "soc.controller"}) {
    EXPECT_TRUE(owners.count(m)) << m;
  }
  // Buffer traffic: whatever the DMA loaded was written into the buffers.
  EXPECT_EQ(stat(r, "soc.dma.load_bytes"), stat(r, "soc.dram.read_bytes"));
  // Output stationary: no partial sums come back, so every DRAM read filled the input or weight
  // buffer.
  EXPECT_EQ(stat(r, "soc.input_buffer.write_bytes") + stat(r, "soc.weight_buffer.write_bytes"),
            stat(r, "soc.dram.read_bytes"));
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// The Gemmini configuration's hierarchy, in the config form the tests build.
nlohmann::json gemmini_config(double dram_gbps) {
  return {{"array", {{"rows", 16}, {"cols", 16}, {"dataflow", "ws"}}},
          {"memory", {{"hierarchy", "scratchpad"}}},
          {"dram", {{"bandwidth_gbps", dram_gbps}, {"latency_ns", 0}}}};
}

Workload mapped_net() {
  Workload w;
  w.name = "mapped";
  Layer mm = gemm_layer("mm", 1, 128, 768, 768);
  mm.mapping = parse_mapping("L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8", "m");
  Layer conv = conv_layer("conv", 1, 58, 64, 64, 3);  // 56 x 56 outputs
  conv.mapping =
      parse_mapping("L3[WIO] P4 Q4 - L2[WI] K16X - L1[O] K4 S3 R3 C4 Q14 C16X - L0[W] P14", "m");
  Layer plain = conv_layer("plain", 1, 14, 256, 256, 1);  // strata's own mapping
  w.layers = {mm, conv, plain};
  return w;
}

// The SoC replays a mapped layer's folds: with memory that keeps up, a layer takes exactly the
// cycles its plan costs, moves exactly the plan's bytes, and reports the mapping it ran.
TEST(SocRunMapped, CyclesAndTrafficEqualThePlanWhenMemoryKeepsUp) {
  const PreparedRun run = test::prepared_run(gemmini_config(1000.0), mapped_net());
  const RunResult r = run_simulation(run);
  ASSERT_EQ(r.layers.size(), 3u);
  int64_t bytes = 0;
  for (size_t i = 0; i < 3; ++i) {
    const Layer& l = run.workload.layers[i];
    const TilingParams& t = run.soc.controller.tiling;
    const MappedOperandBits bits{t.bits.input, t.bits.weight, t.bits.output};
    const Mapping m = l.mapping.empty() ? default_mapping(l, t.hierarchy, bits, l.name) : l.mapping;
    const MappedExecution x = plan_mapped_layer(l, m, t.hierarchy, bits, l.name);
    EXPECT_EQ(r.layers[i].timing.array_cycles, x.cycles) << l.name;
    EXPECT_EQ(r.layers[i].timing.compute_cycles, x.compute_cycles) << l.name;
    EXPECT_EQ(r.layers[i].timing.mapping, format_mapping(m)) << l.name;
    bytes +=
        x.input_bytes + x.weight_bytes + x.psum_read_bytes + x.output_bytes + x.psum_write_bytes;
  }
  EXPECT_EQ(r.layers[2].timing.mapping,
            "L3[WIO] K4 - L2[WI] K16X - L1[O] K4 C16 P14 Q14 C16X - L0[W]");
  EXPECT_EQ(stat(r, "soc.dram.read_bytes") + stat(r, "soc.dram.write_bytes"), bytes);
}

// A memory slower than the DMA the plan assumes stretches the layer: the bytes cannot move in
// the plan's time.
TEST(SocRunMapped, SlowMemoryStretchesAMappedLayer) {
  const PreparedRun run = test::prepared_run(gemmini_config(0.5), mapped_net());
  const RunResult slow = run_simulation(run);
  int64_t planned = 0;
  for (const Layer& l : run.workload.layers) {
    const TilingParams& t = run.soc.controller.tiling;
    const MappedOperandBits bits{t.bits.input, t.bits.weight, t.bits.output};
    const Mapping m = l.mapping.empty() ? default_mapping(l, t.hierarchy, bits, l.name) : l.mapping;
    planned += plan_mapped_layer(l, m, t.hierarchy, bits, l.name).cycles;
  }
  const int64_t bytes = stat(slow, "soc.dram.read_bytes") + stat(slow, "soc.dram.write_bytes");
  EXPECT_GT(slow.totals.timing.cycles, planned);
  EXPECT_GE(slow.totals.timing.cycles, 2 * bytes * 9 / 10);  // 0.5 B/cycle, minus the overlap
}

}  // namespace
}  // namespace strata
