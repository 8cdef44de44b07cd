#include "hw_models/array/cycle_array.h"

#include <algorithm>
#include <random>

namespace strata {
namespace {

struct Operand {
  int32_t value = 0;
  int32_t fold = -1;  // -1: empty
};

struct FoldData {
  FoldShape shape;
  std::vector<int32_t> a;  // rows_used x stream
  std::vector<int32_t> b;  // stream x cols_used
  int64_t start = 0;       // cycle the controller injects its first operands
  int64_t expected(int64_t i, int64_t j) const {
    int64_t s = 0;
    for (int64_t k = 0; k < shape.stream; ++k)
      s += int64_t{a[i * shape.stream + k]} * b[k * shape.cols_used + j];
    return s;
  }
};

}  // namespace

CycleRun simulate_os_cycles(ArrayGeometry array, const std::vector<FoldShape>& shapes,
                            uint64_t seed) {
  const int64_t R = array.rows, C = array.cols;
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_int_distribution<int32_t> value(-8, 7);
  std::vector<FoldData> folds(shapes.size());
  for (size_t f = 0; f < shapes.size(); ++f) {
    folds[f].shape = shapes[f];
    folds[f].a.resize(static_cast<size_t>(shapes[f].rows_used * shapes[f].stream));
    folds[f].b.resize(static_cast<size_t>(shapes[f].stream * shapes[f].cols_used));
    for (auto& x : folds[f].a) x = value(rng);
    for (auto& x : folds[f].b) x = value(rng);
  }
  // The controller: fold f+1 starts once the edges have streamed fold f (start + K) and when
  // none of its results can land in an output register that fold f's drain has not emptied, nor
  // start a column drain while fold f's still runs. Drain of column j starts the cycle after its
  // last row's result (start + rows + j + K - 1); it empties row i at drain start + i.
  for (size_t f = 1; f < folds.size(); ++f) {
    const FoldShape& p = folds[f - 1].shape;
    const FoldShape& n = folds[f].shape;
    const int64_t ps = folds[f - 1].start;
    int64_t s = ps + p.stream;
    for (int64_t j = 0; j < std::min(p.cols_used, n.cols_used); ++j) {
      const int64_t drain = ps + p.rows_used + j + p.stream - 1;
      s = std::max(s, drain - j - n.stream + 1);                                // registers free
      s = std::max(s, drain + p.rows_used - (n.rows_used + j + n.stream - 1));  // chain free
    }
    folds[f].start = s;
  }

  CycleRun run;
  for (const auto& f : folds) run.fold_starts.push_back(f.start);
  std::vector<Operand> a(static_cast<size_t>(R * C)), b(a.size()), out(a.size());
  std::vector<int64_t> acc(a.size(), 0), count(a.size(), 0), out_value(a.size(), 0);
  std::vector<int32_t> out_row(a.size(), 0);
  std::vector<int64_t> drain_left(static_cast<size_t>(C), 0), drain_len(static_cast<size_t>(C), 0);
  std::vector<int32_t> drain_fold(static_cast<size_t>(C), -1);
  std::vector<int64_t> outputs_left(folds.size());
  int64_t remaining = 0;
  for (size_t f = 0; f < folds.size(); ++f) {
    outputs_left[f] = folds[f].shape.rows_used * folds[f].shape.cols_used;
    remaining += outputs_left[f];
  }
  size_t first_active = 0;
  // Every output leaves within the last fold's start plus its pipeline; past that, outputs were
  // lost.
  int64_t limit = 16;
  for (const auto& f : folds) limit = std::max(limit, f.start + 4 * (f.shape.stream + R + C));
  for (int64_t t = 0; remaining > 0; ++t) {
    if (t > limit) {
      run.wrong_outputs += remaining;  // never left the array
      break;
    }
    // 1. Drain: in every draining column the draining fold's results move down one row (other
    //    results stay put) and its bottom row leaves the array.
    for (int64_t j = 0; j < C; ++j) {
      if (drain_left[j] == 0) continue;
      const int64_t len = drain_len[j];
      const int32_t draining = drain_fold[j];
      const Operand& bottom = out[(len - 1) * C + j];
      if (bottom.fold == draining) {
        const FoldData& fd = folds[static_cast<size_t>(bottom.fold)];
        if (out_value[(len - 1) * C + j] != fd.expected(out_row[(len - 1) * C + j], j)) {
          ++run.wrong_outputs;
        }
        --outputs_left[static_cast<size_t>(bottom.fold)];
        --remaining;
        run.cycles = t + 1;
      }
      if (bottom.fold == draining) out[(len - 1) * C + j] = Operand{};
      for (int64_t i = len - 1; i > 0; --i) {
        if (out[(i - 1) * C + j].fold != draining) continue;
        if (out[i * C + j].fold >= 0) ++run.collisions;
        out[i * C + j] = out[(i - 1) * C + j];
        out_value[i * C + j] = out_value[(i - 1) * C + j];
        out_row[i * C + j] = out_row[(i - 1) * C + j];
        out[(i - 1) * C + j] = Operand{};
      }
      if (--drain_left[j] == 0) drain_fold[j] = -1;
    }
    // 2. Operands move one PE (right, down); the edges inject the wavefront of the folds in flight.
    for (int64_t i = R - 1; i >= 0; --i) {
      for (int64_t j = C - 1; j >= 0; --j) {
        a[i * C + j] = j > 0 ? a[i * C + j - 1] : Operand{};
        b[i * C + j] = i > 0 ? b[(i - 1) * C + j] : Operand{};
      }
    }
    while (first_active < folds.size() && folds[first_active].start +
                                                  folds[first_active].shape.stream +
                                                  std::max(folds[first_active].shape.rows_used,
                                                           folds[first_active].shape.cols_used) <
                                              t) {
      ++first_active;
    }
    for (size_t f = first_active; f < folds.size() && folds[f].start <= t; ++f) {
      const FoldData& fd = folds[f];
      const FoldShape& s = fd.shape;
      for (int64_t i = 0; i < s.rows_used; ++i) {
        const int64_t k = t - fd.start - i;
        if (k >= 0 && k < s.stream) a[i * C] = {fd.a[i * s.stream + k], static_cast<int32_t>(f)};
      }
      for (int64_t j = 0; j < s.cols_used; ++j) {
        const int64_t k = t - fd.start - j;
        if (k >= 0 && k < s.stream) b[j] = {fd.b[k * s.cols_used + j], static_cast<int32_t>(f)};
      }
    }
    // 3. MAC where two operands of one fold meet; a finished sum goes to the output register.
    for (int64_t i = 0; i < R; ++i) {
      for (int64_t j = 0; j < C; ++j) {
        const size_t p = static_cast<size_t>(i * C + j);
        if (a[p].fold < 0 || a[p].fold != b[p].fold) continue;
        acc[p] += int64_t{a[p].value} * b[p].value;
        ++run.macs;
        if (++count[p] < folds[static_cast<size_t>(a[p].fold)].shape.stream) continue;
        if (out[p].fold >= 0) ++run.collisions;
        out[p] = {0, a[p].fold};
        out_value[p] = acc[p];
        out_row[p] = static_cast<int32_t>(i);
        acc[p] = 0;
        count[p] = 0;
      }
    }
    // 4. A column whose used rows all hold one fold's results drains from the next cycle.
    for (int64_t j = 0; j < C; ++j) {
      const int32_t f = out[j].fold;
      if (f < 0 || drain_fold[j] == f) continue;
      const int64_t rows = folds[static_cast<size_t>(f)].shape.rows_used;
      if (j >= folds[static_cast<size_t>(f)].shape.cols_used) continue;
      bool full = true;
      for (int64_t i = 0; i < rows && full; ++i) full = out[i * C + j].fold == f;
      if (!full) continue;
      if (drain_left[j] > 0) {
        ++run.collisions;  // a drain still running in this column
        continue;
      }
      drain_left[j] = rows;
      drain_len[j] = rows;
      drain_fold[j] = f;
    }
  }
  return run;
}

int64_t os_cycle_work(ArrayGeometry array, const std::vector<FoldShape>& folds) {
  int64_t cycles = 0;
  for (const auto& f : folds) cycles += std::max(f.stream, f.rows_used);
  return (cycles + array.rows + array.cols) * array.rows * array.cols;
}

}  // namespace strata

