#include "hw_models/soc/tiling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "hw_models/array/cycle_array.h"
#include "hw_models/mapping/mapping_search.h"
#include "hw_models/soc/resident_set.h"

namespace strata {
namespace {

int64_t bits_to_bytes(int64_t bits) { return (bits + 7) / 8; }

// Converts a stream of bit counts to bytes so that the running byte total is always
// ceil(running bits / 8): per-fold rounding never inflates a layer's traffic.
class ByteStream {
 public:
  int64_t take(int64_t bits) {
    const int64_t before = bits_to_bytes(bits_);
    bits_ += bits;
    return bits_to_bytes(bits_) - before;
  }

 private:
  int64_t bits_ = 0;
};

// Bits of a K-slice [k0, k1) of a row whose full reduction depth K holds `row_bits`: cumulative
// floors, so the slices of a row add up to exactly the row.
int64_t slice_bits(int64_t row_bits, int64_t k0, int64_t k1, int64_t depth) {
  return row_bits * k1 / depth - row_bits * k0 / depth;
}

// Rounds a stream of fractional counts so the running total is always the rounded running sum.
class RoundedStream {
 public:
  int64_t take(double x) {
    if (x == 0) return 0;
    total_ += x;
    const int64_t before = rounded_;
    rounded_ = std::llround(total_);
    return rounded_ - before;
  }

 private:
  double total_ = 0;
  int64_t rounded_ = 0;  // llround(total_)
};

OperandBits stored_bits(OperandBits b, const LayerExecution& x) {
  b.input = x.input_storage_bits;
  b.weight = x.weight_storage_bits;
  return b;
}

struct Range {
  int64_t lo = 0, hi = 0;
  int64_t size() const { return hi - lo; }
};

// Input rows a range of output pixels needs, per image (docs/tiling.md).
class InputFootprint {
 public:
  explicit InputFootprint(const Layer& l) {
    if (l.type == LayerType::kGemm) {
      per_image_rows_ = l.m;
      out_cols_ = 1;
      row_elems_ = l.k;
      return;
    }
    const int64_t e = l.out_h(), f = l.out_w();
    const int64_t cg = l.in_c / l.groups;
    out_rows_ = e;
    out_cols_ = f;
    stride_ = l.stride_h;
    pad_ = l.pad_h;
    kernel_ = l.window_h();
    in_h_ = l.in_h;
    conv_ = true;
    int64_t cols = 0;
    // A dilated window spans window_w() inputs; windows that overlap read every column between.
    if (l.window_w() >= l.stride_w) {
      const int64_t lo = std::max<int64_t>(0, -l.pad_w);
      const int64_t hi = std::min(l.in_w, (f - 1) * l.stride_w - l.pad_w + l.window_w());
      cols = hi - lo;
    } else {
      cols = f * l.kernel_w;  // windows do not overlap: only the touched columns
    }
    rows_are_output_rows_ = l.window_h() < l.stride_h;
    row_elems_ = cols * cg * (rows_are_output_rows_ ? l.kernel_h : 1);
    per_image_rows_ = e * f;
  }

  // Row intervals (per image) for output pixels [p.lo, p.hi) of one GEMM instance.
  template <typename Fn>
  void for_each_image(Range p, Fn&& fn) const {
    if (!conv_) {
      fn(int64_t{0}, Range{p.lo, p.hi});
      return;
    }
    const int64_t per_image = out_rows_ * out_cols_;
    for (int64_t n = p.lo / per_image; n <= (p.hi - 1) / per_image; ++n) {
      const int64_t first = std::max(p.lo, n * per_image) - n * per_image;
      const int64_t last = std::min(p.hi, (n + 1) * per_image) - 1 - n * per_image;
      const int64_t ea = first / out_cols_, eb = last / out_cols_;
      if (rows_are_output_rows_) {
        fn(n, Range{ea, eb + 1});
      } else {
        fn(n, Range{std::max<int64_t>(0, ea * stride_ - pad_),
                    std::min(in_h_, eb * stride_ - pad_ + kernel_)});
      }
    }
  }
  int64_t row_elems() const { return row_elems_; }

