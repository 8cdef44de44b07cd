#include "hw_models/mapping/mapped_execution.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/input_error.h"

namespace strata {
namespace {

// The four levels a mapping names, outermost first, and what each may keep.
constexpr const char* kRoleNames[4] = {"DRAM", "scratchpad", "accumulator", "PE registers"};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

std::string level_name(const MappingLevel& l, size_t role) {
  return "level L" + std::to_string(l.index) + " (" + kRoleNames[role] + ")";
}

std::string with_commas(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3) s.insert(i, ",");
  return s;
}

bool relevant(Operand op, MapDim d) {
  switch (op) {
    case Operand::kWeights:
      return d == MapDim::kC || d == MapDim::kK || d == MapDim::kR || d == MapDim::kS;
    case Operand::kInputs:
      return d != MapDim::kK;
    case Operand::kOutputs:
      return d == MapDim::kN || d == MapDim::kK || d == MapDim::kP || d == MapDim::kQ;
  }
  return false;
}

constexpr int64_t kMaxTilesPerInstance = kMaxMappedTilesPerInstance;

struct DramLoop {
  MapDim dim;
  int64_t factor;
};

class Planner {
 public:
  Planner(const Layer& layer, const Mapping& m, const MappedHierarchyParams& hw,
          const MappedOperandBits& bits, const std::string& where)
      : layer_(layer), m_(m), hw_(hw), bits_(bits), where_(where) {}

  MappedExecution plan() {
    check_mapping_covers(m_, mapping_dims(layer_), where_);
    check_levels();
    tile_and_loops();
    check_capacity();
    walk();
    return x_;
  }

  // The walk's totals in closed form, without walking the tiles (the mapping search's cost): the
  // same cycles, bytes and requests as plan(), no folds.
  MappedExecution cost() {
    check_mapping_covers(m_, mapping_dims(layer_), where_);
    check_levels();
    tile_and_loops();
    check_capacity();
    const bool gemmini = hw_.walk == TileWalk::kGemmini;
    if (gemmini) gemmini_order();
    const Stays stay = gemmini_stays();
    if (stay.inputs || stay.weights) {
      walk();  // a grid of at most four tiles: walked
      x_.folds.clear();
      return x_;
    }
    const int n = static_cast<int>(loops_.size());
    // prefix[k + 1]: the product of the factors of loops 0..k (prefix[0] = 1).
    std::vector<int64_t> prefix(static_cast<size_t>(n) + 1, 1);
    for (int k = 0; k < n; ++k) {
      prefix[static_cast<size_t>(k) + 1] =
          prefix[static_cast<size_t>(k)] * loops_[static_cast<size_t>(k)].factor;
    }
    auto innermost = [&](Operand op) {
      int last = -1;
      for (int k = 0; k < n; ++k) {
        if (relevant(op, loops_[static_cast<size_t>(k)].dim)) last = k;
      }
      return last;
    };
    const int a_in = innermost(Operand::kInputs), a_w = innermost(Operand::kWeights);
    const int a_out = innermost(Operand::kOutputs);
    // The reduction loops' factors outside loop k (positions below k).
    auto reductions_before = [&](int k) {
      int64_t r = 1;
      for (int i = 0; i < k; ++i) {
        if (!relevant(Operand::kOutputs, loops_[static_cast<size_t>(i)].dim))
          r *= loops_[static_cast<size_t>(i)].factor;
      }
      return r;
    };
    const int64_t compute = tile_compute_cycles();
    const Moves move = move_cycles();
    // Tiles by what they load: the first tile, then those whose outermost advancing loop is j
    // (prefix[j] x (f_j - 1) of them; every loop inside j restarts).
    auto add_tiles = [&](int64_t count, bool in, bool w, bool psums) {
      if (count == 0) return;
      const int64_t load = load_cycles(move, in, w, psums);
      x_.load_cycles += count * load;
      x_.compute_cycles += count * compute;
      x_.cycles += count * (load + compute - hidden_cycles(load, compute));
      if (in) x_.input_bytes += count * input_bytes_;
      if (w) x_.weight_bytes += count * weight_bytes_;
      if (psums) x_.psum_read_bytes += count * psum_bytes_;
      x_.dma_requests += count * ((in ? input_rows_ : 0) + (w ? weight_rows_ : 0) +
                                  (psums ? x_.accumulator_rows : 0));
    };
    if (gemmini) {
      add_tiles(x_.tiles, true, true, false);  // every tile moves its operands in afresh
    } else {
      add_tiles(1, true, true, false);
      for (int j = 0; j < n; ++j) {
        const int64_t count =
            prefix[static_cast<size_t>(j)] * (loops_[static_cast<size_t>(j)].factor - 1);
        const bool in = j <= a_in, w = j <= a_w;
        if (j > a_out) {
          add_tiles(count, in, w, false);
          continue;
        }
        // Back to an output tile: its partial sums come back unless every reduction loop outside
        // is at its first index (the tile's first visit).
        const bool reduction = !relevant(Operand::kOutputs, loops_[static_cast<size_t>(j)].dim);
        const int64_t first_visits = reduction ? 0 : count / reductions_before(j);
        add_tiles(count - first_visits, in, w, true);
        add_tiles(first_visits, in, w, false);
      }
    }
    // An output tile's visit ends before each advance of a loop at or outside the innermost
    // output loop (and at the last tile): stored if it was its last visit, else spilled.
    const int64_t visits = prefix[static_cast<size_t>(a_out) + 1];
    const int64_t stores = gemmini ? visits : visits / reductions_before(a_out);
    const int64_t spills = visits - stores;
    const int64_t store_cycles = stores * (hw_.memory_latency_cycles + move.output) +
                                 spills * (hw_.memory_latency_cycles + move.psum);
    x_.store_cycles += store_cycles;
    x_.cycles += store_cycles;
    x_.output_bytes += stores * output_bytes_;
    x_.psum_write_bytes += spills * psum_bytes_;
    x_.dma_requests += stores * output_rows_ + spills * x_.accumulator_rows;
    scale_by_instances();
    return x_;
  }

