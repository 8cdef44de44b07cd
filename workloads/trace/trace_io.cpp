#include "workloads/trace/trace_io.h"

#include <cmath>
#include <cstring>
#include <set>

#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/layer_list_json.h"
#include "workloads/layer_weights.h"
#include "workloads/quant/dbb.h"
#include "workloads/quant/numeric_type.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

const std::set<std::string> kWeightTypes = {"int", "pot", "flint", "float", "olive"};
const std::set<std::string> kActivationTypes = {"int", "pot", "flint", "float"};

J finite_or_null(double v) { return std::isfinite(v) ? J(v) : J(nullptr); }

class Reader {
 public:
  Reader(const J& obj, std::string where) : obj_(obj), where_(std::move(where)) {
    if (!obj_.is_object()) throw InputError(where_ + ": must be an object");
  }
  const J& at(const std::string& key) const {
    if (!obj_.contains(key)) throw InputError(where_ + "." + key + ": required but not given");
    return obj_.at(key);
  }
  std::string str(const std::string& key) const {
    const J& v = at(key);
    if (!v.is_string()) fail(key, "must be a string");
    return v;
  }
  int integer(const std::string& key, int lo, int hi) const {
    const J& v = at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
      fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                    "], got " + v.dump());
    }
    return v.get<int>();
  }
  double number(const std::string& key, double lo, double hi, bool allow_null = false) const {
    const J& v = at(key);
    if (allow_null && v.is_null()) return INFINITY;  // an exact quantization has no finite SQNR
    if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi)) {
      fail(key, "must be a number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                    "], got " + v.dump());
    }
    return v;
  }
  bool boolean(const std::string& key) const {
    const J& v = at(key);
    if (!v.is_boolean()) fail(key, "must be true or false");
    return v;
  }
  std::vector<double> numbers(const std::string& key, bool optional) const {
    if (optional && !obj_.contains(key)) return {};
    const J& v = at(key);
    if (!v.is_array()) fail(key, "must be an array of numbers");
    std::vector<double> out;
    for (const auto& x : v) {
      if (!x.is_number()) fail(key, "must be an array of numbers");
      out.push_back(x);
    }
    return out;
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(where_ + "." + key + ": " + what);
  }

 private:
  const J& obj_;
  std::string where_;
};

}  // namespace

std::string codes_tensor_name(const std::string& layer) { return layer + ".weight_codes"; }
std::string scales_tensor_name(const std::string& layer) { return layer + ".weight_scales"; }
std::string zero_points_tensor_name(const std::string& layer) {
  return layer + ".weight_zero_points";
}

namespace {

// The optional "weights" object: {"files": [{"name", "sha256"}...], "synthetic": string | null}.
void read_weight_provenance(const J& w, const std::string& where, Trace* t) {
  const Reader r(w, where);
  const J& files = r.at("files");
  if (!files.is_array()) throw InputError(where + ".files: must be an array");
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string at = where + ".files[" + std::to_string(i) + "]";
    const Reader f(files[i], at);
    WeightFile wf{f.str("name"), f.str("sha256")};
    const bool hex = wf.sha256.size() == 64 &&
                     wf.sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) throw InputError(at + ".sha256: must be 64 lowercase hex digits");
    t->weight_files.push_back(std::move(wf));
  }
  const J& synthetic = r.at("synthetic");
  if (!synthetic.is_null() && !synthetic.is_string())
    throw InputError(where + ".synthetic: must be a string or null");
  if (synthetic.is_string()) t->synthetic_weights = synthetic.get<std::string>();
}

}  // namespace