 private:
  bool conv_ = false, rows_are_output_rows_ = false;
  int64_t out_rows_ = 0, out_cols_ = 1, stride_ = 1, pad_ = 0, kernel_ = 1, in_h_ = 0;
  int64_t per_image_rows_ = 0, row_elems_ = 0;
};

class Tiler {
 public:
  Tiler(const Layer& layer, const TilingParams& p, LoopOrder order)
      : layer_(layer),
        p_(p),
        order_(order),
        exec_(layer_execution(p.pe, p.sparsity, layer, p.bits.input, p.bits.weight)),
        bits_(stored_bits(p.bits, exec_)),
        real_depth_(gemm_view(layer).depth),
        view_(packed_gemm_view(gemm_view(layer), exec_.packing)),
        map_(mapping_of(p.dataflow)),
        grid_(fold_grid(view_, p.dataflow, p.array)),
        footprint_(layer),
        inputs_(p.input_capacity_bytes * 8),
        weights_(p.weight_capacity_bytes * 8),
        stream_block_(choose_stream_block()) {}

  // In double: the product of untrusted extents may exceed int64 (the caller refuses it).
  double fold_count() const {
    return static_cast<double>(view_.count) * static_cast<double>(grid_.per_instance()) *
           static_cast<double>(blocks());
  }

  LayerTiling run() {
    if (fold_count() > kMaxFoldsPerLayer) {
      throw std::length_error("layer '" + layer_.name + "' has more folds than the tiler holds");
    }
    LayerTiling t;
    t.loop_order = order_;
    t.stream_block = stream_block_;
    const int64_t blocks = this->blocks();
    t.folds.reserve(static_cast<size_t>(view_.count * grid_.per_instance() * blocks));
    const bool rows_outer = order_ == LoopOrder::kRowsOuter;
    const int64_t outer_n = rows_outer ? grid_.row_tiles : grid_.col_tiles;
    const int64_t inner_n = rows_outer ? grid_.col_tiles : grid_.row_tiles;
    for (int64_t inst = 0; inst < view_.count; ++inst) {
      for (int64_t b = 0; b < blocks; ++b) {
        for (int64_t o = 0; o < outer_n; ++o) {
          for (int64_t i = 0; i < inner_n; ++i) {
            t.folds.push_back(fold(inst, rows_outer ? o : i, rows_outer ? i : o, b));
          }
        }
      }
    }
    assign_compute_cycles(t.folds);
    return t;
  }

 private:
  int64_t blocks() const {
    return (extent(view_, map_.streamed) + stream_block_ - 1) / stream_block_;
  }

  // WS and IS accumulate partial sums over the K tiles (array rows). The streamed dimension is cut
  // into blocks small enough that the partial sums being accumulated stay in the output buffer:
  // one column tile's worth when K tiles are the inner loop, every column's when they are outer.
  // A block is never shorter than the array rows, which would expose the stationary reload.
  int64_t choose_stream_block() const {
    const int64_t stream = extent(view_, map_.streamed);
    if (p_.dataflow == Dataflow::kOutputStationary) return stream;
    const int64_t cols = order_ == LoopOrder::kRowsOuter
                             ? extent(view_, map_.array_cols)
                             : std::min(p_.array.cols, extent(view_, map_.array_cols));
    const int64_t fit = p_.output_capacity_bytes * 8 / (cols * p_.bits.accum);
    return std::min(stream, std::max(fit, std::min(stream, p_.array.rows)));
  }

  Range tile(GemmDim d, int64_t row_tile, int64_t col_tile, int64_t block) const {
    const int64_t e = extent(view_, d);
    if (d == map_.array_rows)
      return {row_tile * p_.array.rows, std::min(e, (row_tile + 1) * p_.array.rows)};
    if (d == map_.array_cols)
      return {col_tile * p_.array.cols, std::min(e, (col_tile + 1) * p_.array.cols)};
    return {block * stream_block_, std::min(e, (block + 1) * stream_block_)};
  }