  // The checks and the tile shape alone, without walking the tiles: compute_cycles is the
  // array's busy time (a lower bound of the layer's cycles), the rest stays 0.
  MappedExecution check() {
    check_mapping_covers(m_, mapping_dims(layer_), where_);
    check_levels();
    tile_and_loops();
    check_capacity();
    x_.compute_cycles = x_.tiles * tile_compute_cycles() * mapping_instances(layer_);
    return x_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(where_ + ": " + what); }

  int64_t tile(MapDim d) const { return tile_[static_cast<size_t>(map_dim_index(d))]; }

  void check_levels() {
    if (m_.levels.size() != 4) {
      fail(
          "a mapping for the scratchpad-and-accumulator hierarchy has four levels (DRAM, "
          "scratchpad, accumulator, PE registers), this one has " +
          std::to_string(m_.levels.size()));
    }
    // What each role may keep and must keep.
    const bool may[4][3] = {
        {true, true, true}, {true, true, false}, {false, false, true}, {true, false, false}};
    const bool must[4][3] = {
        {true, true, true}, {true, true, false}, {false, false, true}, {true, false, false}};
    const char letters[3] = {'W', 'I', 'O'};
    const char* holds[4] = {"weights, inputs and outputs", "weights and inputs (W, I)",
                            "partial sums and outputs (O)", "one weight per PE (W)"};
    for (size_t r = 0; r < 4; ++r) {
      const MappingLevel& l = m_.levels[r];
      const bool keeps[3] = {l.keeps_weights, l.keeps_inputs, l.keeps_outputs};
      for (int o = 0; o < 3; ++o) {
        if (keeps[o] && !may[r][o]) {
          fail(level_name(l, r) + " keeps " + letters[o] + ", but it holds " + holds[r] + " only");
        }
        if (!keeps[o] && must[r][o]) {
          fail(level_name(l, r) + " must keep " + letters[o] + " (it holds " + holds[r] + ")");
        }
      }
      for (const auto& loop : l.loops) {
        const char d = map_dim_letter(loop.dim);
        if (loop.spatial && r == 0) {
          fail(level_name(l, r) + " has the spatial loop " + d + std::to_string(loop.factor) +
               "X; spatial loops unroll over the array, below DRAM");
        }
        if (loop.spatial && loop.dim != MapDim::kC && loop.dim != MapDim::kK) {
          fail(level_name(l, r) + " unrolls " + d + std::to_string(loop.factor) +
               "X; the array unrolls C over its rows and K over its columns only");
        }
        if (!loop.spatial && r == 3 && relevant(Operand::kWeights, loop.dim) && loop.factor > 1) {
          fail(level_name(l, r) + " loops over " + d + std::to_string(loop.factor) +
               ", but a PE register holds one weight: its loops reuse it over N, P and Q only");
        }
      }
    }
    x_.block_rows = m_.spatial(MapDim::kC);
    x_.block_cols = m_.spatial(MapDim::kK);
    if (x_.block_rows > hw_.array.rows || x_.block_cols > hw_.array.cols) {
      fail("the spatial loops unroll C over " + std::to_string(x_.block_rows) +
           " rows and K over " + std::to_string(x_.block_cols) + " columns; the array has " +
           std::to_string(hw_.array.rows) + " x " + std::to_string(hw_.array.cols));
    }
  }