J trace_to_json(const Trace& t) {
  J doc;
  doc["format"] = kTraceFormat;
  doc["version"] = kTraceVersion;
  doc["model"] = t.model;
  doc["scheme"] = t.scheme;
  doc["bits"] = t.bits;
  doc["tensors"] = t.tensors_file.empty() ? J(nullptr) : J(t.tensors_file);
  J files = J::array();
  for (const auto& f : t.weight_files) files.push_back({{"name", f.name}, {"sha256", f.sha256}});
  doc["weights"] = {
      {"files", files},
      {"synthetic", t.synthetic_weights.empty() ? J(nullptr) : J(t.synthetic_weights)}};
  J layers = J::array();
  for (const auto& tl : t.layers) {
    J l = layer_shape_json(tl.layer, "op");
    if (tl.weight.present) {
      const auto& w = tl.weight;
      l["weight"] = {{"type", w.type},
                     {"bits", w.bits},
                     {"signed", w.is_signed},
                     {"density", w.density},
                     {"sqnr_db", finite_or_null(w.sqnr_db)},
                     {"mse", w.mse},
                     {"scales", w.scales},
                     {"source", w.source},
                     {"synthetic", w.synthetic}};
      if (w.type == "float") l["weight"]["exp_bits"] = w.exp_bits;
      if (!w.zero_points.empty()) l["weight"]["zero_points"] = w.zero_points;
    } else {
      l["weight"] = nullptr;
    }
    const auto& a = tl.activation;
    l["activation"] = {{"type", a.type},
                       {"bits", a.bits},
                       {"signed", a.is_signed},
                       {"scale", a.scale},
                       {"sqnr_db", finite_or_null(a.sqnr_db)},
                       {"distribution", a.distribution}};
    if (a.type == "float") l["activation"]["exp_bits"] = a.exp_bits;
    l["dbb"] = {{"nnz", tl.dbb.nnz},
                {"bz", tl.dbb.bz},
                {"weight_density", tl.dbb.weight_density},
                {"activation_nnz", tl.dbb.activation_nnz},
                {"activation_density", tl.dbb.activation_density}};
    layers.push_back(l);
  }
  doc["layers"] = layers;
  return doc;
}

bool is_trace_document(const J& doc) {
  return doc.is_object() && doc.contains("format") && doc["format"] == kTraceFormat;
}

