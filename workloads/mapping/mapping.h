#pragma once
// An explicit mapping of one layer onto a memory hierarchy and a spatial array (docs/mapping.md):
// per level, outermost first, which operands the level keeps and its loops, each a dimension, a
// factor and whether it is spatial (unrolled across the array) or temporal. The dimensions are
// Timeloop's convolution names, so mappings written for Timeloop, DOSA or Gemmini read as they
// are:
//   L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8
// Pure data and parsing: what a level can hold and how a mapping runs is the hardware's business
// (hw_models/mapping).
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace strata {

// N batch, C input channels (reduction), K output channels, P x Q output rows x columns,
// R x S kernel rows x columns.
enum class MapDim { kN, kC, kK, kP, kQ, kR, kS };
constexpr int kMapDims = 7;
constexpr std::array<MapDim, kMapDims> kAllMapDims = {
    MapDim::kN, MapDim::kC, MapDim::kK, MapDim::kP, MapDim::kQ, MapDim::kR, MapDim::kS};
char map_dim_letter(MapDim d);
inline int map_dim_index(MapDim d) { return static_cast<int>(d); }

// The three operands, as a level's keep set names them.
enum class Operand { kWeights, kInputs, kOutputs };

struct MappingLoop {
  MapDim dim = MapDim::kN;
  int64_t factor = 1;
  bool spatial = false;
  bool operator==(const MappingLoop& o) const {
    return dim == o.dim && factor == o.factor && spatial == o.spatial;
  }
};

struct MappingLevel {
  int index = 0;  // Ln: 0 = the PEs' registers, higher = further out
  bool keeps_weights = false, keeps_inputs = false, keeps_outputs = false;
  std::vector<MappingLoop> loops;  // outermost first
  bool keeps(Operand o) const;
  bool operator==(const MappingLevel& o) const {
    return index == o.index && keeps_weights == o.keeps_weights && keeps_inputs == o.keeps_inputs &&
           keeps_outputs == o.keeps_outputs && loops == o.loops;
  }
};

// Dimension sizes, indexed by map_dim_index.
using MapDims = std::array<int64_t, kMapDims>;

struct Mapping {
  std::vector<MappingLevel> levels;  // outermost first; indices strictly decreasing
  bool empty() const { return levels.empty(); }
  // The product of a dimension's factors over every level (temporal and spatial).
  int64_t total(MapDim d) const;
  // The product of its spatial factors.
  int64_t spatial(MapDim d) const;
  bool operator==(const Mapping& o) const { return levels == o.levels; }
};

// Factors and loop counts a mapping may hold: far beyond any layer (kMaxLayerCount bounds the
// products), small enough that no product of a level's factors overflows.
constexpr int64_t kMaxMappingFactor = int64_t{1} << 31;
constexpr size_t kMaxMappingLevels = 8;
constexpr size_t kMaxMappingLoopsPerLevel = 64;

// "L3[WIO] K48 - L2[WI] N1 K16X - L1[O] C48 P16 C16X - L0[W] P8". Throws InputError
// "<where>: ..." naming the character offset and what was expected.
Mapping parse_mapping(const std::string& text, const std::string& where);
// The same syntax back; parse_mapping(format_mapping(m)) == m.
std::string format_mapping(const Mapping& m);

// The JSON form: either the string above, or
//   {"levels": [{"level": 3, "keeps": "WIO", "loops": [{"dim": "K", "factor": 48},
//                                                       {"dim": "K", "factor": 16,
//                                                        "spatial": true}]}, ...]}
// Throws InputError "<where>.<key>: ..." for anything else.
Mapping mapping_from_json(const nlohmann::json& value, const std::string& where);
nlohmann::json mapping_to_json(const Mapping& m);

// Throws InputError "<where>: ..." unless every dimension's factors multiply to its size in
// `dims` (a layer's: mapping_dims in workloads/layer.h), naming the dimension, the factors and
// the size.
void check_mapping_covers(const Mapping& m, const MapDims& dims, const std::string& where);

}  // namespace strata