  void tile_and_loops() {
    tile_.fill(1);
    for (size_t r = 1; r < 4; ++r) {
      for (const auto& loop : m_.levels[r].loops) {
        tile_[static_cast<size_t>(map_dim_index(loop.dim))] *= loop.factor;
      }
    }
    x_.tiles = 1;
    for (const auto& loop : m_.levels[0].loops) {
      if (loop.factor == 1) continue;
      loops_.push_back({loop.dim, loop.factor});
      x_.tiles *= loop.factor;
    }
    if (x_.tiles > kMaxTilesPerInstance) {
      fail("the DRAM level's loops make " + with_commas(x_.tiles) +
           " tiles; strata walks at most 2^24 (larger tiles need fewer)");
    }
    x_.tile_pixels = tile(MapDim::kN) * tile(MapDim::kP) * tile(MapDim::kQ);
    x_.tile_blocks = ceil_div(tile(MapDim::kC), x_.block_rows) *
                     ceil_div(tile(MapDim::kK), x_.block_cols) * tile(MapDim::kR) *
                     tile(MapDim::kS);
    // Scratchpad rows: a pixel's channels (or a weight row's filters) per row of DIM values.
    const int64_t in_per_row = std::max<int64_t>(1, hw_.scratchpad_row_bytes * 8 / bits_.input);
    const int64_t w_per_row = std::max<int64_t>(1, hw_.scratchpad_row_bytes * 8 / bits_.weight);
    const int64_t out_per_row = std::max<int64_t>(1, hw_.scratchpad_row_bytes * 8 / bits_.output);
    const TileFootprint fp = tile_footprint(layer_, tile_, hw_, bits_);
    const int64_t in_pixels = fp.input_pixels;
    input_rows_ = in_pixels * ceil_div(tile(MapDim::kC), in_per_row);
    input_row_bytes_ = ceil_div(std::min(tile(MapDim::kC), in_per_row) * bits_.input, 8);
    input_bytes_ = fp.input_bytes;
    weight_rows_ = tile(MapDim::kR) * tile(MapDim::kS) * tile(MapDim::kC) *
                   ceil_div(tile(MapDim::kK), w_per_row);
    weight_row_bytes_ = ceil_div(std::min(tile(MapDim::kK), w_per_row) * bits_.weight, 8);
    weight_bytes_ = fp.weight_bytes;
    output_rows_ = x_.tile_pixels * ceil_div(tile(MapDim::kK), out_per_row);
    output_row_bytes_ = ceil_div(std::min(tile(MapDim::kK), out_per_row) * bits_.output, 8);
    output_bytes_ = ceil_div(x_.tile_pixels * tile(MapDim::kK) * bits_.output, 8);
    const int64_t acc_per_row = hw_.array.cols;
    x_.accumulator_rows = x_.tile_pixels * ceil_div(tile(MapDim::kK), acc_per_row);
    psum_row_bytes_ = ceil_div(std::min(tile(MapDim::kK), acc_per_row) * hw_.accumulator_bits, 8);
    psum_bytes_ = fp.psum_bytes;
    x_.scratchpad_rows = input_rows_ + weight_rows_;
    tile_macs_ =
        x_.tile_pixels * tile(MapDim::kC) * tile(MapDim::kK) * tile(MapDim::kR) * tile(MapDim::kS);
  }

