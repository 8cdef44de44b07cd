#include "workloads/front_end/model_quantizer.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>

#include "common/input_error.h"
#include "workloads/models/real_weights.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/quant/activation_model.h"
#include "workloads/quant/quantizer.h"
#include "workloads/quant/synthetic_weights.h"
#include "workloads/trace/trace_io.h"
#include "workloads/zoo/zoo.h"

namespace strata {
namespace {

Workload build_workload(const ModelQuantRequest& r) {
  const std::string name = zoo_model_name(r.model);
  if (name != "bert_base" && (r.seq_len > 0 || !r.skim.empty())) {
    throw InputError("--seq-len and --skim apply to bert_base only, not '" + name + "'");
  }
  if (name == "bert_base" && (r.seq_len > 0 || !r.skim.empty())) {
    const Workload base = zoo_workload(r.model);  // validates the spec's own options
    const int64_t seq = r.seq_len > 0 ? r.seq_len : base.layers[3].m;  // QK^T rows = sequence
    if (seq < 1 || seq > 65536)
      throw InputError("--seq-len must be in [1, 65536], got " + std::to_string(seq));
    const int64_t batch = base.layers[0].m / base.layers[3].m;
    Workload w = build_bert_base(batch, seq, r.skim);
    w.source = r.model;
    return w;
  }
  return zoo_workload(r.model);
}

ActivationDistribution distribution_of(const std::string& model, const Layer& l, bool first) {
  if (first) return ActivationDistribution::kImage;
  if (model != "bert_base") return ActivationDistribution::kReluNormal;
  const std::string& n = l.name;
  auto ends = [&](const char* s) {
    const std::string suffix(s);
    return n.size() >= suffix.size() &&
           n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("p_v") || n.find(".skim.conv1") != std::string::npos)
    return ActivationDistribution::kSoftmax;
  if (ends("ffn2")) return ActivationDistribution::kGeluNormal;
  if (n.find(".skim.") != std::string::npos) return ActivationDistribution::kReluNormal;
  return ActivationDistribution::kNormal;
}

SyntheticSpec synthetic_spec(const std::string& model, const std::string& layer, uint64_t seed) {
  SyntheticSpec s;
  s.seed = layer_seed(seed, layer);
  if (model == "bert_base") {
    // BERT-like: std 0.02 at fan-in 768, a few large outliers (no BERT weights ship here).
    s.gain = 0.02 * std::sqrt(768.0);
    s.outlier_fraction = 0.001;
    s.outlier_scale = 20.0;
  }
  return s;
}

std::string describe(const SyntheticSpec& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "synthetic: %s, std %.4g/sqrt(fan_in), outliers %.4g x%.3g, seed %llu",
                s.distribution.c_str(), s.gain, s.outlier_fraction, s.outlier_scale,
                static_cast<unsigned long long>(s.seed));
  return buf;
}

// The request's scheme and widths, before anything is loaded.
void check_request(const ModelQuantRequest& r) {
  const auto& schemes = quant_scheme_names();
  if (std::find(schemes.begin(), schemes.end(), r.scheme) == schemes.end()) {
    throw InputError("--scheme: unknown scheme '" + r.scheme +
                     "'; expected rtn, ant, ant4-8, int4-8, squant or olive");
  }
  if (r.bits < 2 || r.bits > 8)
    throw InputError("--bits: must be in [2, 8], got " + std::to_string(r.bits));
  if (r.scheme == "olive" && r.bits != 4)
    throw InputError("--bits: olive is a 4-bit type, got " + std::to_string(r.bits));
  if (r.scheme == "ant4-8" && r.bits != 4)
    throw InputError("--bits: ant4-8 is 4-bit ANT with 8-bit first and last layers; got --bits " +
                     std::to_string(r.bits));
  if (r.scheme == "int4-8" && r.bits != 4)
    throw InputError(
        "--bits: int4-8 is 4-bit int where int is the best 4-bit type, else 8-bit; "
        "got --bits " +
        std::to_string(r.bits));
  for (const auto& [name, b] : r.layer_bits) {
    if (b < 2 || b > 8)
      throw InputError("per-layer bits for '" + name + "' must be in [2, 8], got " +
                       std::to_string(b));
  }
  if (r.activation_dbb.enabled() && r.activation_dbb.bz != r.dbb.bz) {
    throw InputError("--adbb block size (" + std::to_string(r.activation_dbb.bz) +
                     ") must equal --dbb's (" + std::to_string(r.dbb.bz) + ")");
  }
  if (r.activation_dbb_keep < 0 || r.activation_dbb_keep > 1) {
    throw InputError("A-DBB keep fraction must be in (0, 1], got " +
                     std::to_string(r.activation_dbb_keep));
  }
}

// The model's layers and the weights that are not drawn: an ONNX import's initializers, a
// directory of .npy files, or a zoo model's real (TF.js) weights.
struct ModelSource {
  Workload workload;
  std::string name;  // the zoo model's name ("resnet18"), or the ONNX spec's
  std::map<std::string, LayerWeights> real;
  std::vector<WeightFile> weight_files;
};

ModelSource load_model(const ModelQuantRequest& r) {
  ModelSource m;
  std::optional<OnnxImport> onnx;
  if (r.onnx_import) {
    onnx = *r.onnx_import;
  } else if (is_onnx_spec(r.model)) {
    if (r.seq_len > 0 || !r.skim.empty()) {
      throw InputError("--seq-len and --skim apply to bert_base only, not an ONNX model");
    }
    onnx = import_onnx_spec(r.model, /*read_weights=*/true);
  }
  m.workload = onnx ? onnx->workload : build_workload(r);
  m.name = zoo_model_name(r.model);
  const Workload& w = m.workload;
  const std::string& name = m.name;
  std::map<std::string, LayerWeights>& real = m.real;
  std::vector<WeightFile>& weight_files = m.weight_files;
  struct stat st {};
  if (onnx) {
    if (!r.weights_path.empty()) {
      throw InputError("--weights: an ONNX model carries its own weights (its initializers)");
    }
    real = std::move(onnx->weights);
    weight_files = onnx->weight_files;
  } else if (!r.weights_path.empty() && stat(r.weights_path.c_str(), &st) == 0 &&
             S_ISDIR(st.st_mode)) {
    real = load_npy_weights(r.weights_path, w, &weight_files);
    if (real.empty())
      throw InputError(r.weights_path + ": no <layer>.npy file matches a layer of '" + name + "'");
  } else if (has_real_weights(name)) {
    const std::string path =
        r.weights_path.empty() ? r.weights_dir + "/" + real_weights_file(name) : r.weights_path;
    try {
      real = load_real_weights(name, path, w, &weight_files);
    } catch (const InputError& e) {
      throw InputError(
          std::string(e.what()) +
          (r.weights_path.empty() ? " (run scripts/fetch_weights.sh, or pass --weights)" : ""));
    }
  } else if (!r.weights_path.empty()) {
    throw InputError("--weights: model '" + name +
                     "' has no TF.js mapping (faceres and resnet34_face do); pass a directory "
                     "of <layer>.npy files");
  }
  return m;
}

// The per-layer overrides name layers of the model, and per-layer A-DBB blocks match the weights'.
void check_layer_overrides(const ModelQuantRequest& r, const ModelSource& m) {
  const auto has_layer = [&](const std::string& layer) {
    return std::any_of(m.workload.layers.begin(), m.workload.layers.end(),
                       [&](const Layer& l) { return l.name == layer; });
  };
  for (const auto& [layer, b] : r.layer_bits) {
    if (!has_layer(layer)) {
      throw InputError("per-layer bits: model '" + m.name + "' has no layer '" + layer + "'");
    }
  }
  for (const auto& [layer, spec] : r.layer_activation_dbb) {
    if (!has_layer(layer)) {
      throw InputError("per-layer A-DBB: model '" + m.name + "' has no layer '" + layer + "'");
    }
    if (spec.bz != r.dbb.bz) {
      throw InputError("per-layer A-DBB for '" + layer + "': block size " +
                       std::to_string(spec.bz) + " must equal the weight DBB's (" +
                       std::to_string(r.dbb.bz) + ")");
    }
  }
}

// One layer's quantization, independent of the others (each has its own seeds).
struct LayerOutcome {
  TraceLayer tl;
  SafeTensorMap tensors;
  std::vector<float> float_weights;
  double signal = 0, noise = 0;
  int64_t nonzero = 0, params = 0, real_params = 0, macs = 0, low_bit_macs = 0;
};

// What every layer's quantization reads.
struct ModelPlan {
  const ModelQuantRequest& r;
  const ModelSource& model;
  int first_weighted = -1, last_weighted = -1;  // ant4-8 keeps them at 8-bit int
  bool mixed_int() const { return r.scheme == "int4-8"; }
};

// Layer i's weights (real or drawn), pruned and quantized; returns the width it ran at.
int quantize_layer_weights(const ModelPlan& plan, int i, LayerOutcome& o) {
  const ModelQuantRequest& r = plan.r;
  const Layer& layer = plan.model.workload.layers[i];
  TraceLayer& tl = o.tl;
  const bool edge = i == plan.first_weighted || i == plan.last_weighted;
  int bits = r.bits;
  // ant4-8 and int4-8 run ANT's type search; int4-8 (BitFusion's mixed-int baseline) keeps a
  // tensor at 4 bits only where int is its best 4-bit type and goes to 8-bit int elsewhere.
  const bool mixed_int = plan.mixed_int();
  std::string quantizer = r.scheme == "ant4-8" || mixed_int ? "ant" : r.scheme;
  if ((r.scheme == "ant4-8" || mixed_int) && edge) bits = 8;
  if (r.layer_bits.count(layer.name)) bits = r.layer_bits.at(layer.name);
  if (quantizer == "olive" && bits != 4) quantizer = "ant";

  WeightTensor tensor;
  if (!expected_weight_shape(layer, &tensor)) return bits;
  const std::string& name = plan.model.name;
  std::string source;
  auto it = plan.model.real.find(layer.name);
  if (it != plan.model.real.end()) {
    tensor = it->second.tensor;
    source = it->second.source;
    tl.weight.synthetic = false;
    o.real_params += tensor.size();
  } else {
    const SyntheticSpec s = synthetic_spec(name, layer.name, r.seed);
    if (r.synthetic_draws) {
      r.synthetic_draws->generate(tensor, s);
    } else {
      generate_weights(tensor, s);
    }
    source = describe(s);
    if (has_real_weights(name)) source += " (shape differs from the real model's)";
  }
  const std::vector<float> original = tensor.data;
  if (r.dbb.enabled()) dbb_prune(tensor, r.dbb);
  QuantSpec spec;
  spec.bits = bits;
  spec.allow_float = r.allow_float;
  QuantizedWeights q = make_weight_quantizer(quantizer)->quantize(tensor, spec);
  if (mixed_int && q.type_name != "int") {
    bits = spec.bits = 8;
    q = make_weight_quantizer(quantizer)->quantize(tensor, spec);
  }
  const QuantError err = quant_error(original, q.values);  // against the unpruned floats
  if (r.keep_float_weights) o.float_weights = original;
  o.signal = err.signal;
  o.noise = err.noise;
  o.nonzero += std::llround(err.density * static_cast<double>(original.size()));
  o.params += tensor.size();
  o.macs += layer.macs();
  if (bits < 8) o.low_bit_macs += layer.macs();
  auto& tw = tl.weight;
  tw.present = true;
  tw.type = q.type_name;
  tw.bits = bits;
  tw.is_signed = q.type.is_signed;
  tw.exp_bits = q.type.exp_bits;
  tw.density = err.density;
  tw.sqnr_db = err.sqnr_db;
  tw.mse = err.mse;
  tw.scales = q.scales;
  if (std::any_of(q.zero_points.begin(), q.zero_points.end(), [](double z) { return z != 0; })) {
    tw.zero_points = q.zero_points;
  }
  tw.source = source;
  if (r.with_tensors) {
    o.tensors[codes_tensor_name(layer.name)] = make_u8_tensor(
        q.codes, {tensor.out_channels, tensor.in_channels, tensor.kernel_h, tensor.kernel_w});
    o.tensors[scales_tensor_name(layer.name)] = make_f64_tensor(q.scales, {tensor.out_channels});
    if (!tw.zero_points.empty()) {
      o.tensors[zero_points_tensor_name(layer.name)] =
          make_f64_tensor(q.zero_points, {tensor.out_channels});
    }
  }

  return bits;
}

// Layer i's activations (their type, scale and A-DBB bound) at the weights' width `bits`.
void quantize_layer_activations(const ModelPlan& plan, int i, int bits, LayerOutcome& o) {
  const ModelQuantRequest& r = plan.r;
  const Layer& layer = plan.model.workload.layers[i];
  const std::string& name = plan.model.name;
  const int last_weighted = plan.last_weighted;
  const bool mixed_int = plan.mixed_int();
  TraceLayer& tl = o.tl;
  // Activations: the image input stays 8-bit; SQuant and ANT4-8 give the last layer 8 bits.
  const bool first = i == 0 && name != "bert_base";
  const ActivationDistribution dist = distribution_of(name, layer, first);
  int act_bits = bits;
  if (first || (i == last_weighted && (r.scheme == "squant" || r.scheme == "ant4-8" || mixed_int)))
    act_bits = 8;
  const std::string rule = r.scheme == "ant" || r.scheme == "ant4-8" || mixed_int ? "ant" : "sigma";
  ActivationQuant a =
      quantize_activations(dist, act_bits, rule, layer_seed(r.seed, layer.name + "#act"),
                           layer.type == LayerType::kGemm ? layer.k : 128, r.allow_float);
  if (mixed_int && a.type_name != "int") {
    act_bits = 8;
    a = quantize_activations(dist, act_bits, rule, layer_seed(r.seed, layer.name + "#act"),
                             layer.type == LayerType::kGemm ? layer.k : 128, r.allow_float);
  }
  tl.activation.type = a.type_name;
  tl.activation.bits = act_bits;
  tl.activation.is_signed = a.type.is_signed;
  tl.activation.exp_bits = a.type.exp_bits;
  tl.activation.scale = a.scale;
  tl.activation.sqnr_db = a.sqnr_db;
  tl.activation.distribution = a.distribution;

  tl.dbb.nnz = r.dbb.enabled() ? r.dbb.nnz : r.dbb.bz;
  tl.dbb.bz = r.dbb.bz;
  tl.dbb.weight_density = tl.weight.present ? tl.weight.density : 1.0;
  // A-DBB: a per-layer override, else (not on the image input) the keep rule or the uniform
  // bound.
  tl.dbb.activation_nnz = tl.dbb.bz;
  auto override_it = r.layer_activation_dbb.find(layer.name);
  if (override_it != r.layer_activation_dbb.end()) {
    tl.dbb.activation_nnz = override_it->second.nnz;
  } else if (!first && r.activation_dbb_keep > 0) {
    tl.dbb.activation_nnz = activation_nnz_for_keep(
        sample_activations(dist, 8192, layer_seed(r.seed, layer.name + "#adbb"),
                           layer.type == LayerType::kGemm ? layer.k : 128),
        tl.dbb.bz, r.activation_dbb_keep);
  } else if (!first && r.activation_dbb.enabled()) {
    tl.dbb.activation_nnz = r.activation_dbb.nnz;
  }
  tl.dbb.activation_density =
      activation_dbb_density(tl.dbb.activation_nnz, tl.dbb.bz, nonzero_probability(dist));
}

LayerOutcome quantize_layer(const ModelPlan& plan, int i) {
  LayerOutcome o;
  o.tl.layer = plan.model.workload.layers[i];
  const int bits = quantize_layer_weights(plan, i, o);
  quantize_layer_activations(plan, i, bits, o);
  return o;
}

// Every layer on up to `threads` cores (0: all), the biggest first so no core is left with a big
// layer at the end; the first failing layer's error, in layer order, is rethrown.
std::vector<LayerOutcome> quantize_layers(const ModelPlan& plan, int threads_requested) {
  const Workload& w = plan.model.workload;
  const size_t n = w.layers.size();
  std::vector<LayerOutcome> outcomes(n);
  std::vector<std::exception_ptr> errors(n);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return w.layers[a].weight_elements() > w.layers[b].weight_elements();
  });
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < n; k = next++) {
      const size_t i = order[k];
      try {
        outcomes[i] = quantize_layer(plan, static_cast<int>(i));
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const size_t threads = std::max<size_t>(
      1, std::min<size_t>(
             threads_requested > 0 ? threads_requested : std::thread::hardware_concurrency(), n));
  std::vector<std::thread> pool;
  for (size_t k = 1; k < threads; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);  // the first failing layer, in layer order
  }
  return outcomes;
}

}  // namespace

