// The vector unit in the SoC: each operation's cycles against the closed form (docs/vector.md),
// the schedule beside the array (blocking and overlapping vector work), unfused epilogues, its
// own clock, and switching it off. One SoC per test (one elaboration per process).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hw_models/vector/vector_mapping.h"
#include "sim/config/component_params.h"
#include "sim/run/simulation.h"
#include "support/prepared_run.h"

namespace strata {
namespace {

// Fast DRAM without latency: the vector unit's own time is what the closed form gives.
nlohmann::json config(int64_t lanes, double vector_mhz = 0) {
  return {{"array", {{"rows", 8}, {"cols", 8}}},
          {"dram", {{"bandwidth_gbps", 10000.0}, {"latency_ns", 0.0}}},
          {"vector", {{"lanes", lanes}, {"freq_mhz", vector_mhz}}}};
}

Workload gemms(int count) {
  Workload w;
  w.name = "chain";
  w.names_vector_layers = true;
  for (int i = 0; i < count; ++i)
    w.layers.push_back(gemm_layer("g" + std::to_string(i), 1, 16, 24, 40));
  return w;
}

// The closed form, independently: passes x ceil(work x ops / (passes x lanes)) against the port,
// then the latency.
int64_t closed_form(const VectorWork& w, int64_t lanes, int64_t port_bytes, int64_t bits = 8) {
  const VectorOpSpec& s = vector_op_spec(w.op);
  const double per_pass = static_cast<double>(w.work_elements) * s.ops_per_element / s.passes;
  const int64_t compute =
      s.passes * static_cast<int64_t>(std::ceil(per_pass / static_cast<double>(lanes)));
  const int64_t in_bits = w.input_bits > 0 ? w.input_bits : bits;
  const int64_t read = (w.input_elements * s.passes * in_bits + 7) / 8;
  const int64_t written = (w.output_elements * bits + 7) / 8;
  const int64_t port =
      (read + port_bytes - 1) / port_bytes + (written + port_bytes - 1) / port_bytes;
  return std::max(compute, port) + s.latency_cycles;
}

// One ONNX operator per vector-unit operation (requantize_ant is an epilogue's, tested below).
struct OpCase {
  const char* onnx;
  int inputs;
  int64_t window;
  const char* mode;
};
const OpCase kCases[] = {
    {"Add", 2, 1, ""},
    {"Relu", 1, 1, ""},
    {"Sigmoid", 1, 1, ""},
    {"Tanh", 1, 1, ""},
    {"Gelu", 1, 1, ""},
    {"HardSwish", 1, 1, ""},
    {"Exp", 1, 1, ""},
    {"Log", 1, 1, ""},
    {"Softmax", 1, 1, ""},
    {"LayerNormalization", 1, 1, ""},
    {"MaxPool", 1, 9, ""},
    {"AveragePool", 1, 4, ""},
    {"GlobalAveragePool", 1, 1, ""},
    {"ReduceMean", 1, 1, ""},
    {"QuantizeLinear", 1, 1, ""},
    {"Resize", 1, 1, "nearest"},
    {"Resize", 1, 1, "linear"},
    {"Transpose", 1, 1, ""},
    {"Gather", 1, 1, ""},
    {"GridSample", 2, 1, ""},
};

class VectorOpInSoc : public ::testing::TestWithParam<OpCase> {};

TEST_P(VectorOpInSoc, CyclesAndEnergyMatchTheClosedForm) {
  const OpCase& c = GetParam();
  Workload w = gemms(1);
  const std::vector<int64_t> shape = {3, 37, 41};
  VectorLayer v =
      vector_layer(std::string("v_") + c.onnx, c.onnx,
                   std::vector<std::vector<int64_t>>(c.inputs, shape), shape, 1, c.window);
  v.mode = c.mode;
  w.vector_layers.push_back(v);
  const int64_t lanes = 7;
  const PreparedRun run = test::prepared_run(config(lanes), w);
  const RunResult r = run_simulation(run);
  ASSERT_EQ(r.vector_layers.size(), 1u);
  const VectorLayerResult& got = r.vector_layers[0];
  const VectorWork work = vector_work_of(v);
  EXPECT_EQ(got.timing.busy_cycles,
            closed_form(work, lanes, run.soc.controller.vector.port_bytes_per_cycle))
      << c.onnx;
  // It follows the array layer and nothing waits for it: the inference ends with it.
  EXPECT_EQ(got.timing.start_cycle, r.layers[0].timing.array_cycles);
  EXPECT_EQ(r.totals.timing.cycles, got.timing.end_cycle);
  EXPECT_EQ(got.timing.end_cycle - got.timing.start_cycle, got.timing.busy_cycles);
  EXPECT_EQ(r.layers[0].timing.vector_cycles, got.timing.busy_cycles);
  // Energy: work x pJ per element, plus its buffer and DRAM bytes.
  const EnergyModel energy(run.soc, run.tech);
  EXPECT_NEAR(r.totals.energy_pj.at("vector_lanes"),
              static_cast<double>(work.work_elements) * energy.vector_op_pj(work.op), 1e-6);
  EXPECT_GT(got.energy_pj, r.totals.energy_pj.at("vector_lanes"));
  EXPECT_NEAR(r.totals.vector_work_energy_pj, got.energy_pj, 1e-6 * got.energy_pj);
}

INSTANTIATE_TEST_SUITE_P(AllOps, VectorOpInSoc, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<OpCase>& info) {
                           return std::string(info.param.onnx) + info.param.mode;
                         });

// g0 -> a -> g1 (g1 reads a: the array waits), then b after g1 that no layer reads: it overlaps g2.
TEST(VectorSchedule, BlockingWorkStallsTheArrayAndTheRestOverlaps) {
  Workload w = gemms(3);
  const std::vector<int64_t> big = {4, 64, 64}, small = {1, 16, 40};
  w.vector_layers.push_back(vector_layer("a", "Softmax", {small}, small, 1));
  VectorLayer b = vector_layer("b", "Softmax", {big}, big, 2);
  b.blocks_layer = 3;  // none reads it
  w.vector_layers.push_back(b);
  const RunResult r = run_simulation(test::prepared_run(config(4), w));
  ASSERT_EQ(r.vector_layers.size(), 2u);
  const VectorLayerTiming &a = r.vector_layers[0].timing, &bt = r.vector_layers[1].timing;
  // Row 0: g0, then the wait for a.
  EXPECT_EQ(a.start_cycle, r.layers[0].timing.array_cycles);
  EXPECT_EQ(r.layers[0].timing.vector_stall_cycles, a.end_cycle - a.start_cycle);
  EXPECT_EQ(r.layers[0].timing.cycles, a.end_cycle);
  // b starts when g1 ends and runs beside g2, which does not wait.
  const int64_t g1_end = r.layers[0].timing.cycles + r.layers[1].timing.array_cycles;
  EXPECT_EQ(bt.start_cycle, g1_end);
  EXPECT_EQ(r.layers[1].timing.vector_stall_cycles, 0);
  EXPECT_GT(bt.busy_cycles, r.layers[2].timing.array_cycles);  // b outlasts g2 ...
  EXPECT_EQ(r.totals.timing.cycles, bt.end_cycle);             // ... and ends the inference
  EXPECT_EQ(r.layers[2].timing.vector_stall_cycles,
            bt.end_cycle - g1_end - r.layers[2].timing.array_cycles);
  // Rows add up to the inference; stalls split into DRAM, port and vector parts.
  int64_t rows = 0;
  for (const auto& l : r.layers) rows += l.timing.cycles;
  EXPECT_EQ(rows, r.totals.timing.cycles);
  EXPECT_EQ(r.totals.timing.vector_stall_cycles,
            r.totals.counts.at("soc.controller.vector_stall_cycles"));
}

// Without fusion every array layer's outputs are requantized on the vector unit (ANT-encoded when
// the next layer reads an ANT type), and the next layer waits for them.
TEST(VectorSchedule, UnfusedEpiloguesRequantizeEveryLayer) {
  nlohmann::json cfg = config(16);
  cfg["vector"]["fuse_epilogue"] = false;
  Workload w = gemms(3);
  w.names_vector_layers = false;
  w.layers[2].input_type = "flint";
  const PreparedRun run = test::prepared_run(cfg, w);
  const RunResult r = run_simulation(run);
  EXPECT_TRUE(r.vector_layers.empty());
  int64_t rows = 0;
  for (size_t i = 0; i < 3; ++i) {
    VectorWork e;
    e.op = i == 1 ? VectorOp::kRequantizeAnt : VectorOp::kRequantize;
    e.input_elements = e.output_elements = e.work_elements = w.layers[i].output_elements();
    e.input_bits = 32;
    const int64_t busy = closed_form(e, 16, run.soc.controller.vector.port_bytes_per_cycle);
    EXPECT_EQ(r.layers[i].timing.vector_cycles, busy) << i;
    EXPECT_EQ(r.layers[i].timing.vector_stall_cycles, busy) << i;
    rows += r.layers[i].timing.array_cycles + busy;
  }
  EXPECT_EQ(r.totals.timing.cycles, rows);
  EXPECT_GT(r.totals.counts.at("soc.vector.requantize_ant_elements"), 0);
}

// A vector clock at half the array's doubles the compute and latency, in array cycles.
TEST(VectorSchedule, TheUnitRunsOnItsOwnClock) {
  Workload w = gemms(1);
  const std::vector<int64_t> shape = {2, 128, 128};
  w.vector_layers.push_back(vector_layer("ln", "LayerNormalization", {shape}, shape, 1));
  const PreparedRun run = test::prepared_run(config(1, 500.0), w);
  const RunResult r = run_simulation(run);
  const VectorCycles c = vector_cycles(vector_work_of(w.vector_layers[0]), {1, 1 << 20, 8});
  EXPECT_EQ(r.vector_layers.at(0).timing.busy_cycles, 2 * (c.compute + c.latency));
  EXPECT_EQ(r.totals.counts.at("soc.vector.busy_cycles"), c.compute + c.latency);
}

// Off: vector layers cost nothing, have no results, and the unit has no area.
TEST(VectorSchedule, DisabledUnitCostsNothing) {
  nlohmann::json cfg = config(16);
  cfg["vector"]["enabled"] = false;
  Workload w = gemms(2);
  const std::vector<int64_t> shape = {8, 64};
  w.vector_layers.push_back(vector_layer("s", "Softmax", {shape}, shape, 1));
  const PreparedRun run = test::prepared_run(cfg, w);
  const RunResult r = run_simulation(run);
  EXPECT_TRUE(r.vector_layers.empty());
  EXPECT_EQ(r.totals.timing.vector_cycles, 0);
  EXPECT_EQ(r.totals.timing.vector_stall_cycles, 0);
  EXPECT_EQ(r.totals.energy_pj.at("vector_lanes"), 0.0);
  EXPECT_EQ(r.area_mm2.at("vector"), 0.0);
  EXPECT_EQ(r.totals.timing.cycles,
            r.layers[0].timing.array_cycles + r.layers[1].timing.array_cycles);
}

}  // namespace
}  // namespace strata