  // Capacity in values, as Timeloop counts it (a partial row still holds the next pixel's
  // values): the measured Gemmini runs include tiles whose rows, one pixel each, would not fit.
  void check_capacity() const {
    if (input_bytes_ + weight_bytes_ > hw_.scratchpad_bytes) {
      fail(level_name(m_.levels[1], 1) + ": the tile holds " + with_commas(input_bytes_) +
           " B of inputs and " + with_commas(weight_bytes_) + " B of weights, " +
           with_commas(input_bytes_ + weight_bytes_) + " B in all; the scratchpad has " +
           with_commas(hw_.scratchpad_bytes) + " B");
    }
    if (psum_bytes_ > hw_.accumulator_bytes) {
      fail(level_name(m_.levels[2], 2) + ": the tile's " +
           with_commas(x_.tile_pixels * tile(MapDim::kK)) + " partial sums take " +
           with_commas(psum_bytes_) + " B; the accumulator has " +
           with_commas(hw_.accumulator_bytes) + " B");
    }
  }

  // The array's cycles for one tile: each weight block's preload or stream, then the drain.
  int64_t tile_compute_cycles() const {
    return x_.tile_blocks * std::max(x_.block_rows, x_.tile_pixels) + hw_.array.rows;
  }

  // Cycles to move `rows` rows of `row_bytes` each: one request per row.
  int64_t dma_cycles(int64_t rows, int64_t row_bytes) const {
    const double per_row =
        std::max(std::ceil(static_cast<double>(row_bytes) / hw_.dma_bytes_per_cycle),
                 hw_.dma_request_cycles);
    return static_cast<int64_t>(std::llround(static_cast<double>(rows) * per_row));
  }

  // What one tile moves and costs.
  struct TileEvents {
    bool load_inputs = false, load_weights = false, read_psums = false;
    bool store_outputs = false, spill_psums = false;
  };

  // Gemmini's walk: output tiles (N, P, Q, then K) outer, reduction tiles (C, R, S) inner.
  void gemmini_order() {
    std::vector<DramLoop> outer, inner, k;
    for (const auto& l : loops_) {
      (relevant(Operand::kOutputs, l.dim) ? (l.dim == MapDim::kK ? k : outer) : inner).push_back(l);
    }
    loops_ = outer;
    loops_.insert(loops_.end(), k.begin(), k.end());
    loops_.insert(loops_.end(), inner.begin(), inner.end());
  }

  // Which operands Gemmini's walk keeps across tiles (tiled_matmul_outer's a_reuse / b_reuse):
  // a matrix product's operand whose tile grid (its rows or columns times the reductions) is at
  // most two tiles, where the scratchpad also holds two tiles of the other: the one in use and
  // the next moving in.
  struct Stays {
    bool inputs = false, weights = false;
  };
  Stays gemmini_stays() const {
    if (hw_.walk != TileWalk::kGemmini || layer_.type != LayerType::kGemm) return {};
    int64_t i0 = 1, j0 = 1, k0 = 1;  // the tile grid of tiled_matmul: rows, columns, reduction
    for (const auto& l : loops_) {
      (l.dim == MapDim::kK ? j0 : relevant(Operand::kOutputs, l.dim) ? i0 : k0) *= l.factor;
    }
    return {i0 * k0 <= 2 && input_bytes_ + 2 * weight_bytes_ <= hw_.scratchpad_bytes,
            j0 * k0 <= 2 && weight_bytes_ + 2 * input_bytes_ <= hw_.scratchpad_bytes};
  }

  // What each move costs (the same for every tile).
  struct Moves {
    int64_t input = 0, weight = 0, psum = 0, output = 0;
  };
  Moves move_cycles() const {
    return {dma_cycles(input_rows_, input_row_bytes_), dma_cycles(weight_rows_, weight_row_bytes_),
            dma_cycles(x_.accumulator_rows, psum_row_bytes_),
            dma_cycles(output_rows_, output_row_bytes_)};
  }
  // A tile's loads: one latency, then a request per row of what it moves in.
  int64_t load_cycles(const Moves& m, bool inputs, bool weights, bool psums) const {
    return hw_.memory_latency_cycles + (inputs ? m.input : 0) + (weights ? m.weight : 0) +
           (psums ? m.psum : 0);
  }
  // The part of a tile's loads and compute that overlaps (decoupled access and execute).
  int64_t hidden_cycles(int64_t load, int64_t compute) const {
    return static_cast<int64_t>(
        std::llround(hw_.load_compute_overlap * static_cast<double>(std::min(load, compute))));
  }

  // The layer's totals: its instances repeat one instance's walk.
  void scale_by_instances() {
    const int64_t n = mapping_instances(layer_);
    for (int64_t* total : {&x_.cycles, &x_.compute_cycles, &x_.load_cycles, &x_.store_cycles,
                           &x_.dma_requests, &x_.input_bytes, &x_.weight_bytes, &x_.psum_read_bytes,
                           &x_.output_bytes, &x_.psum_write_bytes}) {
      *total *= n;
    }
  }