  FoldWork fold(int64_t inst, int64_t rt, int64_t ct, int64_t block) {
    const Range pr = tile(GemmDim::kRows, rt, ct, block);
    const Range kr = tile(GemmDim::kDepth, rt, ct, block);
    const Range mr = tile(GemmDim::kCols, rt, ct, block);
    const OperandBits& b = bits_;
    // The reduction elements behind this fold's packed K steps.
    const Range real_k{exec_.packing.real_index(kr.lo, real_depth_),
                       exec_.packing.real_index(kr.hi, real_depth_)};
    const int64_t k_elems = real_k.size();
    FoldWork w;
    w.peak_macs_per_pe_cycle = exec_.peak_macs_per_unit_cycle;
    w.physical_macs_per_pe_cycle = exec_.physical_macs_per_unit_cycle;
    w.rows_used = tile(map_.array_rows, rt, ct, block).size();
    w.cols_used = tile(map_.array_cols, rt, ct, block).size();
    w.stream = tile(map_.streamed, rt, ct, block).size();
    w.macs = pr.size() * k_elems * mr.size();
    w.mac_ops = mac_ops_.take(static_cast<double>(w.macs) * exec_.issued_per_mac);
    w.gated_mac_ops =
        gated_ops_.take(static_cast<double>(w.macs) * exec_.issued_per_mac * exec_.gated_fraction);
    if (exec_.muxed) w.mux_selects = w.mac_ops;
    if (exec_.activation_nnz > 0 && inst == 0 && rt == 0 && ct == 0 && block == 0) {
      // The top-k unit cuts every input block once, as the activations arrive.
      w.topk_blocks = (layer_.input_elements() + p_.sparsity.bz - 1) / p_.sparsity.bz;
    }

    // Inputs: the rows of the input window this fold's pixels need, for its K slice.
    need_.clear();
    const int64_t row_bits =
        slice_bits(footprint_.row_elems() * b.input, real_k.lo, real_k.hi, real_depth_);
    footprint_.for_each_image(pr, [&](int64_t image, Range rows) {
      need_.push_back({SliceKey{inst, image, kr.lo}, rows.lo, rows.hi, row_bits});
    });
    w.load_input_bytes = input_bytes_.take(inputs_.request(need_));
    // Weights: the K x M tile of this fold.
    const SliceRequest wreq{SliceKey{inst, kr.lo, mr.lo}, 0, 1, k_elems * mr.size() * b.weight};
    w.load_weight_bytes = weight_bytes_.take(weights_.request(&wreq, 1));

    const int64_t out_elems = pr.size() * mr.size();
    w.sram_read_input_bytes = bits_to_bytes(pr.size() * k_elems * b.input);
    w.sram_read_weight_bytes = bits_to_bytes(k_elems * mr.size() * b.weight);
    if (p_.dataflow == Dataflow::kOutputStationary) {
      // Outputs complete inside the PEs: written once.
      w.sram_write_output_bytes = bits_to_bytes(out_elems * b.output);
      w.store_output_bytes = store_bytes_.take(out_elems * b.output);
      return w;
    }
    // WS / IS: the output tile accumulates over the K tiles (array rows).
    const bool first = kr.lo == 0, last = kr.hi == view_.depth;
    const SliceKey key{inst, pr.lo, mr.lo};
    const int64_t psum_bits = out_elems * b.accum;
    auto it = psums_.find(key);
    const bool resident = it != psums_.end();
    if (!first) {
      w.sram_read_output_bytes = bits_to_bytes(psum_bits);
      if (!resident) w.load_psum_bytes = psum_bytes_.take(psum_bits);
    }
    if (last) {
      w.sram_write_output_bytes = bits_to_bytes(out_elems * b.output);
      w.store_output_bytes = store_bytes_.take(out_elems * b.output);
      if (resident) {
        psum_resident_bits_ -= it->second;
        psums_.erase(it);
      }
      return w;
    }
    w.sram_write_output_bytes = bits_to_bytes(psum_bits);
    if (resident) return w;
    if (psum_resident_bits_ + psum_bits <= p_.output_capacity_bytes * 8) {
      psums_[key] = psum_bits;
      psum_resident_bits_ += psum_bits;
    } else {
      w.store_output_bytes = store_bytes_.take(psum_bits);  // spilled partial sums
    }
    return w;
  }