Trace trace_from_json(const J& doc, const std::string& file) {
  const Reader top(doc, file + ":");
  if (!is_trace_document(doc))
    throw InputError(file + ": format: must be \"" + std::string(kTraceFormat) + "\"");
  const int version = top.integer("version", 0, 1 << 20);
  if (version != kTraceVersion) {
    throw InputError(file + ": version: trace version " + std::to_string(version) +
                     " is not supported (this strata reads " + std::to_string(kTraceVersion) + ")");
  }
  Trace t;
  t.model = top.str("model");
  t.scheme = top.str("scheme");
  t.bits = top.integer("bits", 1, 32);
  const J& tensors = top.at("tensors");
  if (!tensors.is_null() && !tensors.is_string())
    throw InputError(file + ": tensors: must be a file name or null");
  if (tensors.is_string()) {
    // Confined to the trace's own directory: a trace names its sibling file, never a path.
    const std::string name = tensors.get<std::string>();
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos) {
      throw InputError(file +
                       ": tensors: must be a file name in the trace's directory (no '/'), "
                       "got \"" +
                       name + "\"");
    }
    t.tensors_file = name;
  }
  if (doc.contains("weights")) read_weight_provenance(doc["weights"], file + ": weights", &t);
  const J& layers = top.at("layers");
  if (!layers.is_array() || layers.empty())
    throw InputError(file + ": layers: must be a non-empty array");
  std::set<std::string> names;
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string where = file + ": layers[" + std::to_string(i) + "]";
    TraceLayer tl;
    tl.layer = parse_layer_shape(layers[i], where, "op", {"weight", "activation", "dbb"});
    if (!names.insert(tl.layer.name).second)
      throw InputError(where + ".name: duplicate layer '" + tl.layer.name + "'");
    const Reader l(layers[i], where);
    const J& wj = l.at("weight");
    WeightTensor shape;
    const bool has_weights = expected_weight_shape(tl.layer, &shape);
    if (!wj.is_null()) {
      if (!has_weights)
        throw InputError(where + ".weight: a batched matmul has no weight operand; must be null");
      const Reader w(wj, where + ".weight");
      auto& tw = tl.weight;
      tw.present = true;
      tw.type = w.str("type");
      if (!kWeightTypes.count(tw.type))
        w.fail("type", "must be int, pot, flint, float or olive, got \"" + tw.type + "\"");
      tw.bits = w.integer("bits", 2, 8);
      tw.is_signed = w.boolean("signed");
      if (tw.type == "float") tw.exp_bits = w.integer("exp_bits", 1, 7);
      tw.density = w.number("density", 0, 1);
      tw.sqnr_db = w.number("sqnr_db", -1000, 1000, true);
      tw.mse = w.number("mse", 0, 1e300);
      tw.scales = w.numbers("scales", false);
      tw.zero_points = w.numbers("zero_points", true);
      tw.source = w.str("source");
      tw.synthetic = w.boolean("synthetic");
      const size_t channels = static_cast<size_t>(shape.out_channels);
      if (tw.scales.size() != channels) {
        w.fail("scales", "has " + std::to_string(tw.scales.size()) + " entries for " +
                             std::to_string(channels) + " output channels");
      }
      if (!tw.zero_points.empty() && tw.zero_points.size() != channels) {
        w.fail("zero_points", "has " + std::to_string(tw.zero_points.size()) + " entries for " +
                                  std::to_string(channels) + " output channels");
      }
    } else if (has_weights) {
      throw InputError(where + ".weight: required for a layer with weights (got null)");
    }
    const Reader a(l.at("activation"), where + ".activation");
    tl.activation.type = a.str("type");
    if (!kActivationTypes.count(tl.activation.type))
      a.fail("type", "must be int, pot, flint or float");
    tl.activation.bits = a.integer("bits", 2, 16);
    tl.activation.is_signed = a.boolean("signed");
    if (tl.activation.type == "float") tl.activation.exp_bits = a.integer("exp_bits", 1, 7);
    tl.activation.scale = a.number("scale", 0, 1e300);
    tl.activation.sqnr_db = a.number("sqnr_db", -1000, 1000, true);
    tl.activation.distribution = a.str("distribution");
    const Reader d(l.at("dbb"), where + ".dbb");
    tl.dbb.bz = d.integer("bz", 1, 64);
    tl.dbb.nnz = d.integer("nnz", 1, tl.dbb.bz);
    tl.dbb.weight_density = d.number("weight_density", 0, 1);
    tl.dbb.activation_nnz = d.integer("activation_nnz", 1, tl.dbb.bz);
    tl.dbb.activation_density = d.number("activation_density", 0, 1);
    t.layers.push_back(std::move(tl));
  }
  return t;
}