  void walk() {
    const bool gemmini = hw_.walk == TileWalk::kGemmini;
    if (gemmini) gemmini_order();
    const Stays stay = gemmini_stays();
    // The innermost loop over an output dimension: a reduction loop outside it brings the output
    // tile back later (Timeloop's walk only; Gemmini's puts reductions inside).
    int last_output = -1;
    for (size_t j = 0; j < loops_.size(); ++j) {
      if (relevant(Operand::kOutputs, loops_[j].dim)) last_output = static_cast<int>(j);
    }
    std::vector<int64_t> index(loops_.size(), 0);
    std::vector<char> seen_input_tile, seen_weight_tile;  // the operands that stay
    const int64_t per_fold = ceil_div(x_.tiles, kMaxMappedFoldsPerInstance);
    std::vector<FoldWork> folds;
    FoldWork fold;
    int64_t fold_tiles = 0;
    const int64_t compute = tile_compute_cycles();
    const Moves move = move_cycles();
    for (int64_t t = 0; t < x_.tiles; ++t) {
      // Which loop advanced (the outermost whose index changed); every loop inside it reset.
      int advanced = 0;
      if (t > 0) {
        int j = static_cast<int>(loops_.size()) - 1;
        while (index[static_cast<size_t>(j)] + 1 == loops_[static_cast<size_t>(j)].factor) {
          index[static_cast<size_t>(j)] = 0;
          --j;
        }
        ++index[static_cast<size_t>(j)];
        advanced = j;
      }
      auto moved_from = [&](Operand op) {
        if (t == 0) return true;
        for (size_t j = static_cast<size_t>(advanced); j < loops_.size(); ++j) {
          if (relevant(op, loops_[j].dim)) return true;
        }
        return false;
      };
      TileEvents e;
      if (gemmini) {
        e.load_inputs = !stay.inputs || first_visit(index, Operand::kInputs, &seen_input_tile);
        e.load_weights = !stay.weights || first_visit(index, Operand::kWeights, &seen_weight_tile);
      } else {
        e.load_inputs = moved_from(Operand::kInputs);
        e.load_weights = moved_from(Operand::kWeights);
        // A visit that is not the output tile's first reads its partial sums back.
        e.read_psums = moved_from(Operand::kOutputs) && !reductions_at(index, last_output, 0);
      }
      // The tile ends its output tile's visit if the next one moves to another output tile (or
      // there is none); it is the last visit if every reduction loop outside the innermost
      // output loop is at its end.
      bool visit_ends = t + 1 == x_.tiles;
      if (!visit_ends) {
        int j = static_cast<int>(loops_.size()) - 1;
        while (j >= 0 && index[static_cast<size_t>(j)] + 1 == loops_[static_cast<size_t>(j)].factor)
          --j;
        for (size_t i = static_cast<size_t>(std::max(j, 0)); i < loops_.size(); ++i) {
          if (relevant(Operand::kOutputs, loops_[i].dim)) visit_ends = true;
        }
      }
      if (visit_ends) {
        e.store_outputs = gemmini || reductions_at(index, last_output, 1);
        e.spill_psums = !e.store_outputs;
      }
      // The tile's cost: its loads (one latency, then a request per row), its compute, part of
      // the two overlapped, then its stores.
      const int64_t load = load_cycles(move, e.load_inputs, e.load_weights, e.read_psums);
      int64_t store = 0;
      if (e.store_outputs) store = hw_.memory_latency_cycles + move.output;
      if (e.spill_psums) store = hw_.memory_latency_cycles + move.psum;
      const int64_t hidden = hidden_cycles(load, compute);
      x_.load_cycles += load;
      x_.store_cycles += store;
      x_.compute_cycles += compute;
      x_.cycles += load + compute - hidden + store;
      fold.compute_cycles += compute;
      fold.exposed_dma_cycles += load - hidden + store;
      if (e.load_inputs) fold.load_input_bytes += input_bytes_;
      if (e.load_weights) fold.load_weight_bytes += weight_bytes_;
      if (e.read_psums) fold.load_psum_bytes += psum_bytes_;
      if (e.store_outputs) fold.store_output_bytes += output_bytes_;
      if (e.spill_psums) fold.store_output_bytes += psum_bytes_;
      if (e.load_inputs) x_.input_bytes += input_bytes_;
      if (e.load_weights) x_.weight_bytes += weight_bytes_;
      if (e.read_psums) x_.psum_read_bytes += psum_bytes_;
      if (e.store_outputs) x_.output_bytes += output_bytes_;
      if (e.spill_psums) x_.psum_write_bytes += psum_bytes_;
      x_.dma_requests += (e.load_inputs ? input_rows_ : 0) + (e.load_weights ? weight_rows_ : 0) +
                         (e.read_psums ? x_.accumulator_rows : 0) +
                         (e.store_outputs ? output_rows_ : 0) +
                         (e.spill_psums ? x_.accumulator_rows : 0);
      add_array_work(fold, e.read_psums);
      if (++fold_tiles == per_fold || t + 1 == x_.tiles) {
        folds.push_back(fold);
        fold = FoldWork();
        fold_tiles = 0;
      }
    }
    finish(folds);
  }