  void assign_compute_cycles(std::vector<FoldWork>& folds) const {
    if (folds.empty()) return;
    if (p_.convention == TimingConvention::kScaleSim) {
      // SCALE-Sim's layer total, spread evenly over the folds for the overlap schedule.
      const int64_t total = scalesim_layer_cycles(layer_, p_.dataflow, p_.array, exec_.packing);
      const int64_t n = static_cast<int64_t>(folds.size());
      for (auto& f : folds) f.compute_cycles = total / n;
      folds.back().compute_cycles += total - (total / n) * n;
      return;
    }
    if (p_.cycle_fidelity) {
      assign_cycle_by_cycle(folds);
      return;
    }
    for (auto& f : folds)
      f.compute_cycles = strata_fold_steady_cycles({f.rows_used, f.cols_used, f.stream});
    const FoldWork& first = folds.front();
    const FoldWork& last = folds.back();
    folds.front().compute_cycles +=
        strata_fill_cycles(p_.dataflow, {first.rows_used, first.cols_used, first.stream});
    folds.back().compute_cycles +=
        strata_drain_cycles(p_.dataflow, {last.rows_used, last.cols_used, last.stream});
  }

  // Each fold costs the cycles until the next one starts; the last one until its last output.
  void assign_cycle_by_cycle(std::vector<FoldWork>& folds) const {
    std::vector<FoldShape> shapes;
    for (const auto& f : folds) shapes.push_back({f.rows_used, f.cols_used, f.stream});
    const int64_t work = os_cycle_work(p_.array, shapes);
    if (static_cast<double>(work) > kMaxCycleFidelityPeCycles) {
      throw std::invalid_argument("layer '" + layer_.name + "' needs ~" + std::to_string(work) +
                                  " PE-cycles, beyond sim.fidelity = \"cycle\"'s limit of " +
                                  std::to_string(static_cast<int64_t>(kMaxCycleFidelityPeCycles)) +
                                  " (use it for small layers)");
    }
    const CycleRun run = simulate_array_cycles(p_.dataflow, p_.array, shapes);
    for (size_t i = 0; i < folds.size(); ++i) {
      const int64_t end = i + 1 < folds.size() ? run.fold_starts[i + 1] : run.cycles;
      folds[i].compute_cycles = end - run.fold_starts[i];
    }
  }

