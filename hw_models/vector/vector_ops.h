#pragma once
// The vector unit's operations and what each costs, as pure arithmetic (docs/vector.md): a unit of
// `lanes` lanes, each doing one operation per cycle; an op takes `ops_per_element` lane operations
// per element it processes, in `passes` passes over its input (softmax reads its row three times),
// plus a pipeline latency. Non-linear functions cost as their implementation: a 256-entry table
// with linear interpolation (sigmoid, tanh, exp, GELU's Phi) or a multiply-add sequence
// (hard-swish). The buffer port bounds the rate too: cycles = max(compute, port) + latency.
// The per-op figures are strata's assumptions (stated per op), not a published design's.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

enum class VectorOp {
  kElementwise,     // add, sub, mul, div (reciprocal multiply), min, max, compare
  kActivation,      // ReLU, ReLU6, clip, leaky ReLU, PReLU: compare and select
  kSigmoid,         // table + interpolation
  kTanh,            // table + interpolation
  kGelu,            // x * Phi(x): table for Phi, one multiply
  kHardSwish,       // x * clip(x + 3, 0, 6) / 6
  kExp,             // table + interpolation
  kTable,           // any other one-input function by table: log, sqrt, reciprocal, erf, ...
  kSoftmax,         // max pass; exp and sum pass; scale pass
  kLayerNorm,       // mean pass; variance pass; normalize (and affine) pass
  kMaxPool,         // window - 1 compares per output
  kAvgPool,         // window adds and a scale per output
  kGlobalPool,      // one add per input element, a scale per output
  kReduce,          // sum / mean / max over an axis: one op per input element
  kRequantize,      // scale, round, clamp
  kRequantizeAnt,   // as kRequantize, then ANT/flint encode (leading-one detect, pack)
  kResizeNearest,   // address generation and a move
  kResizeBilinear,  // four reads, three interpolations
  kMove,            // transpose, concat, slice, pad, split, copy: data movement
  kGather,          // index read, then a move
  kWarp,            // grid sample: coordinates, four reads, bilinear weights
};

struct VectorOpSpec {
  VectorOp op;
  const char* name;
  double ops_per_element;  // lane operations per element of work
  int passes;              // passes over the input (each reads it once from the buffer)
  int64_t latency_cycles;  // pipeline depth, paid once per operation
  const char* implementation;
};

// Every op, in VectorOp order.
const std::vector<VectorOpSpec>& vector_op_specs();
const VectorOpSpec& vector_op_spec(VectorOp op);

// One operation's size. `work_elements` is what the lanes process: the outputs for element-wise
// ops, outputs x window for pooling, the inputs for reductions and normalizations.
struct VectorWork {
  VectorOp op = VectorOp::kElementwise;
  int64_t input_elements = 0;   // read from the buffer per pass (all operands)
  int64_t output_elements = 0;  // written once
  int64_t work_elements = 0;
  int64_t input_bits = 0;  // width of the inputs when not the unit's element width (0: it is)
  // A fused pass (vector.fusion, vector_fusion.h): further one-pass ops applied to every element
  // after `op` in the same pass, each with its own work; their operands are in input_elements.
  struct Stage {
    VectorOp op;
    int64_t work_elements;
  };
  std::vector<Stage> fused;
  // Run in an array layer's output stage as the outputs drain (vector.fusion = "epilogue"): the
  // lanes' operations are done (and their energy spent) but take no unit time and no buffer port.
  bool output_stage = false;
};

constexpr size_t kVectorOpCount = 21;

struct VectorUnitShape {
  int64_t lanes = 32;
  int64_t port_bytes_per_cycle = 64;  // the buffer port, shared by reads and writes
  int64_t element_bits = 8;           // activation width
};

// Bytes of `elements` values of `bits` each, rounded up to whole bytes; nullopt on overflow.
int64_t vector_bytes(int64_t elements, int64_t bits);

struct VectorCycles {
  int64_t compute = 0;  // passes x ceil(work x ops_per_element / (passes x lanes))
  int64_t port = 0;     // ceil(bytes read / port) + ceil(bytes written / port)
  int64_t latency = 0;  // the op's pipeline latency (0 for no work)
  int64_t total = 0;    // max(compute, port) + latency, when lanes and port share a clock
  int64_t bytes_read = 0, bytes_written = 0;
  int64_t lane_ops = 0;  // work x ops_per_element, rounded up
};

// Throws std::invalid_argument on a negative count, a non-positive unit dimension, byte counts
// that overflow, or a fused stage of more than one pass. A fused pass's lane operations, compute
// cycles and latency are the sums over its stages; its port traffic is its inputs read once and
// its output written once.
VectorCycles vector_cycles(const VectorWork& w, const VectorUnitShape& unit);

}  // namespace strata