  // Whether the tile at `index` is the first to use its operand tile (for an operand that stays
  // in the scratchpad: tiled_matmul_outer's grid of at most two tiles).
  bool first_visit(const std::vector<int64_t>& index, Operand op, std::vector<char>* seen) const {
    int64_t key = 0;
    for (size_t j = 0; j < loops_.size(); ++j) {
      if (relevant(op, loops_[j].dim)) key = key * loops_[j].factor + index[j];
    }
    if (seen->size() <= static_cast<size_t>(key)) seen->resize(static_cast<size_t>(key) + 1, 0);
    const bool first = !(*seen)[static_cast<size_t>(key)];
    (*seen)[static_cast<size_t>(key)] = 1;
    return first;
  }

  // Whether every reduction loop outside loop `limit` is at its first (at = 0) or last (at = 1)
  // index: the first or last visit of the current output tile.
  bool reductions_at(const std::vector<int64_t>& index, int limit, int at) const {
    for (int j = 0; j < limit; ++j) {
      const auto& l = loops_[static_cast<size_t>(j)];
      if (relevant(Operand::kOutputs, l.dim)) continue;
      const int64_t want = at == 0 ? 0 : l.factor - 1;
      if (index[static_cast<size_t>(j)] != want) return false;
    }
    return true;
  }

  // The array's side of one tile: MACs, and the scratchpad and accumulator traffic.
  void add_array_work(FoldWork& f, bool psums_read_back) const {
    f.macs += tile_macs_;
    f.mac_ops += tile_macs_;
    f.rows_used = x_.block_rows;
    f.cols_used = x_.block_cols;
    f.stream = x_.tile_pixels;
    const int64_t streamed = x_.tile_blocks * x_.tile_pixels;  // rows through the array
    f.sram_read_input_bytes += ceil_div(streamed * x_.block_rows * bits_.input, 8);
    f.sram_read_weight_bytes += weight_bytes_;
    const int64_t acc_words = streamed * x_.block_cols;
    // Each block accumulates into the accumulator; the first reduction block of a column block
    // writes without reading, unless the tile's partial sums came back from DRAM.
    const int64_t first_words = psums_read_back ? 0
                                                : x_.tile_pixels * x_.block_cols *
                                                      ceil_div(tile(MapDim::kK), x_.block_cols);
    f.sram_write_output_bytes += ceil_div(acc_words * hw_.accumulator_bits, 8);
    f.sram_read_output_bytes +=
        ceil_div(std::max<int64_t>(0, acc_words - first_words) * hw_.accumulator_bits, 8);
  }

  // The layer's totals and folds: its instances repeat one instance's walk.
  void finish(const std::vector<FoldWork>& folds) {
    scale_by_instances();
    const int64_t n = mapping_instances(layer_);
    // Instances run one after another: their folds repeat, grouped so the layer keeps at most
    // kMaxMappedFoldsPerInstance of them.
    const int64_t total = static_cast<int64_t>(folds.size()) * n;
    const int64_t per = ceil_div(total, kMaxMappedFoldsPerInstance);
    FoldWork group;
    int64_t in_group = 0;
    for (int64_t i = 0; i < total; ++i) {
      merge(group, folds[static_cast<size_t>(i % static_cast<int64_t>(folds.size()))]);
      if (++in_group == per || i + 1 == total) {
        x_.folds.push_back(group);
        group = FoldWork();
        in_group = 0;
      }
    }
  }

