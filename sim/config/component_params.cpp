#include "sim/config/component_params.h"

#include <cmath>

#include "common/input_error.h"
#include "sim/config/dram_params.h"

namespace strata {
namespace {

SramParams sram_params(const ResolvedConfig& c, const std::string& which) {
  const std::string p = "buffers." + which + ".";
  SramParams s;
  s.size_bytes = c.get_int(p + "size_kib") * 1024;
  s.banks = c.get_int(p + "banks");
  s.word_bits = c.get_int(p + "word_bits");
  s.double_buffered = c.get_bool(p + "double_buffered");
  return s;
}

LoopOrder loop_order(const std::string& name) {
  if (name == "rows_outer") return LoopOrder::kRowsOuter;
  if (name == "cols_outer") return LoopOrder::kColsOuter;
  return LoopOrder::kAuto;
}

}  // namespace

SocParams make_soc_params(const ResolvedConfig& c) {
  SocParams p;
  p.freq_mhz = c.get_float("clock.freq_mhz");
  p.array.geometry = {c.get_int("array.rows"), c.get_int("array.cols")};
  p.array.dataflow = parse_dataflow(c.get_string("array.dataflow"));
  p.array.pe.kind = parse_pe_kind(c.get_string("array.pe"));
  p.array.pe.int_bits = static_cast<int>(c.get_int("array.int_bits"));
  SparsityParams& sp = p.array.sparsity;
  sp.kind = parse_sparsity_kind(c.get_string("array.sparsity"));
  sp.tpe = {static_cast<int>(c.get_int("array.tpe.a")), static_cast<int>(c.get_int("array.tpe.b")),
            static_cast<int>(c.get_int("array.tpe.c"))};
  sp.bz = static_cast<int>(c.get_int("array.dbb.bz"));
  sp.weight_nnz = static_cast<int>(c.get_int("array.dbb.weight_nnz"));
  sp.activation_dbb = c.get_bool("array.dbb.activation_dbb");
  sp.mux_side = parse_mux_side(c.get_string("array.dbb.mux_side"));
  const std::string array_error = sparsity_config_error(sp, p.array.geometry);
  if (!array_error.empty()) throw InputError(c.source + ": " + array_error);
  p.input_buffer = sram_params(c, "input");
  p.weight_buffer = sram_params(c, "weight");
  p.output_buffer = sram_params(c, "output");
  p.dram = make_dram_params(c);

  TilingParams& t = p.controller.tiling;
  t.dataflow = p.array.dataflow;
  t.convention = parse_convention(c.get_string("timing.convention"));
  t.array = p.array.geometry;
  t.pe = p.array.pe;
  t.sparsity = p.array.sparsity;
  t.bits.input = static_cast<int>(c.get_int("precision.input_bits"));
  t.bits.weight = static_cast<int>(c.get_int("precision.weight_bits"));
  t.bits.output = static_cast<int>(c.get_int("precision.output_bits"));
  t.bits.accum = static_cast<int>(c.get_int("precision.accum_bits"));
  t.loop_order = loop_order(c.get_string("tiling.loop_order"));
  t.cycle_fidelity = c.get_string("sim.fidelity") == "cycle";
  if (t.cycle_fidelity && t.convention != TimingConvention::kStrata) {
    throw InputError(c.source +
                     ": sim.fidelity: \"cycle\" replaces strata's fold formulas; it does not "
                     "apply with timing.convention = \"scalesim\"");
  }
  if (c.get_string("tiling.search") != "none" && c.get_string("memory.hierarchy") != "scratchpad") {
    throw InputError(c.source +
                     ": tiling.search: the mapping search runs on memory.hierarchy = "
                     "\"scratchpad\" (the separate buffers' tiler is not searchable yet)");
  }
  if (c.get_string("memory.hierarchy") == "scratchpad") {
    const auto require = [&](bool ok, const std::string& what) {
      if (!ok) {
        throw InputError(c.source +
                         ": memory.hierarchy = \"scratchpad\" runs explicit mappings "
                         "on a dense int weight-stationary array; " +
                         what);
      }
    };
    require(t.dataflow == Dataflow::kWeightStationary, "set array.dataflow = \"ws\"");
    require(t.pe.kind == PeKind::kInt, "set array.pe = \"int\"");
    require(t.sparsity.kind == SparsityKind::kNone, "set array.sparsity = \"none\"");
    require(t.convention == TimingConvention::kStrata, "set timing.convention = \"strata\"");
    require(!t.cycle_fidelity, "sim.fidelity = \"cycle\" steps strata's tiler's folds");
    t.mapped = true;
    MappedHierarchyParams& h = t.hierarchy;
    h.array = t.array;
    h.scratchpad_bytes = std::llround(c.get_float("memory.scratchpad.size_kib") * 1024);
    h.scratchpad_row_bytes = std::max<int64_t>(1, t.array.cols * t.bits.input / 8);
    h.accumulator_bytes = std::llround(c.get_float("memory.accumulator.size_kib") * 1024);
    h.accumulator_bits = t.bits.accum;
    h.dma_bytes_per_cycle = static_cast<double>(c.get_int("memory.dma.bus_bits")) / 8.0;
    h.dma_request_cycles = c.get_float("memory.dma.request_cycles");
    h.memory_latency_cycles = c.get_int("memory.tile_latency_cycles");
    h.load_compute_overlap = c.get_float("memory.load_compute_overlap");
    h.walk = parse_tile_walk(c.get_string("tiling.walk"));
    t.search_latency = c.get_string("tiling.search") == "latency";
    // The SRAMs the DMA and the array reach: the scratchpad through its input and weight ports
    // (buffers.input and buffers.weight give their banks and widths), the accumulator as the
    // output buffer; every tile fits them whole (no double-buffered halves).
    p.input_buffer.size_bytes = p.weight_buffer.size_bytes = h.scratchpad_bytes;
    p.output_buffer.size_bytes = h.accumulator_bytes;
    for (SramParams* b : {&p.input_buffer, &p.weight_buffer, &p.output_buffer}) {
      b->double_buffered = false;
    }
  }
  t.input_capacity_bytes = p.input_buffer.resident_capacity_bytes();
  t.weight_capacity_bytes = p.weight_buffer.resident_capacity_bytes();
  t.output_capacity_bytes = p.output_buffer.resident_capacity_bytes();
  auto in_flight = [](const SramParams& b) {
    return b.double_buffered ? b.size_bytes - b.resident_capacity_bytes() : 0;
  };
  p.controller.input_prefetch_bytes = in_flight(p.input_buffer);
  p.controller.weight_prefetch_bytes = in_flight(p.weight_buffer);
  p.controller.output_drain_bytes = in_flight(p.output_buffer);
  p.controller.quantum = sc_core::sc_time(c.get_float("sim.quantum_us"), sc_core::SC_US);

  VectorUnitParams& v = p.controller.vector;
  v.enabled = c.get_bool("vector.enabled");
  v.lanes = c.get_int("vector.lanes");
  const double vector_mhz = c.get_float("vector.freq_mhz");
  v.freq_mhz = vector_mhz > 0 ? vector_mhz : p.freq_mhz;
  v.fuse_epilogue = c.get_bool("vector.fuse_epilogue");
  parse_vector_fusion(c.get_string("vector.fusion"), &v.fusion);  // the key's choices: checked
  if (v.fusion == VectorFusion::kEpilogue && !v.fuse_epilogue) {
    throw InputError(c.source +
                     ": vector.fusion = \"epilogue\" runs vector work in the array's output stage, "
                     "which vector.fuse_epilogue = false says does nothing; set one of them "
                     "otherwise");
  }
  v.element_bits = t.bits.output;
  v.accum_bits = t.bits.accum;
  // It works out of the output buffer, through a port as wide as the array's.
  v.port_bytes_per_cycle = p.output_buffer.banks * p.output_buffer.word_bytes();
  v.buffer_bytes = p.output_buffer.resident_capacity_bytes();
  return p;
}

}  // namespace strata