  const Layer& layer_;
  const TilingParams& p_;
  LoopOrder order_;
  LayerExecution exec_;
  OperandBits bits_;  // as stored in the buffers and DRAM
  int64_t real_depth_;
  GemmView view_;
  DataflowMapping map_;
  FoldGrid grid_;
  InputFootprint footprint_;
  ResidentSet inputs_, weights_;
  ByteStream input_bytes_, weight_bytes_, psum_bytes_, store_bytes_;
  RoundedStream mac_ops_, gated_ops_;
  int64_t stream_block_;
  std::unordered_map<SliceKey, int64_t, SliceKeyHash> psums_;
  std::vector<SliceRequest> need_;  // fold()'s input slices, reused
  int64_t psum_resident_bits_ = 0;
};

}  // namespace

int64_t LayerTiling::dram_read_bytes() const {
  int64_t total = 0;
  for (const auto& f : folds) total += f.load_input_bytes + f.load_weight_bytes + f.load_psum_bytes;
  return total;
}

int64_t LayerTiling::dram_write_bytes() const {
  int64_t total = 0;
  for (const auto& f : folds) total += f.store_output_bytes;
  return total;
}

int64_t LayerTiling::compute_cycles() const {
  int64_t total = 0;
  for (const auto& f : folds) total += f.compute_cycles;
  return total;
}

CompulsoryTraffic compulsory_traffic(const Layer& layer, const OperandBits& bits) {
  CompulsoryTraffic c;
  const GemmView v = gemm_view(layer);
  const InputFootprint fp(layer);
  int64_t input_bits = 0;
  const int64_t pixels = v.rows;
  fp.for_each_image(Range{0, pixels}, [&](int64_t, Range rows) {
    input_bits += rows.size() * fp.row_elems() * bits.input;
  });
  c.input_bytes = bits_to_bytes(input_bits * v.count);
  c.weight_bytes = bits_to_bytes(layer.weight_elements() * bits.weight);
  c.output_bytes = bits_to_bytes(layer.output_elements() * bits.output);
  return c;
}

OperandBits layer_operand_bits(const OperandBits& config, const Workload& w, size_t index) {
  OperandBits b = config;
  const Layer& l = w.layers[index];
  if (l.weight_bits > 0) b.weight = l.weight_bits;
  if (l.input_bits > 0) b.input = l.input_bits;
  if (index + 1 < w.layers.size() && w.layers[index + 1].input_bits > 0)
    b.output = w.layers[index + 1].input_bits;
  return b;
}

double layer_fold_count(const Layer& layer, const TilingParams& params) {
  if (params.mapped) return static_cast<double>(kMaxMappedFoldsPerInstance);
  const LoopOrder order =
      params.loop_order == LoopOrder::kAuto ? LoopOrder::kRowsOuter : params.loop_order;
  return Tiler(layer, params, order).fold_count();
}

namespace {

// A mapped layer's mapping: its own, or strata's (default_mapping).
struct ChosenMapping {
  Mapping mapping;
  MappedOperandBits bits;
  std::string where;
};
// `search`: a layer given none gets the search's best for latency (else strata's own).
ChosenMapping chosen_mapping(const Layer& layer, const TilingParams& params, bool search) {
  ChosenMapping c{{},
                  {params.bits.input, params.bits.weight, params.bits.output},
                  "layer '" + layer.name + "': mapping"};
  if (!layer.mapping.empty()) {
    c.mapping = layer.mapping;
  } else if (search) {
    MapSpaceOptions options;
    options.loop_orders = params.hierarchy.walk == TileWalk::kMapping;
    c.mapping = exhaustive_map_search(layer, params.hierarchy, c.bits, MapObjective::kLatency,
                                      options, c.where)
                    .mapping;
  } else {
    c.mapping = default_mapping(layer, params.hierarchy, c.bits, c.where);
  }
  return c;
}

LayerTiling tile_mapped_layer(const Layer& layer, const TilingParams& params) {
  const ChosenMapping c = chosen_mapping(layer, params, params.search_latency);
  MappedExecution x = plan_mapped_layer(layer, c.mapping, params.hierarchy, c.bits, c.where);
  LayerTiling t;
  t.mapping = format_mapping(c.mapping);
  t.dma_timed_in_folds = true;
  t.stream_block = x.tile_pixels;
  t.folds = std::move(x.folds);
  return t;
}

}  // namespace

int64_t check_layer_mapping(const Layer& layer, const TilingParams& params) {
  // The search's mappings fit by construction; the check bounds the run's time from below with
  // strata's own mapping's compute (the search runs once, when the layer is tiled).
  const ChosenMapping c = chosen_mapping(layer, params, false);
  return check_mapped_layer(layer, c.mapping, params.hierarchy, c.bits, c.where).compute_cycles;
}

LayerTiling tile_layer(const Layer& layer, const TilingParams& params) {
  if (params.mapped) return tile_mapped_layer(layer, params);
  if (params.loop_order != LoopOrder::kAuto) return Tiler(layer, params, params.loop_order).run();
  LayerTiling rows_outer = Tiler(layer, params, LoopOrder::kRowsOuter).run();
  LayerTiling cols_outer = Tiler(layer, params, LoopOrder::kColsOuter).run();
  const int64_t a = rows_outer.dram_read_bytes() + rows_outer.dram_write_bytes();
  const int64_t b = cols_outer.dram_read_bytes() + cols_outer.dram_write_bytes();
  return b < a ? std::move(cols_outer) : std::move(rows_outer);
}

int64_t workload_compute_cycles(const Workload& w, const TilingParams& params) {
  int64_t cycles = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    TilingParams p = params;
    p.bits = layer_operand_bits(params.bits, w, i);
    cycles += tile_layer(w.layers[i], p).compute_cycles();
  }
  return cycles;
}

}  // namespace strata