namespace strata {
namespace {

struct Stationary {
  int64_t value = 0;
  int32_t fold = -1;
};

struct Streamed {
  int64_t value = 0;
  int32_t fold = -1;
  int64_t index = 0;  // position in the stream (P for WS, M for IS)
};

struct BusValue {
  int64_t value = 0;
  int32_t fold = -1;
  int64_t row = 0;  // the row that latches it
};

struct StationaryFold {
  FoldShape shape;
  std::vector<int32_t> held;     // rows_used x cols_used: the stationary tile
  std::vector<int32_t> stream;   // stream x rows_used: the streamed operand
  int64_t start = 0;             // first streamed operand enters row 0
  std::vector<int64_t> preload;  // per column: first preload value enters the bus
  int64_t expected(int64_t p, int64_t j) const {
    int64_t s = 0;
    for (int64_t i = 0; i < shape.rows_used; ++i) {
      s += int64_t{stream[p * shape.rows_used + i]} * held[i * shape.cols_used + j];
    }
    return s;
  }
};

}  // namespace

CycleRun simulate_stationary_cycles(ArrayGeometry array, const std::vector<FoldShape>& shapes,
                                    uint64_t seed) {
  const int64_t R = array.rows, C = array.cols;
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_int_distribution<int32_t> value(-8, 7);
  std::vector<StationaryFold> folds(shapes.size());
  for (size_t f = 0; f < shapes.size(); ++f) {
    StationaryFold& fd = folds[f];
    fd.shape = shapes[f];
    fd.held.resize(static_cast<size_t>(shapes[f].rows_used * shapes[f].cols_used));
    fd.stream.resize(static_cast<size_t>(shapes[f].stream * shapes[f].rows_used));
    for (auto& x : fd.held) x = value(rng);
    for (auto& x : fd.stream) x = value(rng);
    fd.preload.assign(static_cast<size_t>(C), 0);
  }
  // The controller. Preload of column j: rows' values enter the bus one per cycle (row 0 first),
  // value i reaches row i at preload + 2i and is latched at the end of that cycle. It may start
  // once the bus port is free and row 0 has switched to the previous fold (the rows below switch
  // later than their value passes). A fold starts when the edges are free and every PE's shadow
  // value is latched before the fold's first operand reaches it (start + i + j > preload + 2i).
  for (size_t f = 0; f < folds.size(); ++f) {
    StationaryFold& fd = folds[f];
    int64_t start = f > 0 ? folds[f - 1].start + folds[f - 1].shape.stream : 0;
    for (int64_t j = 0; j < fd.shape.cols_used; ++j) {
      int64_t q = 0;
      if (f > 0) {
        const StationaryFold& prev = folds[f - 1];
        q = std::max(prev.start + j, prev.preload[j] + prev.shape.rows_used);
      }
      fd.preload[j] = q;
      start = std::max(start, q + fd.shape.rows_used - j);
    }
    fd.start = start;
  }

  std::vector<Stationary> active(static_cast<size_t>(R * C)), shadow(active.size());
  std::vector<Streamed> operand(active.size()), psum(active.size());
  std::vector<BusValue> bus(active.size());
  int64_t remaining = 0;
  for (const auto& fd : folds) remaining += fd.shape.stream * fd.shape.cols_used;
  int64_t limit = 16;
  for (const auto& fd : folds) limit = std::max(limit, fd.start + 4 * (fd.shape.stream + R + C));
  CycleRun run;
  for (const auto& fd : folds) run.fold_starts.push_back(fd.start);
  for (int64_t t = 0; remaining > 0; ++t) {
    if (t > limit) {
      run.wrong_outputs += remaining;
      break;
    }
    // 1. Preload bus: every value moves down a row; the top takes the next value due.
    for (int64_t i = R - 1; i >= 0; --i) {
      for (int64_t j = 0; j < C; ++j) bus[i * C + j] = i > 0 ? bus[(i - 1) * C + j] : BusValue{};
    }
    for (size_t f = 0; f < folds.size(); ++f) {
      const StationaryFold& fd = folds[f];
      for (int64_t j = 0; j < fd.shape.cols_used; ++j) {
        const int64_t row = t - fd.preload[j];
        if (row >= 0 && row < fd.shape.rows_used) {
          bus[j] = {fd.held[row * fd.shape.cols_used + j], static_cast<int32_t>(f), row};
        }
      }
    }
    // 2. Streamed operands move right; partial sums move down (bottom-up so each PE reads its
    //    upper neighbour's value of the previous cycle); PEs switch to their shadow value when a
    //    new fold's operand arrives, then multiply and accumulate.
    for (int64_t i = R - 1; i >= 0; --i) {
      for (int64_t j = C - 1; j >= 0; --j)
        operand[i * C + j] = j > 0 ? operand[i * C + j - 1] : Streamed{};
    }
    for (size_t f = 0; f < folds.size(); ++f) {
      const StationaryFold& fd = folds[f];
      if (t < fd.start || t > fd.start + fd.shape.stream + fd.shape.rows_used) continue;
      for (int64_t i = 0; i < fd.shape.rows_used; ++i) {
        const int64_t p = t - fd.start - i;
        if (p >= 0 && p < fd.shape.stream) {
          operand[i * C] = {fd.stream[p * fd.shape.rows_used + i], static_cast<int32_t>(f), p};
        }
      }
    }
    for (int64_t i = R - 1; i >= 0; --i) {
      for (int64_t j = 0; j < C; ++j) {
        const size_t k = static_cast<size_t>(i * C + j);
        const Streamed& x = operand[k];
        Streamed out{};
        // A streamed operand passes the columns its fold does not use without a MAC.
        if (x.fold >= 0 && j < folds[static_cast<size_t>(x.fold)].shape.cols_used) {
          const StationaryFold& fd = folds[static_cast<size_t>(x.fold)];
          if (active[k].fold != x.fold) {
            if (shadow[k].fold != x.fold) ++run.collisions;  // the shadow value is not there
            active[k] = shadow[k];
          }
          const Streamed in = i > 0 ? psum[(i - 1) * C + j] : Streamed{0, x.fold, x.index};
          if (in.fold != x.fold || in.index != x.index) ++run.collisions;
          out = {in.value + x.value * active[k].value, x.fold, x.index};
          ++run.macs;
          if (i == fd.shape.rows_used - 1) {
            if (out.value != fd.expected(x.index, j)) ++run.wrong_outputs;
            --remaining;
            run.cycles = t + 1;
          }
        }
        psum[k] = out;
      }
    }
    // 3. Rows latch their own preload values (after this cycle's switches read the old ones).
    for (int64_t i = 0; i < R; ++i) {
      for (int64_t j = 0; j < C; ++j) {
        const BusValue& b = bus[i * C + j];
        if (b.fold >= 0 && b.row == i) shadow[i * C + j] = {b.value, b.fold};
      }
    }
  }
  return run;
}

}  // namespace strata