const std::vector<std::string>& quant_scheme_names() {
  static const std::vector<std::string> names = {"rtn",    "ant",    "ant4-8",
                                                 "int4-8", "squant", "olive"};
  return names;
}

ModelQuantResult quantize_model(const ModelQuantRequest& r) {
  check_request(r);
  ModelSource model = load_model(r);
  check_layer_overrides(r, model);
  const Workload& w = model.workload;
  const std::string& name = model.name;
  ModelPlan plan{r, model};
  for (int i = 0; i < static_cast<int>(w.layers.size()); ++i) {
    WeightTensor shape;
    if (expected_weight_shape(w.layers[i], &shape)) {
      if (plan.first_weighted < 0) plan.first_weighted = i;
      plan.last_weighted = i;
    }
  }
  std::vector<LayerOutcome> outcomes = quantize_layers(plan, r.threads);

  // Gathered in layer order: the trace and its sums are the same for any thread count.
  ModelQuantResult out;
  Trace& t = out.trace;
  t.model = r.model;
  t.scheme = r.scheme;
  t.bits = r.bits;
  double signal = 0, noise = 0;
  int64_t nonzero = 0, total_macs = 0, low_bit_macs = 0;
  for (auto& o : outcomes) {
    signal += o.signal;
    noise += o.noise;
    nonzero += o.nonzero;
    out.summary.weight_params += o.params;
    out.summary.real_params += o.real_params;
    total_macs += o.macs;
    low_bit_macs += o.low_bit_macs;
    for (auto& [key, tensor] : o.tensors) out.tensors[key] = std::move(tensor);
    if (!o.float_weights.empty()) out.float_weights[o.tl.layer.name] = std::move(o.float_weights);
    t.layers.push_back(std::move(o.tl));
  }
  // Provenance: the real files that gave at least one layer its weights, and how the others were
  // drawn (each layer's seed comes from the request's and the layer's name).
  const bool any_real = std::any_of(t.layers.begin(), t.layers.end(), [](const TraceLayer& l) {
    return l.weight.present && !l.weight.synthetic;
  });
  const bool any_synthetic = std::any_of(t.layers.begin(), t.layers.end(), [](const TraceLayer& l) {
    return l.weight.present && l.weight.synthetic;
  });
  if (any_real) t.weight_files = std::move(model.weight_files);
  if (any_synthetic) {
    SyntheticSpec s = synthetic_spec(name, "", r.seed);
    s.seed = r.seed;
    t.synthetic_weights = describe(s).substr(std::string("synthetic: ").size()) +
                          " (each layer's seed drawn from it and the layer's name)";
  }
  out.summary.weight_sqnr_db = noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
  out.summary.weight_density = out.summary.weight_params > 0
                                   ? static_cast<double>(nonzero) / out.summary.weight_params
                                   : 1.0;
  out.summary.low_bit_mac_share =
      total_macs > 0 ? static_cast<double>(low_bit_macs) / total_macs : 0.0;
  return out;
}

}  // namespace strata
