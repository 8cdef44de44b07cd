#include "workloads/mapping/mapping.h"

#include <cctype>
#include <set>

#include "common/input_error.h"

namespace strata {
namespace {

constexpr char kDimLetters[kMapDims + 1] = "NCKPQRS";

bool dim_of_letter(char c, MapDim* d) {
  for (int i = 0; i < kMapDims; ++i) {
    if (kDimLetters[i] == c) {
      *d = kAllMapDims[static_cast<size_t>(i)];
      return true;
    }
  }
  return false;
}

std::string shown(char c) {
  if (std::isprint(static_cast<unsigned char>(c))) return std::string("'") + c + "'";
  return "byte " + std::to_string(static_cast<unsigned char>(c));
}

// Reads the keep set between brackets ("WIO", any order, each once) into `level`; returns an
// error text or "".
std::string set_keeps(const std::string& keeps, MappingLevel* level) {
  for (char c : keeps) {
    bool* flag = c == 'W'   ? &level->keeps_weights
                 : c == 'I' ? &level->keeps_inputs
                 : c == 'O' ? &level->keeps_outputs
                            : nullptr;
    if (!flag) return "the keep set holds " + shown(c) + "; it names operands W, I and O";
    if (*flag) return std::string("the keep set names ") + c + " twice";
    *flag = true;
  }
  return "";
}

class MappingParser {
 public:
  MappingParser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

  Mapping parse() {
    Mapping m;
    skip_space();
    if (at_end()) fail("the mapping is empty; expected levels like L3[WIO] K48 - L2[WI] K16X");
    for (;;) {
      if (m.levels.size() == kMaxMappingLevels) {
        fail("more than " + std::to_string(kMaxMappingLevels) + " levels");
      }
      m.levels.push_back(level(m.levels.empty() ? -1 : m.levels.back().index));
      skip_space();
      if (at_end()) break;
      if (s_[i_] != '-') fail("expected a loop such as K16 or C16X, or '-' before the next level");
      ++i_;
      skip_space();
    }
    return m;
  }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  void skip_space() {
    while (!at_end() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    std::string got = at_end() ? "the end" : shown(s_[i_]);
    throw InputError(where_ + ": at character " + std::to_string(i_) + " (" + got + "): " + what);
  }

  int64_t number(int64_t lo, int64_t hi, const char* what) {
    if (at_end() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      fail(std::string("expected ") + what);
    }
    const size_t start = i_;
    int64_t v = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      v = v * 10 + (s_[i_] - '0');
      ++i_;
      if (v > hi) {
        i_ = start;
        fail(std::string(what) + " above " + std::to_string(hi));
      }
    }
    if (v < lo) {
      i_ = start;
      fail(std::string(what) + " below " + std::to_string(lo));
    }
    return v;
  }

  MappingLevel level(int outer_index) {
    MappingLevel l;
    if (at_end() || s_[i_] != 'L') fail("expected a level such as L3[WIO]");
    ++i_;
    const size_t index_at = i_;
    l.index = static_cast<int>(number(0, 63, "a level number 0-63"));
    if (outer_index >= 0 && l.index >= outer_index) {
      i_ = index_at;
      fail("level L" + std::to_string(l.index) + " follows L" + std::to_string(outer_index) +
           "; levels go outermost first, their numbers decreasing");
    }
    if (at_end() || s_[i_] != '[') fail("expected '[' and the operands the level keeps (W, I, O)");
    ++i_;
    const size_t keeps_at = i_;
    std::string keeps;
    while (!at_end() && s_[i_] != ']') keeps += s_[i_++];
    if (at_end()) fail("expected ']' closing the keep set");
    const std::string error = set_keeps(keeps, &l);
    if (!error.empty()) {
      i_ = keeps_at;
      fail(error);
    }
    ++i_;
    for (;;) {
      skip_space();
      if (at_end() || s_[i_] == '-') break;
      MappingLoop loop;
      if (!dim_of_letter(s_[i_], &loop.dim)) {
        fail("expected a loop: a dimension (N, C, K, P, Q, R, S) and its factor, such as K16");
      }
      ++i_;
      loop.factor = number(1, kMaxMappingFactor, "a loop factor 1-2^31");
      if (!at_end() && s_[i_] == 'X') {
        loop.spatial = true;
        ++i_;
      }
      if (!at_end() && s_[i_] != ' ' && s_[i_] != '\t' && s_[i_] != '-') {
        fail("expected a space after the loop");
      }
      if (l.loops.size() == kMaxMappingLoopsPerLevel) {
        fail("more than " + std::to_string(kMaxMappingLoopsPerLevel) + " loops in one level");
      }
      l.loops.push_back(loop);
    }
    return l;
  }

