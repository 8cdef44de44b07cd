#include "sim/config/param_specs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "common/input_error.h"
#include "common/suggest.h"
#include "hw_models/memory/banked_dram_params.h"
#include "hw_models/vector/vector_fusion.h"
#include "sim/config/dram_params.h"

#ifndef STRATA_CONFIG_DIR
#define STRATA_CONFIG_DIR "configs"
#endif

namespace strata {

using J = nlohmann::json;

ParamSpec int_param(std::string path, std::string unit, int64_t def, int64_t min, int64_t max,
                    std::string description) {
  return {std::move(path),       ParamKind::kInt, std::move(unit), J(def),
          double(min),           double(max),     false,           {},
          std::move(description)};
}

ParamSpec float_param(std::string path, std::string unit, double def, double min, double max,
                      bool min_exclusive, std::string description) {
  return {std::move(path),
          ParamKind::kFloat,
          std::move(unit),
          J(def),
          min,
          max,
          min_exclusive,
          {},
          std::move(description)};
}

ParamSpec choice_param(std::string path, std::string def, std::vector<std::string> choices,
                       std::string description) {
  return {std::move(path),    ParamKind::kChoice,    "", J(def), 0, 0, false,
          std::move(choices), std::move(description)};
}

ParamSpec bool_param(std::string path, bool def, std::string description) {
  return {std::move(path), ParamKind::kBool, "", J(def), 0, 0, false, {}, std::move(description)};
}

ParamSpec string_param(std::string path, std::string def, std::string description) {
  return {std::move(path), ParamKind::kString, "", J(def), 0, 0, false, {}, std::move(description)};
}

namespace {

std::vector<ParamSpec> buffer_params(const std::string& which, int64_t size_kib,
                                     int64_t word_bits) {
  const std::string p = "buffers." + which + ".";
  return {
      int_param(p + "size_kib", "KiB", size_kib, 1, 1 << 20,
                "capacity of the " + which + " buffer"),
      int_param(p + "banks", "banks", 4, 1, 1024,
                "independent banks; each serves one word per cycle, and access energy follows the "
                "bank size"),
      int_param(p + "word_bits", "bits", word_bits, 8, 4096,
                "width of one bank's port; a multiple of 8"),
      bool_param(p + "double_buffered", true,
                 "half the buffer fills (or drains) while the array uses the other half"),
  };
}

std::vector<ParamSpec> build_specs() {
  std::vector<ParamSpec> s = {
      {"name",
       ParamKind::kString,
       "",
       J(""),
       0,
       0,
       false,
       {},
       "name of this accelerator configuration"},
      {"description", ParamKind::kString, "", J(""), 0, 0, false, {}, "free text"},
      float_param("clock.freq_mhz", "MHz", 1000.0, 1.0, 100000.0, false, "accelerator clock"),
      int_param("array.rows", "PEs", 32, 1, 4096,
                "systolic array rows of PEs (dot-product units; a tensor PE spans array.tpe.a)"),
      int_param("array.cols", "PEs", 32, 1, 4096,
                "systolic array columns of PEs (dot-product units; a tensor PE spans array.tpe.c)"),
      choice_param("array.dataflow", "os", {"os", "ws", "is"},
                   "output-, weight- or input-stationary (docs/timing.md)"),
      choice_param("array.pe", "int", {"int", "bitfusion", "ant"},
                   "PE kind: int MAC; BitFusion-style 8/4-bit fusible PE, (8/a)x(8/w) MACs per "
                   "cycle; ANT PE, the fusible core behind an int/flint/PoT decoder (docs/pe.md)"),
      int_param("array.int_bits", "bits", 8, 2, 16,
                "multiplier width of the int PE (operands up to it); fusible PEs run 4 or 8 bits"),
      choice_param("array.sparsity", "none", {"none", "zvcg", "dbb"},
                   "none: dense array; zvcg: zero-value clock gating (same cycles, zero-operand "
                   "MACs gated); dbb: S2TA density-bound-block tensor-PE array (docs/arrays.md)"),
      int_param("array.tpe.a", "units", 1, 1, 64,
                "tensor PE: dot-product units along the array rows per PE (divides array.rows)"),
      int_param("array.tpe.b", "MACs", 1, 1, 64,
                "tensor PE: multiplier slots per dot-product unit (reduction elements per cycle, "
                "dense)"),
      int_param("array.tpe.c", "units", 1, 1, 64,
                "tensor PE: dot-product units along the array columns per PE (divides array.cols)"),
      int_param("array.dbb.bz", "values", 8, 1, 64, "DBB block size along the reduction (BZ)"),
      int_param("array.dbb.weight_nnz", "values", 8, 1, 64,
                "multiplier slots per weight block: W-DBB NNZ_w the array is built for (= bz: no "
                "W-DBB)"),
      bool_param("array.dbb.activation_dbb", false,
                 "A-DBB in time: a top-k unit cuts activation blocks to each layer's NNZ_a and a "
                 "block takes NNZ_a/BZ of the dense time"),
      choice_param("array.dbb.mux_side", "activation", {"activation", "weight"},
                   "operand the 8:1 mux selects per multiplier slot (its block is held whole in "
                   "registers)"),
      choice_param(
          "timing.convention", "strata", {"strata", "scalesim"},
          "compute-cycle convention: strata's pipelined folds, or SCALE-Sim v2's (docs/timing.md)"),
      choice_param(
          "tiling.loop_order", "auto", {"auto", "rows_outer", "cols_outer"},
          "fold loop order; auto picks the one with less DRAM traffic per layer (docs/tiling.md)"),
      choice_param("tiling.walk", "gemmini", {"gemmini", "mapping"},
                   "memory.hierarchy = \"scratchpad\": the order a mapping's DRAM-level tiles "
                   "run in and what each moves in: gemmini (Gemmini's software tiler: output "
                   "tiles outer, reductions inner, operands moved in afresh) or mapping (the "
                   "mapping's own loop order with Timeloop's reuse; docs/mapping.md)"),
      choice_param("tiling.search", "none", {"none", "latency"},
                   "memory.hierarchy = \"scratchpad\": a layer given no mapping runs strata's "
                   "own (none) or the best for latency of an exhaustive search of its mapspace "
                   "(latency; docs/mapping.md)"),
      choice_param("memory.hierarchy", "buffers", {"buffers", "scratchpad"},
                   "buffers: separate input, weight and output buffers (buffers.*) and strata's "
                   "tiler; scratchpad: a scratchpad shared by weights and inputs and an "
                   "accumulator of partial sums (Gemmini's), every layer run with an explicit "
                   "mapping, given or strata's own (docs/mapping.md)"),
      float_param("memory.scratchpad.size_kib", "KiB", 256.0, 0.0, 1048576.0, true,
                  "memory.hierarchy = \"scratchpad\": the scratchpad's capacity (rows of "
                  "array.cols input values)"),
      float_param("memory.accumulator.size_kib", "KiB", 64.0, 0.0, 1048576.0, true,
                  "memory.hierarchy = \"scratchpad\": the accumulator's capacity (rows of "
                  "array.cols partial sums of precision.accum_bits)"),
      int_param("memory.dma.bus_bits", "bits", 128, 8, 65536,
                "memory.hierarchy = \"scratchpad\": the DMA's bus to memory (a request of B "
                "bytes takes B / (bus_bits / 8) cycles)"),
      float_param("memory.dma.request_cycles", "cycles", 2.0, 0.0, 1e6, false,
                  "memory.hierarchy = \"scratchpad\": the shortest interval between two DMA "
                  "requests; the DMA makes one per scratchpad or accumulator row"),
      int_param("memory.tile_latency_cycles", "cycles", 200, 0, 1 << 30,
                "memory.hierarchy = \"scratchpad\": cycles each tile waits for its first data "
                "(the memory's round trip) and each output tile for its store"),
      float_param("memory.load_compute_overlap", "-", 0.75, 0.0, 1.0, false,
                  "memory.hierarchy = \"scratchpad\": the share of the shorter of a tile's "
                  "loads and compute that runs under the other (decoupled access and execute)"),
      int_param("precision.input_bits", "bits", 8, 1, 32, "activation (input) operand width"),
      int_param("precision.weight_bits", "bits", 8, 1, 32, "weight operand width"),
      int_param("precision.output_bits", "bits", 8, 1, 32,
                "output activation width written to DRAM"),
      int_param("precision.accum_bits", "bits", 32, 8, 64,
                "partial-sum width in the output buffer"),
      choice_param("dram.model", "simple", {"simple", "banked"},
                   "simple: a bandwidth, a latency and a pJ/bit (SCALE-Sim's kind of DRAM); "
                   "banked: channels, banks, rows, refresh and command energy from "
                   "`dram.preset` (docs/dram.md)"),
      choice_param("dram.type", "lpddr4", {"lpddr4", "ddr4", "ddr3", "hbm2"},
                   "dram.model = \"simple\": DRAM technology; selects the pJ/bit entry of the "
                   "tech table"),
      float_param("dram.bandwidth_gbps", "GB/s", 25.6, 0.01, 100000.0, false,
                  "dram.model = \"simple\": peak DRAM bandwidth"),
      float_param("dram.latency_ns", "ns", 100.0, 0.0, 100000.0, false,
                  "dram.model = \"simple\": request-to-first-data latency, overlapped with other "
                  "requests' transfers"),
      int_param("dram.burst_bytes", "B", 64, 1, 4096,
                "dram.model = \"simple\": transfer granularity; requests round up to bursts"),
      choice_param("dram.preset", "lpddr4_3200", dram_preset_names(),
                   "dram.model = \"banked\": the standard and speed bin: timing, geometry and "
                   "currents (docs/dram.md); the keys below override its numbers"),
      int_param("dram.channels", "channels", 0, 0, 1024,
                "dram.model = \"banked\": independent channels (HBM2: pseudo-channels), each "
                "with its own controller; 0: the preset's (1)"),
      int_param("dram.ranks", "ranks", 0, 0, 16, "dram.model = \"banked\": 0: the preset's"),
      int_param("dram.bank_groups", "groups", 0, 0, 64,
                "dram.model = \"banked\": bank groups per rank; 0: the preset's"),
      int_param("dram.banks_per_group", "banks", 0, 0, 256,
                "dram.model = \"banked\": 0: the preset's"),
      int_param("dram.rows", "rows", 0, 0, int64_t{1} << 24,
                "dram.model = \"banked\": rows per bank; 0: the preset's"),
      int_param("dram.columns", "words", 0, 0, int64_t{1} << 16,
                "dram.model = \"banked\": bus-wide words per row (a row is columns x bus "
                "width); 0: the preset's"),
      int_param("dram.bus_bits", "bits", 0, 0, 1024,
                "dram.model = \"banked\": a channel's data width; 0: the preset's"),
      choice_param("dram.page_policy", "open", {"open", "closed"},
                   "dram.model = \"banked\": open: a row stays open for the next hit; closed: "
                   "every access precharges after it (auto-precharge)"),
      string_param("dram.address_mapping", "",
                   "dram.model = \"banked\": which address bits select what, most significant "
                   "first, as `row:rank:bank:channel:bank_group:column` (each once); \"\": the "
                   "preset's (docs/dram.md)"),
      int_param("dram.channel_interleave_bytes", "B", 256, 0, int64_t{1} << 20,
                "dram.model = \"banked\": consecutive blocks of this many bytes go to "
                "consecutive channels (a power of two from a burst to a row; the address bits "
                "below it keep the mapping's order); 0: the mapping's channel field decides"),
      int_param("dram.queue_depth", "bursts", 32, 1, 4096,
                "dram.model = \"banked\": bursts each channel's controller reorders among "
                "(first ready, first come)"),
      bool_param("vector.enabled", true,
                 "simulate the work between the array layers (pooling, element-wise, softmax, "
                 "LayerNorm, ...) on the vector unit (docs/vector.md); false: it costs nothing"),
      int_param("vector.lanes", "lanes", 32, 1, 4096,
                "vector-unit lanes, each one lane operation per cycle"),
      float_param("vector.freq_mhz", "MHz", 0.0, 0.0, 100000.0, false,
                  "vector-unit clock; 0: the array's (clock.freq_mhz)"),
      bool_param("vector.fuse_epilogue", true,
                 "bias, activation and requantization are applied as outputs leave the array "
                 "(free); false: the vector unit does them after each array layer"),
      choice_param("vector.fusion", "none", vector_fusion_names(),
                   "which vector layers run together (docs/vector.md, Fusion): none (each its "
                   "own pass), elementwise (a run of element-wise ops, one pass), epilogue (as "
                   "elementwise, and a run on an array layer's output in its output stage)"),
      bool_param("sensor.enabled", false,
                 "model the image sensor that captures the network's input: its readout, ADC and "
                 "link energy per value and its frame time (docs/seeds.md); false: not counted"),
      float_param("sensor.readout_pj_per_value", "pJ", 1000.0, 0.0, 1e6, false,
                  "pixel readout and ADC energy per value read out (strata's assumption: a mobile "
                  "CMOS sensor drawing ~300 mW while reading ~300 M values/s)"),
      int_param("sensor.adc_bits", "bits", 10, 1, 32, "bits per value on the link"),
      float_param("sensor.link_pj_per_bit", "pJ", 10.0, 0.0, 1e6, false,
                  "sensor-to-SoC link energy per bit (strata's assumption, MIPI-class serial "
                  "link)"),
      float_param("sensor.values_per_us", "1/us", 300.0, 0.001, 1e6, false,
                  "readout rate: the frame time is values read / this"),
      bool_param("sensor.noise", true,
                 "in sim.mode = functional, what the sensor reads carries photon shot noise, read "
                 "noise and the ADC's rounding (docs/seeds.md); false: exact values"),
      float_param("sensor.white_electrons", "e-", 1000.0, 1.0, 1e7, false,
                  "the illumination: photo-electrons a pixel collects from a white scene in one "
                  "exposure (strata's assumption: ~1000 for an indoor scene on a small mobile "
                  "pixel, ~10000 in daylight)"),
      float_param("sensor.full_well_electrons", "e-", 6000.0, 1.0, 1e7, false,
                  "pixel capacity: the ADC's range covers a white scene up to this"),
      float_param("sensor.read_noise_electrons", "e-", 2.0, 0.0, 1e4, false,
                  "readout noise per pixel read (standard deviation)"),
      bool_param("optics.enabled", false,
                 "the first convolution runs in free-space optics in front of the sensor "
                 "(metasurface): its MACs leave the array, the sensor reads its output channels "
                 "(needs sensor.enabled)"),
      int_param("optics.kernel_max", "px", 7, 1, 64,
                "largest kernel the metasurface's aperture realizes"),
      bool_param("optics.signed", true,
                 "signed kernels as positive/negative channel pairs: twice the sensor channels, "
                 "subtracted on the vector unit after readout"),
      float_param("optics.efficiency", "-", 0.5, 0.0, 1.0, true,
                  "share of the light the metasurface sends to the sensor that arrives (strata's "
                  "assumption; the rest is absorbed or scattered)"),
      choice_param("workload.scheme", "none",
                   {"none", "rtn", "ant", "ant4-8", "int4-8", "squant", "olive"},
                   "quantization the hardware expects: given a zoo name, strata run runs the front "
                   "end with it (docs/configs.md); none: the zoo shapes at precision.*"),
      int_param("workload.bits", "bits", 8, 2, 8, "front-end width (ant4-8: 4)"),
      {"workload.weight_dbb",
       ParamKind::kString,
       "",
       J("8/8"),
       0,
       0,
       false,
       {},
       "weight DBB pruning NNZ/BZ applied by the front end (8/8: dense)"},
      {"workload.activation_dbb",
       ParamKind::kString,
       "",
       J("8/8"),
       0,
       0,
       false,
       {},
       "A-DBB top-k NNZ_a/BZ for every layer but the image input, or \"auto\": per layer, the "
       "smallest NNZ_a keeping workload.activation_dbb_keep of its activation energy"},
      float_param("workload.activation_dbb_keep", "fraction", 0.99, 0.0, 1.0, true,
                  "energy fraction the auto A-DBB schedule keeps per layer"),
      {"workload.activation_dbb_layers",
       ParamKind::kString,
       "",
       J(""),
       0,
       0,
       false,
       {},
       "per-layer A-DBB overrides \"name=NNZ/BZ,name=NNZ/BZ\""},
      int_param("workload.seed", "-", 1, 0, 2147483647,
                "seed of synthetic weights and activation samples"),
      choice_param("sim.fidelity", "tile", {"tile", "cycle"},
                   "compute cycles from the fold formulas (tile) or a cycle-by-cycle array that "
                   "moves every operand (cycle: every dataflow, strata timing, small layers; "
                   "docs/timing.md)"),
      choice_param("sim.mode", "tile", {"tile", "bittrue", "functional"},
                   "tile: tile-level timing and energy; bittrue: also compute every layer's "
                   "outputs from the trace's codes on the array's arithmetic and report their "
                   "SQNR against a float reference (docs/bittrue.md); functional: run the whole "
                   "network on real inputs (--inputs DIR) in float and bit-true, calibrate and "
                   "measure the activations (docs/functional.md)"),
      choice_param("workload.activations", "measured", {"measured", "declared"},
                   "functional mode: whether timing and energy use the activation statistics "
                   "measured on the inputs (zero fraction, A-DBB density, gated MACs, "
                   "calibrated types) or the front end's declared ones (both are reported)"),
      float_param("functional.image_scale", "-", 0.0, 0.0, 1e6, false,
                  "functional mode: 0..255 pixels are multiplied by this before the mean and std; "
                  "0 = the model's own preprocessing (docs/functional.md)"),
      string_param("functional.image_mean", "",
                   "functional mode: 'r,g,b' subtracted from the scaled pixels; empty = the "
                   "model's"),
      string_param("functional.image_std", "",
                   "functional mode: 'r,g,b' the centred pixels are divided by; empty = the "
                   "model's"),
      choice_param("functional.channel_order", "model", {"model", "rgb", "bgr"},
                   "functional mode: channel order of an image input; model = the model's"),
      string_param("functional.primary_output", "",
                   "functional mode: the output the totals' accuracy figures quote; empty = the "
                   "model's (age_logits, embedding, or an ONNX model's first output)"),
      float_param(
          "sim.quantum_us", "us", 1000.0, 0.0, 1e9, true,
          "temporal-decoupling quantum: how far the controller runs ahead of the SystemC kernel; "
          "results do not depend on it"),
      {"energy.tech_table",
       ParamKind::kPath,
       "",
       J("tech/45nm.json"),
       0,
       0,
       false,
       {},
       "energy table, relative to the file that sets it (default: configs/tech/45nm.json)"},
  };
  // Port widths feed a 32x32 array in every dataflow: 32 B/cycle of operands on the input and
  // weight side; WS/IS read and write 32 partial sums of 32 bits per cycle on the output side.
  for (auto& p : buffer_params("input", 256, 64)) s.push_back(p);
  for (auto& p : buffer_params("weight", 256, 64)) s.push_back(p);
  for (auto& p : buffer_params("output", 128, 512)) s.push_back(p);
  // The banked DRAM's timing overrides, one per field of its timing (sim/config/dram_params.h),
  // after its other keys.
  auto at = std::find_if(s.begin(), s.end(),
                         [](const ParamSpec& p) { return p.path == "dram.queue_depth"; });
  for (const DramTimingKey& k : dram_timing_keys()) {
    at = s.insert(
        std::next(at),
        int_param(std::string("dram.timing.") + k.name, "dram cycles", 0, 0, int64_t{1} << 24,
                  std::string("dram.model = \"banked\": ") + k.meaning + "; 0: the preset's"));
  }
  return s;
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  std::ostringstream ss;
  ss << std::setprecision(15) << v;
  return ss.str();
}

std::string expectation(const ParamSpec& s) {
  switch (s.kind) {
    case ParamKind::kInt:
      return "an integer in [" + format_number(s.min) + ", " + format_number(s.max) + "]";
    case ParamKind::kFloat:
      return std::string("a number in ") + (s.min_exclusive ? "(" : "[") + format_number(s.min) +
             ", " + format_number(s.max) + "]";
    case ParamKind::kBool:
      return "true or false";
    case ParamKind::kString:
      return "a string";
    case ParamKind::kPath:
      return "a file path string";
    case ParamKind::kChoice: {
      std::string c;
      for (const auto& x : s.choices) c += (c.empty() ? "" : ", ") + ("\"" + x + "\"");
      return "one of " + c;
    }
  }
  return "";
}

bool valid(const ParamSpec& s, const J& v) {
  switch (s.kind) {
    case ParamKind::kInt: {
      if (!v.is_number_integer()) return false;
      const double x = static_cast<double>(v.get<int64_t>());
      return x >= s.min && x <= s.max;
    }
    case ParamKind::kFloat: {
      if (!v.is_number()) return false;
      const double x = v.get<double>();
      return std::isfinite(x) && (s.min_exclusive ? x > s.min : x >= s.min) && x <= s.max;
    }
    case ParamKind::kBool:
      return v.is_boolean();
    case ParamKind::kString:
    case ParamKind::kPath:
      return v.is_string();
    case ParamKind::kChoice:
      return v.is_string() &&
             std::find(s.choices.begin(), s.choices.end(), v.get<std::string>()) != s.choices.end();
  }
  return false;
}

void set_path(J& root, const std::string& path, const J& value) {
  J* node = &root;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    if (dot == std::string::npos) {
      (*node)[path.substr(start)] = value;
      return;
    }
    node = &(*node)[path.substr(start, dot - start)];
    start = dot + 1;
  }
}

}  // namespace

