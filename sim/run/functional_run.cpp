#include "sim/run/functional_run.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/input_error.h"
#include "hw_models/sensor/sensor_noise.h"
#include "sim/run/functional_sensor.h"
#include "sim/run/quantized_path.h"
#include "workloads/functional/onnx_executor.h"
#include "workloads/quant/activation_model.h"
#include "workloads/quant/dbb.h"

namespace strata {

double FunctionalLayer::zero_fraction() const {
  return input_values > 0 ? static_cast<double>(float_zeros) / input_values : 0.0;
}
double FunctionalLayer::measured_density() const {
  return input_values > 0 ? static_cast<double>(kept_nonzeros) / input_values : 1.0;
}
double FunctionalLayer::product_density() const {
  return macs > 0 ? static_cast<double>(nonzero_products) / macs : 1.0;
}
double FunctionalLayer::output_sqnr_db() const {
  return noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
}
double FunctionalOutput::sqnr_db() const {
  return noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
}
double FunctionalOutput::top1_agreement() const {
  return elements > 1 && inputs > 0 ? static_cast<double>(top1_agreements) / inputs : NAN;
}
double FunctionalOutput::mean_cosine() const { return inputs > 0 ? cosine_sum / inputs : NAN; }
double FunctionalResult::sensor_sqnr_db() const {
  return sensor_noise > 0 ? 10 * std::log10(sensor_signal / sensor_noise) : INFINITY;
}
double FunctionalResult::sensor_mean_electrons() const {
  return sensor_pixels > 0 ? sensor_electrons / static_cast<double>(sensor_pixels) : 0.0;
}

namespace {

constexpr int64_t kCalibrationValues = 16384;
// Pass 1's float values of an input are pass 2's reference for it: kept while all inputs' together
// stay within this many bytes, recomputed beyond (computing them twice was a third of a run).
constexpr int64_t kKeptReferenceBytes = int64_t{512} << 20;

// Every `step`-th value of x: the calibration sample's share of one input.
void take_sample(const std::vector<float>& x, int64_t per_input, std::vector<float>* sample) {
  const int64_t n = static_cast<int64_t>(x.size());
  const int64_t step = std::max<int64_t>(1, n / std::max<int64_t>(1, per_input));
  for (int64_t i = 0; i < n; i += step) sample->push_back(x[static_cast<size_t>(i)]);
}

// Whole blocks of `bz` values along the reduction, as the top-k unit cuts them: the channels of
// sampled pixels (NCHW convolution inputs) or of sampled rows of K (GEMM inputs).
void take_blocks(const FloatTensor& x, const Layer& l, int bz, int64_t per_input,
                 std::vector<float>* blocks) {
  const bool conv = l.type == LayerType::kConv2d && x.shape.size() == 4;
  const int64_t run = conv ? x.shape[1] : l.k;
  const int64_t positions = conv ? x.shape[0] * x.shape[2] * x.shape[3]
                                 : static_cast<int64_t>(x.data.size()) / std::max<int64_t>(1, run);
  const int64_t groups = run / bz;
  if (groups == 0 || positions == 0) return;
  const int64_t step =
      std::max<int64_t>(1, positions * groups * bz / std::max<int64_t>(1, per_input));
  const int64_t plane = conv ? x.shape[2] * x.shape[3] : 1;
  for (int64_t p = 0; p < positions; p += step) {
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t j = 0; j < bz; ++j) {
        const int64_t ch = g * bz + j;
        const int64_t at =
            conv ? ((p / plane) * x.shape[1] + ch) * plane + p % plane : p * run + ch;
        blocks->push_back(x.data[static_cast<size_t>(at)]);
      }
    }
  }
}

void compare(const FloatTensor& reference, const FloatTensor& quantized, double* signal,
             double* noise) {
  for (size_t i = 0; i < reference.data.size(); ++i) {
    const double r = reference.data[i], d = quantized.data[i] - r;
    *signal += r * r;
    *noise += d * d;
  }
}

// Runs f(0..n-1) on up to all cores; the first error, in index order, is rethrown once all
// stopped.
void in_parallel(size_t n, const std::function<void(size_t)>& f) {
  std::vector<std::exception_ptr> errors(n);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        f(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const size_t threads =
      std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), n));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// One functional run: the graph's layers found in the trace, pass 1 (the float network calibrates
// every layer's activation type and scale), pass 2 (float and quantized side by side), and the
// per-input figures merged in input order (the same bytes whatever the thread count).
class FunctionalRun {
 public:
  FunctionalRun(const FunctionalRequest& r, BitTrueInputs& data)
      : r_(r), data_(data), g_(*r.graph), executor_(g_), inputs_(r.input_files.size()) {}

  FunctionalResult run() {
    find_layers();
    calibrate();
    compare_with_float();
    return std::move(result_);
  }