  const std::string& s_;
  const std::string& where_;
  size_t i_ = 0;
};

std::string type_name_of(const nlohmann::json& v) {
  return v.is_number_integer() ? "integer" : v.is_number() ? "number" : v.type_name();
}

[[noreturn]] void json_fail(const std::string& where, const std::string& what) {
  throw InputError(where + ": " + what);
}

void check_keys(const nlohmann::json& obj, const std::set<std::string>& known,
                const std::string& where) {
  for (const auto& item : obj.items()) {
    if (!known.count(item.key())) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      json_fail(where + "." + item.key(), "is not a mapping key (keys: " + list + ")");
    }
  }
}

const nlohmann::json& required(const nlohmann::json& obj, const char* key, const std::string& where,
                               const char* expected) {
  if (!obj.contains(key))
    json_fail(where + "." + key, std::string("is required (") + expected + ")");
  return obj.at(key);
}

MappingLoop loop_from_json(const nlohmann::json& v, const std::string& where) {
  if (!v.is_object()) json_fail(where, "must be an object, got " + type_name_of(v));
  check_keys(v, {"dim", "factor", "spatial"}, where);
  MappingLoop loop;
  const auto& dim = required(v, "dim", where, "one of N, C, K, P, Q, R, S");
  if (!dim.is_string() || dim.get<std::string>().size() != 1 ||
      !dim_of_letter(dim.get<std::string>()[0], &loop.dim)) {
    json_fail(where + ".dim",
              "must be one of \"N\", \"C\", \"K\", \"P\", \"Q\", \"R\", \"S\", got " + dim.dump());
  }
  const auto& factor = required(v, "factor", where, "an integer 1-2^31");
  if (!factor.is_number_integer() || factor.get<int64_t>() < 1 ||
      factor.get<int64_t>() > kMaxMappingFactor) {
    json_fail(where + ".factor", "must be an integer 1-2^31, got " + factor.dump());
  }
  loop.factor = factor.get<int64_t>();
  if (v.contains("spatial")) {
    if (!v.at("spatial").is_boolean()) {
      json_fail(where + ".spatial", "must be true or false, got " + type_name_of(v.at("spatial")));
    }
    loop.spatial = v.at("spatial").get<bool>();
  }
  return loop;
}

MappingLevel level_from_json(const nlohmann::json& v, const std::string& where, int outer) {
  if (!v.is_object()) json_fail(where, "must be an object, got " + type_name_of(v));
  check_keys(v, {"keeps", "level", "loops"}, where);
  MappingLevel l;
  const auto& index = required(v, "level", where, "an integer 0-63");
  if (!index.is_number_integer() || index.get<int64_t>() < 0 || index.get<int64_t>() > 63) {
    json_fail(where + ".level", "must be an integer 0-63, got " + index.dump());
  }
  l.index = static_cast<int>(index.get<int64_t>());
  if (outer >= 0 && l.index >= outer) {
    json_fail(where + ".level", "is " + std::to_string(l.index) + " after level " +
                                    std::to_string(outer) +
                                    "; levels go outermost first, their numbers decreasing");
  }
  const auto& keeps = required(v, "keeps", where, "a string of W, I, O");
  if (!keeps.is_string()) json_fail(where + ".keeps", "must be a string of W, I, O");
  const std::string error = set_keeps(keeps.get<std::string>(), &l);
  if (!error.empty()) json_fail(where + ".keeps", error);
  if (v.contains("loops")) {
    const auto& loops = v.at("loops");
    if (!loops.is_array()) json_fail(where + ".loops", "must be an array of loops");
    if (loops.size() > kMaxMappingLoopsPerLevel) {
      json_fail(where + ".loops",
                "has more than " + std::to_string(kMaxMappingLoopsPerLevel) + " loops");
    }
    for (size_t i = 0; i < loops.size(); ++i) {
      l.loops.push_back(loop_from_json(loops[i], where + ".loops[" + std::to_string(i) + "]"));
    }
  }
  return l;
}

}  // namespace

char map_dim_letter(MapDim d) { return kDimLetters[map_dim_index(d)]; }

