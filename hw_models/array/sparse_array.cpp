#include "hw_models/array/sparse_array.h"

#include <algorithm>
#include <stdexcept>

namespace strata {

SparsityKind parse_sparsity_kind(const std::string& name) {
  if (name == "none") return SparsityKind::kNone;
  if (name == "zvcg") return SparsityKind::kZvcg;
  if (name == "dbb") return SparsityKind::kDbb;
  throw std::invalid_argument("array sparsity must be \"none\", \"zvcg\" or \"dbb\"");
}

std::string to_string(SparsityKind kind) {
  switch (kind) {
    case SparsityKind::kNone:
      return "none";
    case SparsityKind::kZvcg:
      return "zvcg";
    case SparsityKind::kDbb:
      return "dbb";
  }
  return "?";
}

MuxSide parse_mux_side(const std::string& name) {
  if (name == "activation") return MuxSide::kActivation;
  if (name == "weight") return MuxSide::kWeight;
  throw std::invalid_argument("mux side must be \"activation\" or \"weight\"");
}

std::string to_string(MuxSide side) {
  return side == MuxSide::kActivation ? "activation" : "weight";
}

std::string sparsity_config_error(const SparsityParams& s, ArrayGeometry array) {
  if (s.weight_nnz > s.bz) {
    return "array.dbb.weight_nnz (" + std::to_string(s.weight_nnz) + ") exceeds array.dbb.bz (" +
           std::to_string(s.bz) + "): a block cannot keep more non-zeros than it holds";
  }
  if (array.rows % s.tpe.a != 0) {
    return "array.tpe.a (" + std::to_string(s.tpe.a) + ") must divide array.rows (" +
           std::to_string(array.rows) + "): rows count dot-product units, A per tensor PE";
  }
  if (array.cols % s.tpe.c != 0) {
    return "array.tpe.c (" + std::to_string(s.tpe.c) + ") must divide array.cols (" +
           std::to_string(array.cols) + "): columns count dot-product units, C per tensor PE";
  }
  return "";
}

namespace {

bool dbb_pruned(const Layer& l) { return l.weight_nnz < l.dbb_bz || l.activation_nnz < l.dbb_bz; }

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

std::string layer_sparsity_error(const SparsityParams& s, const Layer& l) {
  const bool dbb_array = s.kind == SparsityKind::kDbb;
  if (dbb_array && dbb_pruned(l) && l.dbb_bz != s.bz) {
    return "its DBB blocks hold " + std::to_string(l.dbb_bz) + " values but array.dbb.bz is " +
           std::to_string(s.bz);
  }
  if (l.activation_nnz < l.dbb_bz && !(dbb_array && s.activation_dbb)) {
    return "its activations are cut to " + std::to_string(l.activation_nnz) + "/" +
           std::to_string(l.dbb_bz) +
           " by a top-k unit this array does not have (array.sparsity = \"dbb\" with "
           "array.dbb.activation_dbb = true)";
  }
  return "";
}

LayerExecution layer_execution(const PeParams& pe, const SparsityParams& s, const Layer& l,
                               int input_bits, int weight_bits) {
  LayerExecution x;
  const int64_t per_step =
      static_cast<int64_t>(s.tpe.b) * pe_macs_per_cycle(pe, input_bits, weight_bits);
  x.weight_storage_bits = weight_bits;
  x.input_storage_bits = input_bits;
  x.physical_macs_per_unit_cycle = static_cast<double>(per_step);
  double weight_live = l.weight_density, input_live = l.input_density;
  if (s.kind != SparsityKind::kDbb) {
    x.packing = {1, 1, per_step};
    x.peak_macs_per_unit_cycle = static_cast<double>(per_step);
  } else {
    const bool same_blocks = l.dbb_bz == s.bz;
    const int bz = s.bz;
    // A weight block of n_w non-zeros takes whole groups of the hardware's slots.
    const int n_w = same_blocks ? l.weight_nnz : bz;
    const int slots = s.weight_nnz * ceil_div(n_w, s.weight_nnz);
    const int n_a = s.activation_dbb && same_blocks ? l.activation_nnz : bz;
    x.packing = {bz, static_cast<int64_t>(slots) * n_a, per_step * bz};
    x.peak_macs_per_unit_cycle = static_cast<double>(per_step) * bz * bz / (slots * n_a);
    x.issued_per_mac = static_cast<double>(slots) * n_a / (bz * bz);
    x.muxed = s.weight_nnz < bz || s.activation_dbb;
    if (s.weight_nnz < bz) x.weight_slots_per_block = slots;
    if (s.activation_dbb) x.activation_nnz = n_a;
    // Issued slots hold the kept values: zeros among them are what is left to gate.
    weight_live = std::min(1.0, l.weight_density * bz / slots);
    input_live = std::min(1.0, l.input_density * bz / n_a);
    if (same_blocks && n_w < bz) x.weight_storage_bits = ceil_div(n_w * weight_bits + bz, bz);
    if (n_a < bz) x.input_storage_bits = ceil_div(n_a * input_bits + bz, bz);
  }
  if (s.gates_zeros()) {
    // Of the issued slots, those holding two non-zero operands stay live: measured when known.
    x.gated_fraction = l.product_density >= 0
                           ? 1.0 - std::min(1.0, l.product_density / x.issued_per_mac)
                           : 1.0 - weight_live * input_live;
  }
  return x;
}

}  // namespace strata
