#pragma once
// The dataflows' machines for the cycle-by-cycle walk (cycle_array.cpp). A machine draws its
// folds' operands, schedules their starts, and advances its registers one cycle per step():
//   - fold_starts(): the cycle each fold's first operands enter the array;
//   - outputs(): how many results the folds produce in all;
//   - step(t, run): cycle t; counts MACs, wrong outputs and collisions into run, sets run.cycles
//     on every output that leaves, and returns how many left.
#include <cstdint>
#include <random>
#include <vector>

#include "hw_models/array/cycle_array.h"

namespace strata {

// The operands' values: int4-range integers from one seeded generator, drawn fold by fold.
class OperandDraw {
 public:
  explicit OperandDraw(uint64_t seed) : rng_(static_cast<uint32_t>(seed)), value_(-8, 7) {}
  std::vector<int32_t> draw(int64_t count) {
    std::vector<int32_t> v(static_cast<size_t>(count));
    for (auto& x : v) x = value_(rng_);
    return v;
  }

 private:
  std::mt19937 rng_;
  std::uniform_int_distribution<int32_t> value_;
};

// Output-stationary (cycle_array_os.cpp).
class OsMachine {
 public:
  OsMachine(ArrayGeometry array, const std::vector<FoldShape>& shapes, uint64_t seed);
  std::vector<int64_t> fold_starts() const;
  int64_t outputs() const;
  int64_t step(int64_t t, CycleRun& run);

 private:
  struct Operand {
    int32_t value = 0;
    int32_t fold = -1;  // -1: empty
  };
  struct Fold {
    FoldShape shape;
    std::vector<int32_t> a;  // rows_used x stream
    std::vector<int32_t> b;  // stream x cols_used
    int64_t start = 0;       // cycle the controller injects its first operands
    int64_t expected(int64_t i, int64_t j) const;
  };
  void drain(int64_t t, CycleRun& run, int64_t* left);
  void move_and_inject(int64_t t);
  void multiply(CycleRun& run);
  void start_drains(CycleRun& run);

  int64_t R_, C_;
  std::vector<Fold> folds_;
  std::vector<Operand> a_, b_, out_;
  std::vector<int64_t> acc_, count_, out_value_;
  std::vector<int32_t> out_row_;
  std::vector<int64_t> drain_left_, drain_len_;
  std::vector<int32_t> drain_fold_;
  size_t first_active_ = 0;
};

// Weight- or input-stationary (cycle_array_stationary.cpp).
class StationaryMachine {
 public:
  StationaryMachine(ArrayGeometry array, const std::vector<FoldShape>& shapes, uint64_t seed);
  std::vector<int64_t> fold_starts() const;
  int64_t outputs() const;
  int64_t step(int64_t t, CycleRun& run);

 private:
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
  struct Fold {
    FoldShape shape;
    std::vector<int32_t> held;     // rows_used x cols_used: the stationary tile
    std::vector<int32_t> stream;   // stream x rows_used: the streamed operand
    int64_t start = 0;             // first streamed operand enters row 0
    std::vector<int64_t> preload;  // per column: first preload value enters the bus
    int64_t expected(int64_t p, int64_t j) const;
  };
  void preload_bus(int64_t t);
  void move_and_inject(int64_t t);
  int64_t multiply(int64_t t, CycleRun& run);
  void latch();

  int64_t R_, C_;
  std::vector<Fold> folds_;
  std::vector<Stationary> active_, shadow_;
  std::vector<Streamed> operand_, psum_;
  std::vector<BusValue> bus_;
};

}  // namespace strata