J::json_pointer pointer_of(const std::string& dotted) {
  std::string p = "/" + dotted;
  std::replace(p.begin(), p.end(), '.', '/');
  return J::json_pointer(p);
}

const std::vector<ParamSpec>& param_specs() {
  static const std::vector<ParamSpec> specs = build_specs();
  return specs;
}

const ParamSpec* find_param_spec(const std::string& path) {
  return find_param_spec(path, param_specs());
}

const ParamSpec* find_param_spec(const std::string& path, const std::vector<ParamSpec>& specs) {
  for (const auto& s : specs) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

std::string builtin_config_dir() {
  // $STRATA_CONFIG_DIR; else the build's source tree; else an installed tree's
  // <prefix>/share/strata/configs beside <prefix>/bin or <prefix>/lib (docs/embedding.md).
  const char* env = std::getenv("STRATA_CONFIG_DIR");
  if (env && *env) return env;
  std::error_code ec;
  if (std::filesystem::is_directory(STRATA_CONFIG_DIR, ec)) return STRATA_CONFIG_DIR;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed =
        exe.parent_path().parent_path() / "share/strata/configs";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return STRATA_CONFIG_DIR;
}

const J& ResolvedConfig::at(const std::string& path) const { return values.at(pointer_of(path)); }
int64_t ResolvedConfig::get_int(const std::string& path) const { return at(path).get<int64_t>(); }
double ResolvedConfig::get_float(const std::string& path) const { return at(path).get<double>(); }
bool ResolvedConfig::get_bool(const std::string& path) const { return at(path).get<bool>(); }
std::string ResolvedConfig::get_string(const std::string& path) const {
  return at(path).get<std::string>();
}

std::string suggest_param_key(const std::string& path, const std::vector<ParamSpec>& specs) {
  std::vector<std::string> keys;
  keys.reserve(specs.size());
  for (const auto& s : specs) keys.push_back(s.path);
  return did_you_mean(path, keys);
}

std::string suggest_param_key(const std::string& path) {
  return suggest_param_key(path, param_specs());
}

ResolvedConfig resolve_config(const ConfigTree& tree) {
  return resolve_config(tree, param_specs());
}

ResolvedConfig resolve_config(const ConfigTree& tree, const std::vector<ParamSpec>& specs) {
  ResolvedConfig r;
  r.source = tree.given_name();
  r.values = J::object();
  for (const auto& [path, value] : tree.leaves()) {
    const std::string where = tree.origin(path) + ": " + (path.empty() ? "(top level)" : path);
    const ParamSpec* spec = find_param_spec(path, specs);
    if (!spec) {
      // A known section given as a value (an empty section is fine), or a key that does not exist.
      bool is_section = path.empty();
      for (const auto& s : specs) is_section |= s.path.rfind(path + ".", 0) == 0;
      if (is_section && value->is_object() && value->empty()) continue;
      if (is_section)
        throw InputError(where + ": must be an object with keys (see docs/config.md)");
      throw InputError(where + ": unknown key" + suggest_param_key(path, specs) +
                       " (see docs/config.md for the keys strata accepts)");
    }
    if (!valid(*spec, *value)) {
      throw InputError(where + ": must be " + expectation(*spec) + ", got " + value->dump());
    }
    if (spec->path.size() > 10 && spec->path.substr(spec->path.size() - 10) == ".word_bits" &&
        value->get<int64_t>() % 8 != 0) {
      throw InputError(where + ": must be a multiple of 8, got " + value->dump());
    }
    set_path(r.values, path, *value);
    r.given[path] = tree.origin(path);
  }
  for (const auto& s : specs) {
    if (!r.values.contains(pointer_of(s.path))) set_path(r.values, s.path, s.default_value);
  }
  // The tech table path is relative to the file that set it, else to strata's configs/.
  const std::string table = r.get_string("energy.tech_table");
  const ConfigTree& t = tree;
  bool given = false;
  for (const auto& leaf : t.leaves()) given |= leaf.first == "energy.tech_table";
  if (!table.empty() && table[0] == '/') {
    r.tech_table_path = table;
  } else if (given) {
    r.tech_table_path = t.origin_dir("energy.tech_table") + "/" + table;
  } else {
    r.tech_table_path = builtin_config_dir() + "/" + table;
  }
  return r;
}

}  // namespace strata
