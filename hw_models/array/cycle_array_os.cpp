// The output-stationary machine of the cycle-by-cycle walk (cycle_array.h).
#include <algorithm>

#include "hw_models/array/cycle_array_machines.h"

namespace strata {

int64_t OsMachine::Fold::expected(int64_t i, int64_t j) const {
  int64_t s = 0;
  for (int64_t k = 0; k < shape.stream; ++k)
    s += int64_t{a[i * shape.stream + k]} * b[k * shape.cols_used + j];
  return s;
}

OsMachine::OsMachine(ArrayGeometry array, const std::vector<FoldShape>& shapes, uint64_t seed)
    : R_(array.rows), C_(array.cols), folds_(shapes.size()) {
  OperandDraw draw(seed);
  for (size_t f = 0; f < shapes.size(); ++f) {
    folds_[f].shape = shapes[f];
    folds_[f].a = draw.draw(shapes[f].rows_used * shapes[f].stream);
    folds_[f].b = draw.draw(shapes[f].stream * shapes[f].cols_used);
  }
  // The controller: fold f+1 starts once the edges have streamed fold f (start + K) and when
  // none of its results can land in an output register that fold f's drain has not emptied, nor
  // start a column drain while fold f's still runs. Drain of column j starts the cycle after its
  // last row's result (start + rows + j + K - 1); it empties row i at drain start + i.
  for (size_t f = 1; f < folds_.size(); ++f) {
    const FoldShape& p = folds_[f - 1].shape;
    const FoldShape& n = folds_[f].shape;
    const int64_t ps = folds_[f - 1].start;
    int64_t s = ps + p.stream;
    for (int64_t j = 0; j < std::min(p.cols_used, n.cols_used); ++j) {
      const int64_t drain = ps + p.rows_used + j + p.stream - 1;
      s = std::max(s, drain - j - n.stream + 1);                                // registers free
      s = std::max(s, drain + p.rows_used - (n.rows_used + j + n.stream - 1));  // chain free
    }
    folds_[f].start = s;
  }
  const size_t pes = static_cast<size_t>(R_ * C_);
  a_.assign(pes, {});
  b_.assign(pes, {});
  out_.assign(pes, {});
  acc_.assign(pes, 0);
  count_.assign(pes, 0);
  out_value_.assign(pes, 0);
  out_row_.assign(pes, 0);
  drain_left_.assign(static_cast<size_t>(C_), 0);
  drain_len_.assign(static_cast<size_t>(C_), 0);
  drain_fold_.assign(static_cast<size_t>(C_), -1);
}

std::vector<int64_t> OsMachine::fold_starts() const {
  std::vector<int64_t> starts;
  for (const auto& f : folds_) starts.push_back(f.start);
  return starts;
}

int64_t OsMachine::outputs() const {
  int64_t n = 0;
  for (const auto& f : folds_) n += f.shape.rows_used * f.shape.cols_used;
  return n;
}

int64_t OsMachine::step(int64_t t, CycleRun& run) {
  int64_t left = 0;
  drain(t, run, &left);
  move_and_inject(t);
  multiply(run);
  start_drains(run);
  return left;
}

// In every draining column the draining fold's results move down one row (other results stay
// put) and its bottom row leaves the array.
void OsMachine::drain(int64_t t, CycleRun& run, int64_t* left) {
  for (int64_t j = 0; j < C_; ++j) {
    if (drain_left_[j] == 0) continue;
    const int64_t len = drain_len_[j];
    const int32_t draining = drain_fold_[j];
    const Operand& bottom = out_[(len - 1) * C_ + j];
    if (bottom.fold == draining) {
      const Fold& fd = folds_[static_cast<size_t>(bottom.fold)];
      if (out_value_[(len - 1) * C_ + j] != fd.expected(out_row_[(len - 1) * C_ + j], j)) {
        ++run.wrong_outputs;
      }
      ++*left;
      run.cycles = t + 1;
      out_[(len - 1) * C_ + j] = Operand{};
    }
    for (int64_t i = len - 1; i > 0; --i) {
      if (out_[(i - 1) * C_ + j].fold != draining) continue;
      if (out_[i * C_ + j].fold >= 0) ++run.collisions;
      out_[i * C_ + j] = out_[(i - 1) * C_ + j];
      out_value_[i * C_ + j] = out_value_[(i - 1) * C_ + j];
      out_row_[i * C_ + j] = out_row_[(i - 1) * C_ + j];
      out_[(i - 1) * C_ + j] = Operand{};
    }
    if (--drain_left_[j] == 0) drain_fold_[j] = -1;
  }
}

// Operands move one PE (right, down); the edges inject the wavefront of the folds in flight.
void OsMachine::move_and_inject(int64_t t) {
  for (int64_t i = R_ - 1; i >= 0; --i) {
    for (int64_t j = C_ - 1; j >= 0; --j) {
      a_[i * C_ + j] = j > 0 ? a_[i * C_ + j - 1] : Operand{};
      b_[i * C_ + j] = i > 0 ? b_[(i - 1) * C_ + j] : Operand{};
    }
  }
  while (first_active_ < folds_.size() && folds_[first_active_].start +
                                                  folds_[first_active_].shape.stream +
                                                  std::max(folds_[first_active_].shape.rows_used,
                                                           folds_[first_active_].shape.cols_used) <
                                              t) {
    ++first_active_;
  }
  for (size_t f = first_active_; f < folds_.size() && folds_[f].start <= t; ++f) {
    const Fold& fd = folds_[f];
    const FoldShape& s = fd.shape;
    for (int64_t i = 0; i < s.rows_used; ++i) {
      const int64_t k = t - fd.start - i;
      if (k >= 0 && k < s.stream) a_[i * C_] = {fd.a[i * s.stream + k], static_cast<int32_t>(f)};
    }
    for (int64_t j = 0; j < s.cols_used; ++j) {
      const int64_t k = t - fd.start - j;
      if (k >= 0 && k < s.stream) b_[j] = {fd.b[k * s.cols_used + j], static_cast<int32_t>(f)};
    }
  }
}

// MAC where two operands of one fold meet; a finished sum goes to the output register.
void OsMachine::multiply(CycleRun& run) {
  for (int64_t i = 0; i < R_; ++i) {
    for (int64_t j = 0; j < C_; ++j) {
      const size_t p = static_cast<size_t>(i * C_ + j);
      if (a_[p].fold < 0 || a_[p].fold != b_[p].fold) continue;
      acc_[p] += int64_t{a_[p].value} * b_[p].value;
      ++run.macs;
      if (++count_[p] < folds_[static_cast<size_t>(a_[p].fold)].shape.stream) continue;
      if (out_[p].fold >= 0) ++run.collisions;
      out_[p] = {0, a_[p].fold};
      out_value_[p] = acc_[p];
      out_row_[p] = static_cast<int32_t>(i);
      acc_[p] = 0;
      count_[p] = 0;
    }
  }
}

// A column whose used rows all hold one fold's results drains from the next cycle.
void OsMachine::start_drains(CycleRun& run) {
  for (int64_t j = 0; j < C_; ++j) {
    const int32_t f = out_[j].fold;
    if (f < 0 || drain_fold_[j] == f) continue;
    const int64_t rows = folds_[static_cast<size_t>(f)].shape.rows_used;
    if (j >= folds_[static_cast<size_t>(f)].shape.cols_used) continue;
    bool full = true;
    for (int64_t i = 0; i < rows && full; ++i) full = out_[i * C_ + j].fold == f;
    if (!full) continue;
    if (drain_left_[j] > 0) {
      ++run.collisions;  // a drain still running in this column
      continue;
    }
    drain_left_[j] = rows;
    drain_len_[j] = rows;
    drain_fold_[j] = f;
  }
}

}  // namespace strata
