// The weight- and input-stationary machine of the cycle-by-cycle walk (cycle_array.h).
#include <algorithm>

#include "hw_models/array/cycle_array_machines.h"

namespace strata {

int64_t StationaryMachine::Fold::expected(int64_t p, int64_t j) const {
  int64_t s = 0;
  for (int64_t i = 0; i < shape.rows_used; ++i) {
    s += int64_t{stream[p * shape.rows_used + i]} * held[i * shape.cols_used + j];
  }
  return s;
}

StationaryMachine::StationaryMachine(ArrayGeometry array, const std::vector<FoldShape>& shapes,
                                     uint64_t seed)
    : R_(array.rows), C_(array.cols), folds_(shapes.size()) {
  OperandDraw draw(seed);
  for (size_t f = 0; f < shapes.size(); ++f) {
    Fold& fd = folds_[f];
    fd.shape = shapes[f];
    fd.held = draw.draw(shapes[f].rows_used * shapes[f].cols_used);
    fd.stream = draw.draw(shapes[f].stream * shapes[f].rows_used);
    fd.preload.assign(static_cast<size_t>(C_), 0);
  }
  // The controller. Preload of column j: rows' values enter the bus one per cycle (row 0 first),
  // value i reaches row i at preload + 2i and is latched at the end of that cycle. It may start
  // once the bus port is free and row 0 has switched to the previous fold (the rows below switch
  // later than their value passes). A fold starts when the edges are free and every PE's shadow
  // value is latched before the fold's first operand reaches it (start + i + j > preload + 2i).
  for (size_t f = 0; f < folds_.size(); ++f) {
    Fold& fd = folds_[f];
    int64_t start = f > 0 ? folds_[f - 1].start + folds_[f - 1].shape.stream : 0;
    for (int64_t j = 0; j < fd.shape.cols_used; ++j) {
      int64_t q = 0;
      if (f > 0) {
        const Fold& prev = folds_[f - 1];
        q = std::max(prev.start + j, prev.preload[j] + prev.shape.rows_used);
      }
      fd.preload[j] = q;
      start = std::max(start, q + fd.shape.rows_used - j);
    }
    fd.start = start;
  }
  const size_t pes = static_cast<size_t>(R_ * C_);
  active_.assign(pes, {});
  shadow_.assign(pes, {});
  operand_.assign(pes, {});
  psum_.assign(pes, {});
  bus_.assign(pes, {});
}

std::vector<int64_t> StationaryMachine::fold_starts() const {
  std::vector<int64_t> starts;
  for (const auto& f : folds_) starts.push_back(f.start);
  return starts;
}

int64_t StationaryMachine::outputs() const {
  int64_t n = 0;
  for (const auto& f : folds_) n += f.shape.stream * f.shape.cols_used;
  return n;
}

int64_t StationaryMachine::step(int64_t t, CycleRun& run) {
  preload_bus(t);
  move_and_inject(t);
  const int64_t left = multiply(t, run);
  latch();
  return left;
}

// Every value on the preload bus moves down a row; the top takes the next value due.
void StationaryMachine::preload_bus(int64_t t) {
  for (int64_t i = R_ - 1; i >= 0; --i) {
    for (int64_t j = 0; j < C_; ++j) bus_[i * C_ + j] = i > 0 ? bus_[(i - 1) * C_ + j] : BusValue{};
  }
  for (size_t f = 0; f < folds_.size(); ++f) {
    const Fold& fd = folds_[f];
    for (int64_t j = 0; j < fd.shape.cols_used; ++j) {
      const int64_t row = t - fd.preload[j];
      if (row >= 0 && row < fd.shape.rows_used) {
        bus_[j] = {fd.held[row * fd.shape.cols_used + j], static_cast<int32_t>(f), row};
      }
    }
  }
}

// Streamed operands move right; the left edge injects the wavefront of the folds in flight.
void StationaryMachine::move_and_inject(int64_t t) {
  for (int64_t i = R_ - 1; i >= 0; --i) {
    for (int64_t j = C_ - 1; j >= 0; --j)
      operand_[i * C_ + j] = j > 0 ? operand_[i * C_ + j - 1] : Streamed{};
  }
  for (size_t f = 0; f < folds_.size(); ++f) {
    const Fold& fd = folds_[f];
    if (t < fd.start || t > fd.start + fd.shape.stream + fd.shape.rows_used) continue;
    for (int64_t i = 0; i < fd.shape.rows_used; ++i) {
      const int64_t p = t - fd.start - i;
      if (p >= 0 && p < fd.shape.stream) {
        operand_[i * C_] = {fd.stream[p * fd.shape.rows_used + i], static_cast<int32_t>(f), p};
      }
    }
  }
}

// Partial sums move down (bottom-up so each PE reads its upper neighbour's value of the previous
// cycle); PEs switch to their shadow value when a new fold's operand arrives, then multiply and
// accumulate. Returns the outputs that left the bottom row.
int64_t StationaryMachine::multiply(int64_t t, CycleRun& run) {
  int64_t left = 0;
  for (int64_t i = R_ - 1; i >= 0; --i) {
    for (int64_t j = 0; j < C_; ++j) {
      const size_t k = static_cast<size_t>(i * C_ + j);
      const Streamed& x = operand_[k];
      Streamed out{};
      // A streamed operand passes the columns its fold does not use without a MAC.
      if (x.fold >= 0 && j < folds_[static_cast<size_t>(x.fold)].shape.cols_used) {
        const Fold& fd = folds_[static_cast<size_t>(x.fold)];
        if (active_[k].fold != x.fold) {
          if (shadow_[k].fold != x.fold) ++run.collisions;  // the shadow value is not there
          active_[k] = shadow_[k];
        }
        const Streamed in = i > 0 ? psum_[(i - 1) * C_ + j] : Streamed{0, x.fold, x.index};
        if (in.fold != x.fold || in.index != x.index) ++run.collisions;
        out = {in.value + x.value * active_[k].value, x.fold, x.index};
        ++run.macs;
        if (i == fd.shape.rows_used - 1) {
          if (out.value != fd.expected(x.index, j)) ++run.wrong_outputs;
          ++left;
          run.cycles = t + 1;
        }
      }
      psum_[k] = out;
    }
  }
  return left;
}

// Rows latch their own preload values (after this cycle's switches read the old ones).
void StationaryMachine::latch() {
  for (int64_t i = 0; i < R_; ++i) {
    for (int64_t j = 0; j < C_; ++j) {
      const BusValue& b = bus_[i * C_ + j];
      if (b.fold >= 0 && b.row == i) shadow_[i * C_ + j] = {b.value, b.fold};
    }
  }
}

}  // namespace strata