 private:
  // The model's input, its preprocessing, and its array layers in the import's (and the
  // trace's) order; the optical first layer; each layer's declared figures.
  void find_layers() {
    result_.graph = g_.file;
    result_.input_files = r_.input_files;
    result_.activation_rule = r_.activation_rule;
    if (g_.inputs.size() != 1) {
      throw InputError(g_.file + ": functional mode feeds models of one input; this one has " +
                       std::to_string(g_.inputs.size()));
    }
    input_name_ = g_.inputs[0];
    input_shape_ = g_.value(input_name_).shape;
    bool any_image = false;
    for (const auto& f : r_.input_files) {
      any_image |= f.size() < 4 || f.substr(f.size() - 4) != ".npy";
    }
    if (any_image) {
      ImagePreprocessing p = r_.preprocessing;
      if (input_shape_.size() == 4) {
        p.height = input_shape_[2];
        p.width = input_shape_[3];
      }
      result_.preprocessing = p.describe();
    }
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const OnnxNodeImport& ni = r_.import->nodes.at(i);
      if (ni.role != OnnxNodeRole::kLayer) continue;
      if (layers_ >= data_.trace.layers.size() ||
          data_.trace.layers[layers_].layer.name != ni.name) {
        throw std::logic_error("functional mode: the trace's layers differ from the graph's");
      }
      layer_nodes_[g_.nodes[i].name] = LayerNode{&g_.nodes[i], &ni, layers_++};
    }
    result_.layers.resize(layers_);
    if (r_.optics) {
      for (const auto& [name, ln] : layer_nodes_) {
        if (ln.index == 0) optical_ = &ln;
      }
      if (optical_ == nullptr || optical_->node->op != "Conv" ||
          optical_->node->inputs[0] != input_name_ || input_shape_.size() != 4 ||
          input_shape_[0] != 1) {
        throw InputError(g_.file +
                         ": optics.enabled: the first array layer must be a convolution of "
                         "the model's input (batch 1) to run in front of the sensor");
      }
    }
    if (r_.sensor_noise) {
      for (const auto& f : r_.input_files) {
        if (f.size() >= 4 && f.substr(f.size() - 4) == ".npy") {
          throw InputError(f +
                           ": sensor.noise needs image inputs (the scene's intensity behind a "
                           "tensor is unknown); set sensor.noise = false for .npy inputs");
        }
      }
    }
    result_.sensed = r_.sensor_noise;
    for (size_t i = 0; i < layers_; ++i) {
      FunctionalLayer& st = result_.layers[i];
      const TraceLayer& tl = data_.trace.layers[i];
      st.name = tl.layer.name;
      st.declared_type = tl.activation.type + std::to_string(tl.activation.bits);
      st.declared_scale = tl.activation.scale;
      st.declared_density = tl.dbb.activation_density;
      st.declared_product_density = tl.dbb.activation_density * tl.dbb.weight_density;
      st.bz = tl.dbb.bz;
      st.declared_nnz = st.measured_nnz = tl.dbb.activation_nnz;
      st.input_min = INFINITY;
      st.input_max = -INFINITY;
    }
  }

  std::map<std::string, FloatTensor> load(size_t i) const {
    return {{input_name_, load_input(r_.input_files[i], input_shape_, r_.preprocessing)}};
  }

  void advance() {
    if (!r_.progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex_);
    r_.progress(++done_, 2 * inputs_);
  }

  // Pass 1: the float network on every input; each layer's inputs calibrate its type and scale.
  void calibrate() {
    struct Calibration {
      int64_t values = 0, zeros = 0;
      double min = INFINITY, max = -INFINITY;
      std::vector<float> sample;
      std::vector<float> blocks;  // whole blocks of bz channels (conv) or of K (GEMMs)
    };
    std::vector<std::vector<Calibration>> calibration(inputs_, std::vector<Calibration>(layers_));
    const int64_t per_input =
        kCalibrationValues / std::max<int64_t>(1, static_cast<int64_t>(inputs_));
    references_.assign(inputs_, {});
    std::atomic<int64_t> kept_bytes{0};
    in_parallel(inputs_, [&](size_t i) {
      std::map<std::string, FloatTensor> values = executor_.run(
          load(i), /*keep_all=*/true,
          [&](const OnnxNode& n, const OnnxFloatExecutor::ValueLookup& value, FloatTensor*) {
            const auto it = layer_nodes_.find(n.name);
            if (it == layer_nodes_.end()) return false;
            const FloatTensor& x = value(n.inputs[0]);
            Calibration& c = calibration[i][it->second.index];
            c.values += static_cast<int64_t>(x.data.size());
            for (float v : x.data) {
              c.zeros += v == 0;
              c.min = std::min<double>(c.min, v);
              c.max = std::max<double>(c.max, v);
            }
            take_sample(x.data, per_input, &c.sample);
            if (r_.activation_dbb_keep > 0) {
              const TraceLayer& tl = data_.trace.layers[it->second.index];
              take_blocks(x, tl.layer, tl.dbb.bz, per_input, &c.blocks);
            }
            return false;
          });
      int64_t bytes = 0;
      for (const auto& [name, v] : values)
        bytes += static_cast<int64_t>(v.data.size() * sizeof(float));
      if (kept_bytes.fetch_add(bytes) + bytes <= kKeptReferenceBytes) {
        references_[i] = std::move(values);
      }
      advance();
    });
    for (size_t l = 0; l < layers_; ++l) {
      std::vector<float> sample, blocks;
      FunctionalLayer& st = result_.layers[l];
      for (size_t i = 0; i < inputs_; ++i) {
        const Calibration& c = calibration[i][l];
        blocks.insert(blocks.end(), c.blocks.begin(), c.blocks.end());
        st.input_values += c.values;
        st.float_zeros += c.zeros;
        st.input_min = std::min(st.input_min, c.min);
        st.input_max = std::max(st.input_max, c.max);
        sample.insert(sample.end(), c.sample.begin(), c.sample.end());
      }
      set_activation_type(l, sample, blocks);
    }
  }

  // Layer l's activation type and scale from its calibration sample (and its A-DBB NNZ from its
  // blocks, with A-DBB "auto").
  void set_activation_type(size_t l, const std::vector<float>& sample,
                           const std::vector<float>& blocks) {
    TraceLayer& tl = data_.trace.layers[l];
    FunctionalLayer& st = result_.layers[l];
    ActivationQuant a;
    try {
      a = quantize_activation_sample(sample, st.input_min < 0, tl.activation.bits,
                                     r_.activation_rule, r_.allow_float);
      if (r_.mixed_int && a.type_name != "int") {
        tl.activation.bits = 8;
        a = quantize_activation_sample(sample, st.input_min < 0, 8, r_.activation_rule,
                                       r_.allow_float);
      }
    } catch (const std::invalid_argument& e) {
      throw InputError(g_.file + ": layer '" + st.name + "': calibration: " + e.what());
    }
    tl.activation.type = a.type_name;
    tl.activation.is_signed = a.type.is_signed;
    tl.activation.exp_bits = a.type.exp_bits;
    tl.activation.scale = a.scale;
    tl.activation.sqnr_db = a.sqnr_db;
    tl.activation.distribution = "measured";
    st.measured_type = a.type_name + std::to_string(tl.activation.bits);
    st.measured_scale = a.scale;
    if (r_.activation_dbb_keep > 0 && l > 0 && !r_.fixed_activation_dbb.count(st.name) &&
        !blocks.empty()) {
      tl.dbb.activation_nnz = activation_nnz_for_keep(blocks, tl.dbb.bz, r_.activation_dbb_keep);
    }
    st.measured_nnz = tl.dbb.activation_nnz;
  }

  // Pass 2: float and quantized side by side on every input, each input's figures apart.
  void compare_with_float() {
    for (auto& o : g_.outputs) {
      FunctionalOutput out;
      out.name = o;
      out.elements = g_.value(o).elements();
      result_.outputs.push_back(out);
    }
    if (!r_.primary_output.empty()) {
      const auto it = std::find(g_.outputs.begin(), g_.outputs.end(), r_.primary_output);
      if (it == g_.outputs.end()) {
        throw std::logic_error("functional mode: no output '" + r_.primary_output + "'");
      }
      result_.primary = static_cast<size_t>(it - g_.outputs.begin());
    }
    std::vector<std::vector<FunctionalLayer>> layer_parts(inputs_,
                                                          std::vector<FunctionalLayer>(layers_));
    std::vector<std::vector<FunctionalOutput>> output_parts(inputs_, result_.outputs);
    std::vector<SensorPart> sensor_parts(inputs_);
    in_parallel(inputs_, [&](size_t i) {
      run_input(i, std::move(references_[i]), layer_parts[i], output_parts[i], sensor_parts[i]);
      advance();
    });
    merge(layer_parts, output_parts, sensor_parts);
  }

  // Input i through the float network (pass 1's values when it kept them) and the quantized path
  // (the sensor and the optics in front when configured).
  void run_input(size_t i, std::map<std::string, FloatTensor> kept,
                 std::vector<FunctionalLayer>& layers, std::vector<FunctionalOutput>& outputs,
                 SensorPart& sensed) const {
    QuantizedPath quantized(r_, data_, layers);
    const auto in = load(i);
    const auto reference = kept.empty() ? executor_.run(in, /*keep_all=*/true) : std::move(kept);
    const uint64_t seed = mix_seed(r_.noise_seed, i);
    auto seen = in;  // the network's input as the quantized path reads it
    if (r_.sensor_noise && !r_.optics) {
      const FloatTensor& x = in.at(input_name_);
      seen.at(input_name_) = camera_read(x, r_.preprocessing, r_.sensor, seed, &sensed);
      compare(x, seen.at(input_name_), &sensed.signal, &sensed.noise);
    }
    const auto quantized_outputs = executor_.run(
        seen, false,
        [&](const OnnxNode& n, const OnnxFloatExecutor::ValueLookup& value, FloatTensor* out) {
          const auto it = layer_nodes_.find(n.name);
          if (it == layer_nodes_.end()) return false;
          const FloatTensor& exact = reference.at(n.outputs[0]);
          if (&it->second == optical_) {
            *out = exact;
            if (r_.sensor_noise) {
              try {
                *out =
                    optical_read(data_.trace.layers[0].layer, optical_->import->pads,
                                 value(n.inputs[0]), value(n.inputs[1]), exact, r_, seed, &sensed);
              } catch (const std::invalid_argument& e) {
                throw InputError(g_.file + ": node '" + n.name + "': optics: " + e.what());
              }
              compare(exact, *out, &sensed.signal, &sensed.noise);
            }
            return true;
          }
          *out = quantized.run(it->second, value);
          FunctionalLayer& st = layers[it->second.index];
          compare(reference.at(n.outputs[0]), *out, &st.signal, &st.noise);
          return true;
        });
    for (FunctionalOutput& o : outputs) {
      const FloatTensor& f = reference.at(o.name);
      const FloatTensor& q = quantized_outputs.at(o.name);
      compare(f, q, &o.signal, &o.noise);
      double dot = 0, ff = 0, qq = 0;
      for (size_t k = 0; k < f.data.size(); ++k) {
        dot += double(f.data[k]) * q.data[k];
        ff += double(f.data[k]) * f.data[k];
        qq += double(q.data[k]) * q.data[k];
      }
      o.cosine_sum += ff > 0 && qq > 0 ? dot / std::sqrt(ff * qq) : (ff == qq ? 1.0 : 0.0);
      const auto argmax = [](const std::vector<float>& v) {
        return std::max_element(v.begin(), v.end()) - v.begin();
      };
      o.top1_agreements += argmax(f.data) == argmax(q.data);
      ++o.inputs;
    }
  }

  // The inputs' figures, summed in input order.
  void merge(const std::vector<std::vector<FunctionalLayer>>& layer_parts,
             const std::vector<std::vector<FunctionalOutput>>& output_parts,
             const std::vector<SensorPart>& sensor_parts) {
    for (size_t i = 0; i < inputs_; ++i) {
      for (size_t l = 0; l < layers_; ++l) {
        const FunctionalLayer& part = layer_parts[i][l];
        FunctionalLayer& st = result_.layers[l];
        st.code_zeros += part.code_zeros;
        st.kept_nonzeros += part.kept_nonzeros;
        for (size_t b = 0; b < st.half_block_kept.size(); ++b) {
          st.half_block_kept[b] += part.half_block_kept[b];
        }
        st.macs += part.macs;
        st.nonzero_products += part.nonzero_products;
        st.signal += part.signal;
        st.noise += part.noise;
      }
      result_.sensor_signal += sensor_parts[i].signal;
      result_.sensor_noise += sensor_parts[i].noise;
      result_.sensor_electrons += sensor_parts[i].electrons;
      result_.sensor_pixels += sensor_parts[i].pixels;
      for (size_t o = 0; o < result_.outputs.size(); ++o) {
        const FunctionalOutput& part = output_parts[i][o];
        FunctionalOutput& out = result_.outputs[o];
        out.signal += part.signal;
        out.noise += part.noise;
        out.top1_agreements += part.top1_agreements;
        out.cosine_sum += part.cosine_sum;
        out.inputs += part.inputs;
      }
    }
  }

  const FunctionalRequest& r_;
  BitTrueInputs& data_;
  const OnnxGraph& g_;
  const OnnxFloatExecutor executor_;
  const size_t inputs_;
  FunctionalResult result_;
  std::string input_name_;
  std::vector<int64_t> input_shape_;
  std::map<std::string, LayerNode> layer_nodes_;
  size_t layers_ = 0;
  const LayerNode* optical_ = nullptr;  // the first array layer, computed in optics
  std::vector<std::map<std::string, FloatTensor>> references_;  // per input, empty if not kept
  std::mutex progress_mutex_;
  size_t done_ = 0;
};

}  // namespace

FunctionalResult run_functional(const FunctionalRequest& r, BitTrueInputs& data) {
  return FunctionalRun(r, data).run();
}

}  // namespace strata
