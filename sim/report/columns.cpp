#include "sim/report/columns.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "hw_models/vector/vector_mapping.h"
#include "sim/report/csv.h"

namespace strata {
namespace {

using J = nlohmann::json;

std::string layer_shape(const Layer& l) {
  std::ostringstream s;
  if (l.type == LayerType::kGemm) {
    s << "gemm " << (l.batch > 1 ? std::to_string(l.batch) + "x" : "") << l.m << "x" << l.k << "x"
      << l.n;
  } else {
    s << "conv " << l.kernel_h << "x" << l.kernel_w << "/" << l.stride_h << " " << l.in_h << "x"
      << l.in_w << "x" << l.in_c << "->" << l.out_c;
    if (l.groups > 1) s << " g" << l.groups;
    if (l.dilation_h > 1 || l.dilation_w > 1) s << " d" << l.dilation_h << "x" << l.dilation_w;
    if (l.batch > 1) s << " n" << l.batch;
  }
  return s.str();
}

double latency_ms(const RowContext& c) {
  return static_cast<double>(c.interval.timing.cycles) / (c.result.freq_mhz * 1e3);
}

// The array busy beyond its compute cycles waited on a buffer port; the rest of the stall is
// waiting for the DMA (DRAM).
int64_t port_stall(const RowContext& c) {
  return c.interval.counters.array_busy_cycles - c.interval.counters.array_compute_cycles;
}

J finite_or_null(double x) { return std::isfinite(x) ? J(x) : J(nullptr); }

// A per-layer figure of functional mode: null in other modes and on the totals row.
Column functional_column(const char* name, const char* unit, const char* description,
                         std::function<J(const FunctionalLayer&)> get) {
  return {name, unit, "functional mode: " + std::string(description),
          [get](const RowContext& c) {
            if (!c.run.functional || !c.layer) return J(nullptr);
            return get(c.run.functional->layers.at(c.index));
          },
          true};
}

// How closely functional mode's quantized path follows the float network, end to end (its primary
// output): agreement with float, not accuracy against labels (strata has none). Null in other
// modes.
Column vs_float_column(const char* name, const char* unit, const char* description,
                       std::function<J(const FunctionalOutput&)> get) {
  return {name, unit,
          "functional mode (agreement with float, not accuracy against labels): " +
              std::string(description) + "; null otherwise",
          [get](const RowContext& c) {
            if (!c.run.functional) return J(nullptr);
            const FunctionalResult& f = *c.run.functional;
            return get(f.outputs.at(f.primary));
          },
          true};
}

J half_block(const FunctionalLayer& f, size_t size) {
  return f.input_values > 0
             ? J(static_cast<double>(f.half_block_kept[size]) / static_cast<double>(f.input_values))
             : J(nullptr);
}

// macs / (cycles x PEs x peak per PE-cycle), the peak per PE-cycle being the interval's average of
// `peak` over its PE-cycles (a fused PE does several MACs per cycle at narrow widths; 1 for an int
// PE).
double utilization(const RowContext& c, int64_t peak) {
  const SocCounters& k = c.interval.counters;
  const double per_pe_cycle =
      k.pe_cycles > 0 ? static_cast<double>(peak) / static_cast<double>(k.pe_cycles) : 1.0;
  const double cycles = static_cast<double>(c.interval.timing.cycles);
  return cycles > 0 ? static_cast<double>(c.interval.macs) /
                          (cycles * static_cast<double>(c.result.array_pes) * per_pe_cycle)
                    : 0.0;
}

// Columns of every interval (a layer or the totals), in report order.
std::vector<Column> interval_columns() {
  std::vector<Column> v = {
      {"macs", "MAC", "multiply-accumulates of the layer",
       [](const RowContext& c) { return J(c.interval.macs); }},
      {"cycles", "cycles",
       "the layer's row of the schedule: from its start (the inference's start, for the first) to "
       "the next layer's start (the inference's end, for the last): its first load to its last "
       "store, plus any wait for vector work before the next layer; in `totals`, the inference's "
       "latency",
       [](const RowContext& c) { return J(c.interval.timing.cycles); }},
      {"compute_cycles", "cycles", "cycles the dataflow needs (docs/timing.md)",
       [](const RowContext& c) { return J(c.interval.timing.compute_cycles); }},
      {"stall_cycles", "cycles",
       "`cycles - compute_cycles`: waiting for DRAM, buffer ports or vector work",
       [](const RowContext& c) { return J(c.interval.timing.stall_cycles); }},
      {"dram_stall_cycles", "cycles",
       "part of the stall spent waiting for DMA transfers (DRAM bandwidth/latency)",
       [](const RowContext& c) {
         return J(c.interval.timing.stall_cycles - port_stall(c) -
                  c.interval.timing.vector_stall_cycles);
       }},
      {"buffer_port_stall_cycles", "cycles",
       "part of the stall where the array was bound by a buffer port (`soc.array.busy_cycles - "
       "soc.array.compute_cycles`)",
       [](const RowContext& c) { return J(port_stall(c)); }},
      {"vector_stall_cycles", "cycles",
       "part of the stall where the array waited for vector work before the next layer could start "
       "(for the first row, also before it; for the last, until the inference's end; "
       "docs/vector.md)",
       [](const RowContext& c) { return J(c.interval.timing.vector_stall_cycles); }},
      {"vector_cycles", "cycles",
       "cycles (array clock) the vector unit was busy with the vector layers after this layer (and "
       "the layer's epilogue when `vector.fuse_epilogue` is false); they overlap the array where "
       "no layer waits for them",
       [](const RowContext& c) { return J(c.interval.timing.vector_cycles); }},
      {"folds", "folds", "tiles mapped onto the array",
       [](const RowContext& c) { return J(c.interval.timing.folds); }},
      {"utilization", "fraction",
       "`macs / (cycles * rows * cols * m)`, m = the dense-equivalent MACs one dot-product unit "
       "can complete per cycle at the layer's widths and sparsity (1 for a scalar `int` PE; "
       "`peak_macs / pe_cycles` over an interval; docs/arrays.md)",
       [](const RowContext& c) { return J(utilization(c, c.interval.counters.peak_macs)); }},
      {"physical_utilization", "fraction",
       "`macs / (cycles * rows * cols * p)`, p = the MACs one dot-product unit's multipliers "
       "complete per cycle on dense operands at the layer's widths (`physical_peak_macs / "
       "pe_cycles`): the same as `utilization` on a dense array; on a DBB array it credits the "
       "zeros skipped, so it is higher and may exceed 1",
       [](const RowContext& c) {
         return J(utilization(c, c.interval.counters.physical_peak_macs));
       }},
      {"latency_ms", "ms",
       "`cycles / freq`: time, comparable across designs at different clocks (cycles are not)",
       [](const RowContext& c) { return J(latency_ms(c)); }},
      {"dram_read_bytes", "B", "bytes read from DRAM, including refetches",
       [](const RowContext& c) { return J(c.interval.counters.dram_read_bytes); }},
      {"dram_write_bytes", "B", "bytes written to DRAM, including partial-sum spills",
       [](const RowContext& c) { return J(c.interval.counters.dram_write_bytes); }},
      {"dram_achieved_bandwidth_gbps", "GB/s",
       "`(dram_read_bytes + dram_write_bytes) / latency`: the DRAM bandwidth the interval used",
       [](const RowContext& c) {
         const SocCounters& k = c.interval.counters;
         return finite_or_null(static_cast<double>(k.dram_read_bytes + k.dram_write_bytes) /
                               (latency_ms(c) * 1e6));
       },
       true},
      {"dram_peak_bandwidth_gbps", "GB/s",
       "the DRAM's peak: `dram.bandwidth_gbps` (simple), or every channel's bus width x data "
       "rate (banked)",
       [](const RowContext& c) { return J(c.run.soc.dram.peak_gbps()); }},
  };
  // A banked DRAM's figures (docs/dram.md); null for a simple DRAM, which has none.
  const auto banked = [](std::function<J(const RowContext&, const SocCounters&)> get) {
    return [get](const RowContext& c) {
      return c.interval.counters.banked_dram ? get(c, c.interval.counters) : J(nullptr);
    };
  };
  const auto tck_ns = [](const RowContext& c) {
    return 1e3 / c.run.soc.dram.banked.params.clock_mhz;
  };
  const std::vector<Column> banked_columns = {
      {"dram_row_hits", "bursts", "banked DRAM: bursts whose row was open",
       banked([](const RowContext&, const SocCounters& k) { return J(k.dram_row_hits); }), true},
      {"dram_row_misses", "bursts", "banked DRAM: bursts that opened a row in a precharged bank",
       banked([](const RowContext&, const SocCounters& k) { return J(k.dram_row_misses); }), true},
      {"dram_row_conflicts", "bursts",
       "banked DRAM: bursts that first closed another row of their bank",
       banked([](const RowContext&, const SocCounters& k) { return J(k.dram_row_conflicts); }),
       true},
      {"dram_refresh_ns", "ns",
       "banked DRAM: time a channel's banks were refreshing (all-bank REF, tRFC each), the "
       "channels' mean",
       banked([tck_ns](const RowContext& c, const SocCounters& k) {
         return J(static_cast<double>(k.dram_refresh_cycles) * tck_ns(c) /
                  static_cast<double>(c.run.soc.dram.banked.params.channels));
       }),
       true},
      {"dram_mean_queue_delay_ns", "ns",
       "banked DRAM: a burst's mean wait from its request to its column command (queueing, bank "
       "and bus timing)",
       banked([tck_ns](const RowContext& c, const SocCounters& k) {
         const int64_t bursts = k.dram_read_bursts + k.dram_write_bursts;
         return bursts == 0 ? J(0.0)
                            : J(static_cast<double>(k.dram_queue_delay_cycles) * tck_ns(c) /
                                static_cast<double>(bursts));
       }),
       true},
  };
  v.insert(v.end(), banked_columns.begin(), banked_columns.end());
  for (size_t b = 0; b < SocCounters::buffer_names().size(); ++b) {
    const std::string& buffer = SocCounters::buffer_names()[b];
    v.push_back({buffer + "_read_bytes", "B", "bytes the array and the DMA read from the " + buffer,
                 [b](const RowContext& c) { return J(c.interval.counters.buffer_read_bytes[b]); }});
    v.push_back(
        {buffer + "_write_bytes", "B", "bytes the array and the DMA wrote into the " + buffer,
         [b](const RowContext& c) { return J(c.interval.counters.buffer_write_bytes[b]); }});
  }
  v.push_back({"energy_pj", "pJ", "sum of the `energy_*_pj` components",
               [](const RowContext& c) { return J(c.interval.energy_total_pj()); }});
  v.push_back({"vector_work_energy_pj", "pJ",
               "energy of the vector work: its lanes (`energy_vector_lanes_pj`) plus its share of "
               "the output buffer's and DRAM's energy (so it is not a component: it overlaps "
               "`energy_output_buffer_pj` and `energy_dram_pj`)",
               [](const RowContext& c) { return J(c.interval.vector_work_energy_pj); }});
  for (const auto& component : EnergyModel::components()) {
    v.push_back(
        {"energy_" + component + "_pj", "pJ",
         component == "vector_lanes"
             ? "energy of the vector unit's lanes alone (docs/vector.md; its buffer and DRAM "
               "traffic is in those components)"
             : "energy of the " + component + " component (docs/energy.md)",
         [component](const RowContext& c) { return J(c.interval.energy_pj.at(component)); }});
  }
  // energy_dram_pj by command (banked DRAM; docs/dram.md).
  const std::pair<const char*, double DramEnergyPj::*> commands[] = {
      {"activate", &DramEnergyPj::activate},
      {"read", &DramEnergyPj::read},
      {"write", &DramEnergyPj::write},
      {"refresh", &DramEnergyPj::refresh}};
  for (const auto& [command, member] : commands) {
    v.push_back({std::string("energy_dram_") + command + "_pj", "pJ",
                 std::string("banked DRAM: the ") + command +
                     " commands' share of `energy_dram_pj` (null for a simple DRAM)",
                 [member = member](const RowContext& c) {
                   return c.interval.counters.banked_dram ? J(c.interval.dram_energy_pj.*member)
                                                          : J(nullptr);
                 },
                 true});
  }
  v.push_back({"energy_dram_standby_pj", "pJ",
               "banked DRAM: background energy, active (a row open) and precharged standby; the "
               "rest of `energy_dram_pj` (null for a simple DRAM)",
               [](const RowContext& c) {
                 const DramEnergyPj& e = c.interval.dram_energy_pj;
                 return c.interval.counters.banked_dram ? J(e.active_standby + e.precharged_standby)
                                                        : J(nullptr);
               },
               true});
  return v;
}

}  // namespace

const std::vector<Column>& layer_columns() {
  static const std::vector<Column> columns = [] {
    std::vector<Column> v = {
        {"name", "-", "layer name", [](const RowContext& c) { return J(c.layer->name); }},
        {"shape", "-", "`conv RxS/stride HxWxC->M [gG] [nN]` or `gemm [Bx]MxKxN`",
         [](const RowContext& c) { return J(layer_shape(*c.layer)); }},
    };
    for (auto& col : interval_columns()) v.push_back(std::move(col));
    const std::vector<Column> tail = {
        {"loop_order", "-", "fold order the tiler chose (docs/tiling.md)",
         [](const RowContext& c) {
           return J(c.interval.timing.loop_order == LoopOrder::kColsOuter ? "cols_outer"
                                                                          : "rows_outer");
         }},
        {"stream_block", "elements",
         "streamed elements per fold (K for OS; the P or M block for WS/IS, docs/tiling.md)",
         [](const RowContext& c) { return J(c.interval.timing.stream_block); }},
        {"mapping", "-",
         "the explicit mapping the layer ran (docs/mapping.md), in the syntax layer lists and "
         "--mappings read: the one given, or strata's own (memory.hierarchy = \"scratchpad\"); "
         "\"\" when strata's tiler for separate buffers chose the folds",
         [](const RowContext& c) { return J(c.interval.timing.mapping); }},
        {"prefetch_depth", "folds",
         "how many folds of loads run ahead of the array (docs/timing.md)",
         [](const RowContext& c) { return J(c.interval.timing.prefetch_depth); }},
        {"input_bits", "bits",
         "input operand width the layer ran with: the config's `precision.*`, or a quantized "
         "trace's per-layer width",
         [](const RowContext& c) {
           return J(
               layer_operand_bits(c.run.soc.controller.tiling.bits, c.run.workload, c.index).input);
         }},
        {"weight_bits", "bits",
         "weight operand width the layer ran with: the config's `precision.*`, or a quantized "
         "trace's per-layer width",
         [](const RowContext& c) {
           return J(layer_operand_bits(c.run.soc.controller.tiling.bits, c.run.workload, c.index)
                        .weight);
         }},
        {"output_sqnr_db", "dB",
         "`sim.mode = \"bittrue\"` only (else `null`, an empty CSV field): the layer's dequantized "
         "bit-true sums against the float reference (docs/bittrue.md); `null` if exact",
         [](const RowContext& c) {
           return c.interval.bittrue ? finite_or_null(c.interval.bittrue->output_sqnr_db)
                                     : J(nullptr);
         },
         true},
        {"requantized_output_sqnr_db", "dB",
         "`sim.mode = \"bittrue\"` only: the same after requantizing the outputs to the output "
         "width",
         [](const RowContext& c) {
           return c.interval.bittrue ? finite_or_null(c.interval.bittrue->requantized_sqnr_db)
                                     : J(nullptr);
         },
         true},
        {"output_sqnr_reference", "-",
         "`sim.mode = \"bittrue\"` only: `\"float weights\"` (the front end's unpruned floats) or "
         "`\"dequantized weights\"` (a trace file: the floats are not known)",
         [](const RowContext& c) {
           return c.interval.bittrue ? J(c.interval.bittrue->reference) : J(nullptr);
         },
         true},
        functional_column("activation_zero_fraction", "-",
                          "exact zeros among the layer's float inputs, over all inputs",
                          [](const FunctionalLayer& f) { return J(f.zero_fraction()); }),
        functional_column("activation_min", "-", "the smallest float input value",
                          [](const FunctionalLayer& f) { return J(f.input_min); }),
        functional_column("activation_max", "-", "the largest float input value",
                          [](const FunctionalLayer& f) { return J(f.input_max); }),
        functional_column("activation_type_declared", "-",
                          "the front end's input type and width (`int4`, `flint4`, `int8`, ...), "
                          "chosen on the declared distribution",
                          [](const FunctionalLayer& f) { return J(f.declared_type); }),
        functional_column("activation_type_measured", "-",
                          "the input type and width calibrated on the inputs (ANT's type search, "
                          "or the scheme's sigma rule; BitFusion's int4-8 goes to 8-bit int where "
                          "int is not the best 4-bit type)",
                          [](const FunctionalLayer& f) { return J(f.measured_type); }),
        functional_column("input_density_declared", "-",
                          "the non-zero input fraction the array sees, as the front end declares "
                          "it (after the top-k unit)",
                          [](const FunctionalLayer& f) { return J(f.declared_density); }),
        functional_column("input_density_measured", "-",
                          "the non-zero input codes the array sees after its top-k unit, measured "
                          "on the quantized path",
                          [](const FunctionalLayer& f) { return J(f.measured_density()); }),
        functional_column(
            "adbb_nnz_declared", "-",
            "the A-DBB non-zeros kept per block (of the trace's block size), as the front end set "
            "them on the declared distribution (= the block size: no top-k)",
            [](const FunctionalLayer& f) { return J(f.declared_nnz); }),
        functional_column("adbb_nnz_measured", "-",
                          "the same chosen on the measured activations when the schedule is `auto` "
                          "(`workload.activation_dbb = \"auto\"`: the smallest keeping "
                          "`workload.activation_dbb_keep` of each layer's energy in blocks of "
                          "channels), else as declared",
                          [](const FunctionalLayer& f) { return J(f.measured_nnz); }),
        functional_column(
            "adbb_density_2of4", "-",
            "the non-zero input codes a top-2 of every 4 (input channels, or K) would keep",
            [](const FunctionalLayer& f) { return half_block(f, 0); }),
        functional_column("adbb_density_4of8", "-", "the same for top-4 of 8",
                          [](const FunctionalLayer& f) { return half_block(f, 1); }),
        functional_column("adbb_density_8of16", "-", "the same for top-8 of 16",
                          [](const FunctionalLayer& f) { return half_block(f, 2); }),
        functional_column("product_density_declared", "-",
                          "MACs with both operands non-zero as the model assumes without "
                          "measurement: the weights' density times the declared input density",
                          [](const FunctionalLayer& f) { return J(f.declared_product_density); }),
        functional_column("product_density_measured", "-",
                          "MACs whose two operands are both non-zero (after top-k): what a "
                          "zero-gating array cannot gate",
                          [](const FunctionalLayer& f) { return J(f.product_density()); }),
        functional_column(
            "functional_output_sqnr_db", "dB",
            "the layer's outputs on the quantized path against the float network's, over all "
            "inputs (errors of earlier layers included)",
            [](const FunctionalLayer& f) { return finite_or_null(f.output_sqnr_db()); }),
    };
    v.insert(v.end(), tail.begin(), tail.end());
    return v;
  }();
  return columns;
}

const std::vector<Column>& totals_columns() {
  static const std::vector<Column> columns = [] {
    std::vector<Column> v = interval_columns();
    const std::vector<Column> tail = {
        {"inferences_per_s", "1/s", "`1000 / latency_ms`",
         [](const RowContext& c) {
           const double ms = latency_ms(c);
           return J(ms > 0 ? 1000.0 / ms : 0.0);
         }},
        {"energy_per_inference_uj", "uJ", "`energy_pj * 1e-6`",
         [](const RowContext& c) { return J(c.interval.energy_total_pj() * 1e-6); }},
        {"sensor_values", "values",
         "values the image sensor reads out per inference (`sensor.enabled`; with `optics.enabled` "
         "the optical layer's output channels, pairs counted twice); null when the sensor is not "
         "modelled",
         [](const RowContext& c) {
           return c.run.sensor_readout ? J(c.run.sensor_readout->values) : J(nullptr);
         },
         true},
        {"energy_sensor_uj", "uJ",
         "the sensor's readout, ADC and link energy per inference (docs/seeds.md); null when not "
         "modelled",
         [](const RowContext& c) {
           return c.run.sensor_readout ? J(c.run.sensor_readout->energy_pj() * 1e-6) : J(nullptr);
         },
         true},
        {"energy_with_sensor_uj", "uJ",
         "`energy_per_inference_uj + energy_sensor_uj`; null when not modelled",
         [](const RowContext& c) {
           return c.run.sensor_readout
                      ? J((c.interval.energy_total_pj() + c.run.sensor_readout->energy_pj()) * 1e-6)
                      : J(nullptr);
         },
         true},
        {"sensor_sqnr_db", "dB",
         "functional mode with `sensor.noise`: what the sensor delivered (the network's input, or "
         "with `optics.enabled` the first layer's output) against the exact values over all "
         "inputs: shot and read noise and the ADC (docs/seeds.md); null otherwise",
         [](const RowContext& c) {
           const auto& f = c.run.functional;
           return f && f->sensed ? finite_or_null(f->sensor_sqnr_db()) : J(nullptr);
         },
         true},
        {"sensor_electrons_per_pixel", "e-",
         "functional mode with `sensor.noise`: mean photo-electrons per sensor pixel read; null "
         "otherwise",
         [](const RowContext& c) {
           const auto& f = c.run.functional;
           return f && f->sensed ? J(f->sensor_mean_electrons()) : J(nullptr);
         },
         true},
        {"vector_cycle_share", "fraction",
         "`vector_cycles / cycles`: how much of the inference the vector unit is busy",
         [](const RowContext& c) {
           const double cycles = static_cast<double>(c.interval.timing.cycles);
           return J(cycles > 0 ? static_cast<double>(c.interval.timing.vector_cycles) / cycles
                               : 0.0);
         }},
        {"vector_work_energy_share", "fraction", "`vector_work_energy_pj / energy_pj`",
         [](const RowContext& c) {
           const double pj = c.interval.energy_total_pj();
           return J(pj > 0 ? c.interval.vector_work_energy_pj / pj : 0.0);
         }},
        {"tops_per_w", "TOPS/W", "`2 * macs / energy_pj` (one MAC = 2 ops)",
         [](const RowContext& c) {
           const double pj = c.interval.energy_total_pj();
           return J(pj > 0 ? 2.0 * static_cast<double>(c.interval.macs) / pj : 0.0);
         }},
        {"effective_tops", "TOPS", "`2 * macs / latency`",
         [](const RowContext& c) {
           const double ms = latency_ms(c);
           return J(ms > 0 ? 2.0 * static_cast<double>(c.interval.macs) / (ms * 1e9) : 0.0);
         }},
        vs_float_column("vs_float_output_sqnr_db", "dB",
                        "the network's primary output (`functional.primary_output`) on the "
                        "quantized path against the float network, over all inputs",
                        [](const FunctionalOutput& o) { return finite_or_null(o.sqnr_db()); }),
        vs_float_column(
            "vs_float_top1_agreement", "fraction",
            "inputs whose primary output has the same argmax as the float network's",
            [](const FunctionalOutput& o) { return finite_or_null(o.top1_agreement()); }),
        vs_float_column("vs_float_cosine_similarity", "-",
                        "the mean cosine similarity of the primary output to the float network's "
                        "(the figure for embeddings)",
                        [](const FunctionalOutput& o) { return finite_or_null(o.mean_cosine()); }),
    };
    v.insert(v.end(), tail.begin(), tail.end());
    return v;
  }();
  return columns;
}

const std::vector<VectorColumn>& vector_layer_columns() {
  static const std::vector<VectorColumn> columns = [] {
    auto cost = [](auto get) {
      return [get](const VectorRowContext& c) { return c.result ? J(get(*c.result)) : J(nullptr); };
    };
    auto shapes = [](const VectorLayer& v) {
      J inputs = J::array();
      for (const auto& s : v.input_shapes) inputs.push_back(s);
      return inputs;
    };
    std::vector<VectorColumn> v = {
        {"name", "-", "the operation's name (the ONNX node's, or the zoo's)",
         [](const VectorRowContext& c) { return J(c.layer.name); }},
        {"op", "-", "its ONNX operator", [](const VectorRowContext& c) { return J(c.layer.op); }},
        {"vector_op", "-", "the vector-unit operation it runs as (docs/vector.md)",
         [](const VectorRowContext& c) {
           return J(vector_op_spec(vector_work_of(c.layer).op).name);
         }},
        {"input_shapes", "elements", "its inputs' shapes",
         [shapes](const VectorRowContext& c) { return shapes(c.layer); }},
        {"output_shape", "elements", "its output's shape",
         [](const VectorRowContext& c) { return J(c.layer.output_shape); }},
        {"elements", "elements", "output elements",
         [](const VectorRowContext& c) { return J(c.layer.elements); }},
        {"after_layer", "-",
         "the array layer it follows (its report row), or \"\" before the first",
         [](const VectorRowContext& c) {
           return J(c.layer.after_layer > 0 ? c.run.workload.layers[c.layer.after_layer - 1].name
                                            : std::string());
         }},
        {"needed_by", "-", "the first array layer that reads its result, or \"\" if none does",
         [](const VectorRowContext& c) {
           const auto b = static_cast<size_t>(c.layer.blocks_layer);
           return J(b < c.run.workload.layers.size() ? c.run.workload.layers[b].name
                                                     : std::string());
         }},
        {"chained", "-",
         "it reads the result of the vector layer before it, which stays on chip (no DRAM store "
         "and load between them)",
         [](const VectorRowContext& c) { return J(c.layer.chained); }},
        {"fused_into", "-",
         "`vector.fusion`: `\"\"` when it runs in its own pass (or first in a fused one, whose "
         "figures its row carries); else the vector layer whose pass ran it (its cost columns are "
         "then 0; docs/vector.md, Fusion)",
         [](const VectorRowContext& c) {
           if (!c.result || c.result->timing.fused_into < 0) return J("");
           return J(
               c.run.workload.vector_layers.at(static_cast<size_t>(c.result->timing.fused_into))
                   .name);
         }},
        {"runs_in", "-",
         "`vector unit`, or `output stage of` an array layer (`vector.fusion = \"epilogue\"`: "
         "the array's output stage did it as the outputs drained); `\"\"` when not costed",
         [](const VectorRowContext& c) {
           if (!c.result) return J("");
           const int64_t layer = c.result->timing.output_stage_of;
           return J(layer < 0 ? std::string("vector unit")
                              : "output stage of " +
                                    c.run.workload.layers.at(static_cast<size_t>(layer)).name);
         }},
        {"costed", "-", "false when vector.enabled is false: the cost columns are then null",
         [](const VectorRowContext& c) { return J(c.result != nullptr); }},
        {"work_elements", "elements", "elements the lanes process",
         cost([](const VectorLayerResult& r) { return r.timing.work.work_elements; }), true},
        {"lane_ops", "ops", "work x the op's lane operations per element",
         cost([](const VectorLayerResult& r) { return r.timing.figures.lane_ops; }), true},
        {"start_cycle", "cycles", "when it started, from the inference's start",
         cost([](const VectorLayerResult& r) { return r.timing.start_cycle; }), true},
        {"end_cycle", "cycles", "when its last result reached DRAM or the buffer",
         cost([](const VectorLayerResult& r) { return r.timing.end_cycle; }), true},
        {"cycles", "cycles", "the unit busy with it: max(compute, port) + latency",
         cost([](const VectorLayerResult& r) { return r.timing.busy_cycles; }), true},
        {"compute_cycles", "cycles", "passes x ceil(work x ops per element / (passes x lanes))",
         cost([](const VectorLayerResult& r) { return r.timing.figures.compute; }), true},
        {"port_cycles", "cycles", "its bytes over the buffer port",
         cost([](const VectorLayerResult& r) { return r.timing.figures.port; }), true},
        {"latency_cycles", "cycles", "the op's pipeline latency",
         cost([](const VectorLayerResult& r) { return r.timing.figures.latency; }), true},
        {"buffer_read_bytes", "B", "read from the output buffer (every pass)",
         cost([](const VectorLayerResult& r) { return r.timing.figures.bytes_read; }), true},
        {"buffer_write_bytes", "B", "written into the output buffer",
         cost([](const VectorLayerResult& r) { return r.timing.figures.bytes_written; }), true},
        {"dram_read_bytes", "B", "operands streamed from DRAM (when they do not fit the buffer)",
         cost([](const VectorLayerResult& r) { return r.timing.dram_read_bytes; }), true},
        {"dram_write_bytes", "B", "results stored to DRAM, where the array's layers read them",
         cost([](const VectorLayerResult& r) { return r.timing.dram_write_bytes; }), true},
        {"energy_pj", "pJ", "lanes, buffer and DRAM traffic",
         cost([](const VectorLayerResult& r) { return r.energy_pj; }), true},
    };
    return v;
  }();
  return columns;
}

const std::vector<SummaryColumn>& summary_columns() {
  static const std::vector<SummaryColumn> columns = [] {
    std::vector<SummaryColumn> v;
    for (const auto& c : totals_columns()) v.push_back({c.name, c.unit, c.description, "totals"});
    v.push_back({"freq_mhz", "MHz",
                 "the array's clock: cycles of designs at different clocks are not comparable, "
                 "latency_ms is",
                 "hardware"});
    v.push_back({"area_mm2", "mm^2", "area of the array and buffers", "hardware"});
    v.push_back({"leakage_mw", "mW", "leakage power of that area", "hardware"});
    return v;
  }();
  return columns;
}

J summary_value(const J& report, const std::string& name) {
  for (const auto& c : summary_columns()) {
    if (c.name != name) continue;
    auto section = report.find(c.section);
    if (section == report.end() || !section->contains(name)) {
      throw std::runtime_error("report has no " + c.section + "." + name);
    }
    return (*section)[name];
  }
  throw std::runtime_error("'" + name + "' is not a summary column");
}

std::string rows_csv(const std::vector<std::string>& names, const J& rows) {
  std::string out = csv_line(names);
  std::vector<std::string> fields(names.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i = 0; i < names.size(); ++i) {
      auto it = rows[r].find(names[i]);
      if (it == rows[r].end()) {
        throw std::runtime_error("row " + std::to_string(r + 1) + " has no column '" + names[i] +
                                 "'");
      }
      fields[i] = csv_escape(*it);
    }
    out += csv_line(fields);
  }
  return out;
}

}  // namespace strata