bool MappingLevel::keeps(Operand o) const {
  switch (o) {
    case Operand::kWeights:
      return keeps_weights;
    case Operand::kInputs:
      return keeps_inputs;
    case Operand::kOutputs:
      return keeps_outputs;
  }
  return false;
}

int64_t Mapping::total(MapDim d) const {
  int64_t p = 1;
  for (const auto& l : levels) {
    for (const auto& loop : l.loops) {
      if (loop.dim == d && __builtin_mul_overflow(p, loop.factor, &p)) return INT64_MAX;
    }
  }
  return p;
}

int64_t Mapping::spatial(MapDim d) const {
  int64_t p = 1;
  for (const auto& l : levels) {
    for (const auto& loop : l.loops) {
      if (loop.dim == d && loop.spatial && __builtin_mul_overflow(p, loop.factor, &p)) {
        return INT64_MAX;
      }
    }
  }
  return p;
}

Mapping parse_mapping(const std::string& text, const std::string& where) {
  return MappingParser(text, where).parse();
}

std::string format_mapping(const Mapping& m) {
  std::string s;
  for (const auto& l : m.levels) {
    if (!s.empty()) s += " - ";
    s += "L" + std::to_string(l.index) + "[";
    if (l.keeps_weights) s += 'W';
    if (l.keeps_inputs) s += 'I';
    if (l.keeps_outputs) s += 'O';
    s += "]";
    for (const auto& loop : l.loops) {
      s += ' ';
      s += map_dim_letter(loop.dim);
      s += std::to_string(loop.factor);
      if (loop.spatial) s += 'X';
    }
  }
  return s;
}

Mapping mapping_from_json(const nlohmann::json& value, const std::string& where) {
  if (value.is_string()) return parse_mapping(value.get<std::string>(), where);
  if (!value.is_object()) {
    json_fail(where,
              "must be a mapping string (\"L3[WIO] K48 - L2[WI] K16X ...\") or an object "
              "with \"levels\", got " +
                  type_name_of(value));
  }
  check_keys(value, {"levels"}, where);
  const auto& levels = required(value, "levels", where, "an array of levels, outermost first");
  if (!levels.is_array() || levels.empty()) {
    json_fail(where + ".levels", "must be a non-empty array of levels, outermost first");
  }
  if (levels.size() > kMaxMappingLevels) {
    json_fail(where + ".levels", "has more than " + std::to_string(kMaxMappingLevels) + " levels");
  }
  Mapping m;
  for (size_t i = 0; i < levels.size(); ++i) {
    m.levels.push_back(level_from_json(levels[i], where + ".levels[" + std::to_string(i) + "]",
                                       m.levels.empty() ? -1 : m.levels.back().index));
  }
  return m;
}

nlohmann::json mapping_to_json(const Mapping& m) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& l : m.levels) {
    std::string keeps;
    if (l.keeps_weights) keeps += 'W';
    if (l.keeps_inputs) keeps += 'I';
    if (l.keeps_outputs) keeps += 'O';
    nlohmann::json loops = nlohmann::json::array();
    for (const auto& loop : l.loops) {
      nlohmann::json j = {{"dim", std::string(1, map_dim_letter(loop.dim))},
                          {"factor", loop.factor}};
      if (loop.spatial) j["spatial"] = true;
      loops.push_back(std::move(j));
    }
    levels.push_back({{"level", l.index}, {"keeps", keeps}, {"loops", std::move(loops)}});
  }
  return {{"levels", std::move(levels)}};
}

void check_mapping_covers(const Mapping& m, const MapDims& dims, const std::string& where) {
  for (MapDim d : kAllMapDims) {
    const int64_t total = m.total(d);
    const int64_t want = dims[static_cast<size_t>(map_dim_index(d))];
    if (total == want) continue;
    std::string factors;
    for (const auto& l : m.levels) {
      for (const auto& loop : l.loops) {
        if (loop.dim != d) continue;
        factors += (factors.empty() ? "" : " x ") + std::to_string(loop.factor);
        if (loop.spatial) factors += "X";
      }
    }
    const char letter = map_dim_letter(d);
    throw InputError(where + ": " + letter + "'s factors multiply to " +
                     (total == INT64_MAX ? std::string("more than 2^63") : std::to_string(total)) +
                     (factors.empty() ? " (none given)" : " (" + factors + ")") +
                     ", but the layer's " + letter + " is " + std::to_string(want));
  }
}

}  // namespace strata
