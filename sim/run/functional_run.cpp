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

}  // namespace

FunctionalResult run_functional(const FunctionalRequest& r, BitTrueInputs& data) {
  const OnnxGraph& g = *r.graph;
  FunctionalResult result;
  result.graph = g.file;
  result.input_files = r.input_files;
  result.activation_rule = r.activation_rule;
  if (g.inputs.size() != 1) {
    throw InputError(g.file + ": functional mode feeds models of one input; this one has " +
                     std::to_string(g.inputs.size()));
  }
  const std::string& input_name = g.inputs[0];
  const std::vector<int64_t>& input_shape = g.value(input_name).shape;
  bool any_image = false;
  for (const auto& f : r.input_files) {
    any_image |= f.size() < 4 || f.substr(f.size() - 4) != ".npy";
  }
  if (any_image) {
    ImagePreprocessing p = r.preprocessing;
    if (input_shape.size() == 4) {
      p.height = input_shape[2];
      p.width = input_shape[3];
    }
    result.preprocessing = p.describe();
  }

  // The graph's array layers, in the import's (and the trace's) order.
  std::map<std::string, LayerNode> layer_nodes;
  size_t index = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const OnnxNodeImport& ni = r.import->nodes.at(i);
    if (ni.role != OnnxNodeRole::kLayer) continue;
    if (index >= data.trace.layers.size() || data.trace.layers[index].layer.name != ni.name) {
      throw std::logic_error("functional mode: the trace's layers differ from the graph's");
    }
    layer_nodes[g.nodes[i].name] = LayerNode{&g.nodes[i], &ni, index++};
  }
  result.layers.resize(index);
  const LayerNode* optical = nullptr;  // the first array layer, computed in optics
  if (r.optics) {
    for (const auto& [name, ln] : layer_nodes) {
      if (ln.index == 0) optical = &ln;
    }
    if (optical == nullptr || optical->node->op != "Conv" ||
        optical->node->inputs[0] != input_name || input_shape.size() != 4 || input_shape[0] != 1) {
      throw InputError(g.file +
                       ": optics.enabled: the first array layer must be a convolution of "
                       "the model's input (batch 1) to run in front of the sensor");
    }
  }
  if (r.sensor_noise) {
    for (const auto& f : r.input_files) {
      if (f.size() >= 4 && f.substr(f.size() - 4) == ".npy") {
        throw InputError(f +
                         ": sensor.noise needs image inputs (the scene's intensity behind a "
                         "tensor is unknown); set sensor.noise = false for .npy inputs");
      }
    }
  }
  result.sensed = r.sensor_noise;
  for (size_t i = 0; i < index; ++i) {
    FunctionalLayer& st = result.layers[i];
    const TraceLayer& tl = data.trace.layers[i];
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
  const OnnxFloatExecutor executor(g);
  const size_t inputs = r.input_files.size();
  std::mutex progress_mutex;
  size_t done = 0;
  auto advance = [&] {
    if (!r.progress) return;
    const std::lock_guard<std::mutex> lock(progress_mutex);
    r.progress(++done, 2 * inputs);
  };
  auto load = [&](size_t i) {
    return std::map<std::string, FloatTensor>{
        {input_name, load_input(r.input_files[i], input_shape, r.preprocessing)}};
  };

  // Pass 1: the float network on every input; each layer's inputs calibrate its type and scale.
  // Inputs run in parallel; their figures are merged in input order (the same bytes whatever the
  // thread count).
  struct Calibration {
    int64_t values = 0, zeros = 0;
    double min = INFINITY, max = -INFINITY;
    std::vector<float> sample;
    std::vector<float> blocks;  // whole blocks of bz channels (conv) or of K (GEMMs)
  };
  std::vector<std::vector<Calibration>> calibration(inputs, std::vector<Calibration>(index));
  const int64_t per_input = kCalibrationValues / std::max<int64_t>(1, static_cast<int64_t>(inputs));
  in_parallel(inputs, [&](size_t i) {
    executor.run(load(i), false,
                 [&](const OnnxNode& n, const OnnxFloatExecutor::ValueLookup& value, FloatTensor*) {
                   const auto it = layer_nodes.find(n.name);
                   if (it == layer_nodes.end()) return false;
                   const FloatTensor& x = value(n.inputs[0]);
                   Calibration& c = calibration[i][it->second.index];
                   c.values += static_cast<int64_t>(x.data.size());
                   for (float v : x.data) {
                     c.zeros += v == 0;
                     c.min = std::min<double>(c.min, v);
                     c.max = std::max<double>(c.max, v);
                   }
                   take_sample(x.data, per_input, &c.sample);
                   if (r.activation_dbb_keep > 0) {
                     const TraceLayer& tl = data.trace.layers[it->second.index];
                     take_blocks(x, tl.layer, tl.dbb.bz, per_input, &c.blocks);
                   }
                   return false;
                 });
    advance();
  });
  for (size_t l = 0; l < index; ++l) {
    TraceLayer& tl = data.trace.layers[l];
    FunctionalLayer& st = result.layers[l];
    std::vector<float> sample, blocks;
    for (size_t i = 0; i < inputs; ++i) {
      const Calibration& c = calibration[i][l];
      blocks.insert(blocks.end(), c.blocks.begin(), c.blocks.end());
      st.input_values += c.values;
      st.float_zeros += c.zeros;
      st.input_min = std::min(st.input_min, c.min);
      st.input_max = std::max(st.input_max, c.max);
      sample.insert(sample.end(), c.sample.begin(), c.sample.end());
    }
    ActivationQuant a;
    try {
      a = quantize_activation_sample(sample, st.input_min < 0, tl.activation.bits,
                                     r.activation_rule, r.allow_float);
      if (r.mixed_int && a.type_name != "int") {
        tl.activation.bits = 8;
        a = quantize_activation_sample(sample, st.input_min < 0, 8, r.activation_rule,
                                       r.allow_float);
      }
    } catch (const std::invalid_argument& e) {
      throw InputError(g.file + ": layer '" + st.name + "': calibration: " + e.what());
    }
    tl.activation.type = a.type_name;
    tl.activation.is_signed = a.type.is_signed;
    tl.activation.exp_bits = a.type.exp_bits;
    tl.activation.scale = a.scale;
    tl.activation.sqnr_db = a.sqnr_db;
    tl.activation.distribution = "measured";
    st.measured_type = a.type_name + std::to_string(tl.activation.bits);
    st.measured_scale = a.scale;
    if (r.activation_dbb_keep > 0 && l > 0 && !r.fixed_activation_dbb.count(st.name) &&
        !blocks.empty()) {
      tl.dbb.activation_nnz = activation_nnz_for_keep(blocks, tl.dbb.bz, r.activation_dbb_keep);
    }
    st.measured_nnz = tl.dbb.activation_nnz;
  }
  calibration.clear();

  // Pass 2: float and quantized side by side on every input, each input's figures apart, merged
  // in input order.
  for (auto& o : g.outputs) {
    FunctionalOutput out;
    out.name = o;
    out.elements = g.value(o).elements();
    result.outputs.push_back(out);
  }
  if (!r.primary_output.empty()) {
    const auto it = std::find(g.outputs.begin(), g.outputs.end(), r.primary_output);
    if (it == g.outputs.end()) {
      throw std::logic_error("functional mode: no output '" + r.primary_output + "'");
    }
    result.primary = static_cast<size_t>(it - g.outputs.begin());
  }
  std::vector<std::vector<FunctionalLayer>> layer_parts(inputs,
                                                        std::vector<FunctionalLayer>(index));
  std::vector<std::vector<FunctionalOutput>> output_parts(inputs, result.outputs);
  std::vector<SensorPart> sensor_parts(inputs);
  in_parallel(inputs, [&](size_t i) {
    QuantizedPath quantized(r, data, layer_parts[i]);
    const auto in = load(i);
    const auto reference = executor.run(in, /*keep_all=*/true);
    const uint64_t seed = mix_seed(r.noise_seed, i);
    SensorPart& sensed = sensor_parts[i];
    auto seen = in;  // the network's input as the quantized path reads it
    if (r.sensor_noise && !r.optics) {
      const FloatTensor& x = in.at(input_name);
      seen.at(input_name) = camera_read(x, r.preprocessing, r.sensor, seed, &sensed);
      compare(x, seen.at(input_name), &sensed.signal, &sensed.noise);
    }
    const auto outputs = executor.run(
        seen, false,
        [&](const OnnxNode& n, const OnnxFloatExecutor::ValueLookup& value, FloatTensor* out) {
          const auto it = layer_nodes.find(n.name);
          if (it == layer_nodes.end()) return false;
          const FloatTensor& exact = reference.at(n.outputs[0]);
          if (&it->second == optical) {
            *out = exact;
            if (r.sensor_noise) {
              try {
                *out =
                    optical_read(data.trace.layers[0].layer, optical->import->pads,
                                 value(n.inputs[0]), value(n.inputs[1]), exact, r, seed, &sensed);
              } catch (const std::invalid_argument& e) {
                throw InputError(g.file + ": node '" + n.name + "': optics: " + e.what());
              }
              compare(exact, *out, &sensed.signal, &sensed.noise);
            }
            return true;
          }
          *out = quantized.run(it->second, value);
          FunctionalLayer& st = layer_parts[i][it->second.index];
          compare(reference.at(n.outputs[0]), *out, &st.signal, &st.noise);
          return true;
        });
    for (FunctionalOutput& o : output_parts[i]) {
      const FloatTensor& f = reference.at(o.name);
      const FloatTensor& q = outputs.at(o.name);
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
    advance();
  });
  for (size_t i = 0; i < inputs; ++i) {
    for (size_t l = 0; l < index; ++l) {
      const FunctionalLayer& part = layer_parts[i][l];
      FunctionalLayer& st = result.layers[l];
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
    result.sensor_signal += sensor_parts[i].signal;
    result.sensor_noise += sensor_parts[i].noise;
    result.sensor_electrons += sensor_parts[i].electrons;
    result.sensor_pixels += sensor_parts[i].pixels;
    for (size_t o = 0; o < result.outputs.size(); ++o) {
      const FunctionalOutput& part = output_parts[i][o];
      FunctionalOutput& out = result.outputs[o];
      out.signal += part.signal;
      out.noise += part.noise;
      out.top1_agreements += part.top1_agreements;
      out.cosine_sum += part.cosine_sum;
      out.inputs += part.inputs;
    }
  }
  return result;
}

}  // namespace strata