void check_trace_tensors(const Trace& t, const SafeTensorMap& tensors, const std::string& file) {
  for (const auto& tl : t.layers) {
    if (!tl.weight.present) continue;
    WeightTensor shape;
    expected_weight_shape(tl.layer, &shape);
    const std::string codes = codes_tensor_name(tl.layer.name),
                      scales = scales_tensor_name(tl.layer.name);
    auto it = tensors.find(codes);
    if (it == tensors.end()) throw InputError(file + ": tensor '" + codes + "' missing");
    if (it->second.dtype != "U8" || it->second.elements() != shape.size()) {
      throw InputError(file + ": tensor '" + codes + "' must be U8 with " +
                       std::to_string(shape.size()) + " elements (" + shape.shape_string() +
                       "), got " + it->second.dtype + " with " +
                       std::to_string(it->second.elements()));
    }
    for (uint8_t c : it->second.bytes) {
      if (c >> tl.weight.bits) {
        throw InputError(file + ": tensor '" + codes + "': code " + std::to_string(c) +
                         " does not fit " + std::to_string(tl.weight.bits) + " bits");
      }
    }
    auto s = tensors.find(scales);
    if (s == tensors.end() || s->second.dtype != "F64" ||
        s->second.elements() != shape.out_channels) {
      throw InputError(file + ": tensor '" + scales + "' must be F64 with " +
                       std::to_string(shape.out_channels) + " elements");
    }
    for (size_t c = 0; c < s->second.bytes.size() / 8; ++c) {
      double scale = 0;
      std::memcpy(&scale, s->second.bytes.data() + c * 8, 8);
      if (!(std::isfinite(scale) && scale >= 0)) {
        throw InputError(file + ": tensor '" + scales + "': scale " + std::to_string(c) + " is " +
                         std::to_string(scale) + "; scales must be finite numbers >= 0");
      }
    }
    if (tl.weight.type == "olive") continue;  // pair-encoded: no per-code value to check
    // The codes must agree with what the trace declares about them: density and DBB bound.
    const TypeCodec codec(make_type(parse_type_kind(tl.weight.type), tl.weight.bits,
                                    tl.weight.is_signed,
                                    tl.weight.type == "float" ? tl.weight.exp_bits : -1));
    shape.data.resize(static_cast<size_t>(shape.size()));
    int64_t nonzero = 0;
    const int64_t per_channel = shape.per_channel();
    for (int64_t i = 0; i < shape.size(); ++i) {
      const double zp = tl.weight.zero_points.empty() ? 0 : tl.weight.zero_points[i / per_channel];
      const double v = codec.decode_value(static_cast<uint8_t>(it->second.bytes[i])) - zp;
      shape.data[i] = static_cast<float>(v);
      nonzero += v != 0;
    }
    const double density = static_cast<double>(nonzero) / static_cast<double>(shape.size());
    if (std::fabs(density - tl.weight.density) > 1e-9) {
      throw InputError(file + ": tensor '" + codes + "': its codes have density " +
                       std::to_string(density) + " but the trace declares weight.density " +
                       std::to_string(tl.weight.density) + " for layer '" + tl.layer.name + "'");
    }
    if (tl.dbb.nnz < tl.dbb.bz && !satisfies_dbb(shape, {tl.dbb.nnz, tl.dbb.bz})) {
      throw InputError(file + ": tensor '" + codes + "': a block holds more than " +
                       std::to_string(tl.dbb.nnz) + " non-zeros, but the trace declares DBB " +
                       std::to_string(tl.dbb.nnz) + "/" + std::to_string(tl.dbb.bz) +
                       " for layer '" + tl.layer.name + "'");
    }
  }
}

Trace load_trace(const std::string& path, SafeTensorMap* tensors) {
  Trace t = trace_from_json(load_json_file(path), path);
  if (!t.tensors_file.empty()) {
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    const std::string tensors_path = dir + "/" + t.tensors_file;
    SafeTensorMap loaded = parse_safetensors(read_text_file(tensors_path), tensors_path);
    check_trace_tensors(t, loaded, tensors_path);
    if (tensors) *tensors = std::move(loaded);
  }
  return t;
}

Workload trace_workload(const Trace& t, const std::string& source) {
  Workload w;
  w.name = t.model + " (" + t.scheme + ")";
  w.source = source;
  for (const auto& tl : t.layers) {
    Layer l = tl.layer;
    l.weight_bits = tl.weight.present ? tl.weight.bits : 0;
    l.input_bits = tl.activation.bits;
    l.weight_type = tl.weight.present ? tl.weight.type : "";
    l.input_type = tl.activation.type;
    l.weight_density = tl.weight.present ? tl.weight.density : 1.0;
    l.input_density = tl.dbb.activation_density;
    l.dbb_bz = tl.dbb.bz;
    l.weight_nnz = tl.dbb.nnz;
    l.activation_nnz = tl.dbb.activation_nnz;
    w.layers.push_back(l);
    if (!tl.weight.present) continue;
    ++(tl.weight.synthetic ? w.weights.synthetic_layers : w.weights.real_layers);
    // A trace written before traces recorded "weights" names each layer's draw.
    if (tl.weight.synthetic && t.synthetic_weights.empty() && w.weights.synthetic.empty()) {
      const std::string prefix = "synthetic: ";
      w.weights.synthetic = tl.weight.source.compare(0, prefix.size(), prefix) == 0
                                ? tl.weight.source.substr(prefix.size())
                                : tl.weight.source;
    }
  }
  w.weights.known = true;
  w.weights.files = t.weight_files;
  if (!t.synthetic_weights.empty()) w.weights.synthetic = t.synthetic_weights;
  return w;
}

}  // namespace strata