  static void merge(FoldWork& into, const FoldWork& f) {
    into.compute_cycles += f.compute_cycles;
    into.exposed_dma_cycles += f.exposed_dma_cycles;
    into.macs += f.macs;
    into.mac_ops += f.mac_ops;
    into.rows_used = f.rows_used;
    into.cols_used = f.cols_used;
    into.stream = f.stream;
    into.load_input_bytes += f.load_input_bytes;
    into.load_weight_bytes += f.load_weight_bytes;
    into.load_psum_bytes += f.load_psum_bytes;
    into.store_output_bytes += f.store_output_bytes;
    into.sram_read_input_bytes += f.sram_read_input_bytes;
    into.sram_read_weight_bytes += f.sram_read_weight_bytes;
    into.sram_read_output_bytes += f.sram_read_output_bytes;
    into.sram_write_output_bytes += f.sram_write_output_bytes;
  }

  const Layer& layer_;
  const Mapping& m_;
  const MappedHierarchyParams& hw_;
  const MappedOperandBits& bits_;
  const std::string& where_;
  MapDims tile_{};
  std::vector<DramLoop> loops_;  // the DRAM level's loops over more than one index
  int64_t input_rows_ = 0, input_row_bytes_ = 0, input_bytes_ = 0;
  int64_t weight_rows_ = 0, weight_row_bytes_ = 0, weight_bytes_ = 0;
  int64_t output_rows_ = 0, output_row_bytes_ = 0, output_bytes_ = 0;
  int64_t psum_row_bytes_ = 0, psum_bytes_ = 0;
  int64_t tile_macs_ = 0;
  MappedExecution x_;
};

}  // namespace

TileFootprint tile_footprint(const Layer& layer, const MapDims& tile,
                             const MappedHierarchyParams& hw, const MappedOperandBits& bits) {
  auto t = [&](MapDim d) { return tile[static_cast<size_t>(map_dim_index(d))]; };
  const bool gemm = layer.type == LayerType::kGemm;
  const int64_t sh = gemm ? 1 : layer.stride_h, sw = gemm ? 1 : layer.stride_w;
  const int64_t dh = gemm ? 1 : layer.dilation_h, dw = gemm ? 1 : layer.dilation_w;
  TileFootprint f;
  f.input_pixels = t(MapDim::kN) * ((t(MapDim::kP) - 1) * sh + (t(MapDim::kR) - 1) * dh + 1) *
                   ((t(MapDim::kQ) - 1) * sw + (t(MapDim::kS) - 1) * dw + 1);
  f.input_bytes = ceil_div(f.input_pixels * t(MapDim::kC) * bits.input, 8);
  f.weight_bytes =
      ceil_div(t(MapDim::kR) * t(MapDim::kS) * t(MapDim::kC) * t(MapDim::kK) * bits.weight, 8);
  f.psum_bytes = ceil_div(
      t(MapDim::kN) * t(MapDim::kP) * t(MapDim::kQ) * t(MapDim::kK) * hw.accumulator_bits, 8);
  return f;
}

bool tile_fits(const TileFootprint& f, const MappedHierarchyParams& hw) {
  return f.input_bytes + f.weight_bytes <= hw.scratchpad_bytes &&
         f.psum_bytes <= hw.accumulator_bytes;
}

TileWalk parse_tile_walk(const std::string& name) {
  if (name == "mapping") return TileWalk::kMapping;
  if (name == "gemmini") return TileWalk::kGemmini;
  throw std::invalid_argument("unknown tile walk '" + name + "' (mapping, gemmini)");
}

std::string to_string(TileWalk w) { return w == TileWalk::kMapping ? "mapping" : "gemmini"; }

MappedExecution plan_mapped_layer(const Layer& layer, const Mapping& mapping,
                                  const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                  const std::string& where) {
  return Planner(layer, mapping, hw, bits, where).plan();
}

MappedExecution cost_mapped_layer(const Layer& layer, const Mapping& mapping,
                                  const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                  const std::string& where) {
  return Planner(layer, mapping, hw, bits, where).cost();
}

MappedExecution check_mapped_layer(const Layer& layer, const Mapping& mapping,
                                   const MappedHierarchyParams& hw, const MappedOperandBits& bits,
                                   const std::string& where) {
  return Planner(layer, mapping, hw, bits, where).check();
}

}  // namespace strata
