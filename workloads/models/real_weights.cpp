#include "workloads/models/real_weights.h"

#include <sys/stat.h>

#include "common/input_error.h"
#include "workloads/text_file.h"
#include "workloads/weights/layout.h"
#include "workloads/weights/npy.h"
#include "workloads/weights/tfjs.h"

namespace strata {
namespace {

const NamedTensor& tensor(const TensorMap& m, const std::string& name, const std::string& file) {
  auto it = m.find(name);
  if (it == m.end()) throw InputError(file + ": tensor '" + name + "' not found");
  return it->second;
}

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool has_real_weights(const std::string& model) {
  return model == "faceres" || model == "resnet34_face";
}

std::string real_weights_file(const std::string& model) {
  if (model == "faceres") return "faceres-deep.json";
  if (model == "resnet34_face") return "face_recognition_model-weights_manifest.json";
  return "";
}

std::map<std::string, LayerWeights> load_real_weights(const std::string& model,
                                                      const std::string& path, const Workload& w,
                                                      std::vector<WeightFile>* files) {
  const TensorMap m = load_tfjs(path, files);
  const std::string file = base_name(path);
  std::map<std::string, LayerWeights> out;
  auto add = [&](const Layer& l, WeightTensor t, const std::string& source) {
    WeightTensor expected;
    expected_weight_shape(l, &expected);
    if (t.out_channels != expected.out_channels || t.in_channels != expected.in_channels ||
        t.kernel_h != expected.kernel_h || t.kernel_w != expected.kernel_w) {
      throw InputError(path + ": " + source + " has shape " + t.shape_string() + " but layer '" +
                       l.name + "' expects " + expected.shape_string() + " (out x in x kh x kw)");
    }
    out[l.name] = LayerWeights{std::move(t), "real: " + file + " " + source};
  };
  for (const Layer& l : w.layers) {
    if (model == "faceres") {
      if (l.name == "feats" || l.name == "gender_pred" || l.name == "age_pred") {
        const std::string k = l.name + "/kernel";
        add(l, from_dense_io(tensor(m, k, path), path + ": " + k), k);
      } else if (l.name == "conv0") {
        add(l, from_hwio(tensor(m, "conv1/convolution/merged_input", path), path),
            "conv1/convolution/merged_input");
      } else if (l.name.size() > 3 && l.name.compare(l.name.size() - 3, 3, "_dw") == 0) {
        const std::string i = l.name.substr(4, l.name.size() - 7);  // "conv7_dw" -> "7"
        const std::string k = "conv_dw_" + i + "/depthwise_kernel";
        WeightTensor t = from_depthwise_hwcm(tensor(m, k, path), path + ": " + k);
        scale_output_channels(t, tensor(m, "conv_dw_" + i + "_bn/batchnorm_1/mul", path),
                              path + ": " + k);
        add(l, std::move(t), k + " x conv_dw_" + i + "_bn/batchnorm_1/mul");
      } else if (l.name.size() > 3 && l.name.compare(l.name.size() - 3, 3, "_pw") == 0) {
        const std::string i = l.name.substr(4, l.name.size() - 7);
        const std::string k = "conv_pw_" + i + "/convolution/merged_input";
        add(l, from_hwio(tensor(m, k, path), path + ": " + k), k);
      }
    } else if (model == "resnet34_face") {
      if (l.name == "fc") {
        add(l, from_dense_io(tensor(m, "fc", path), path + ": fc"), "fc");
        continue;
      }
      const std::string k = l.name + "/conv/filters";
      WeightTensor t = from_hwio(tensor(m, k, path), path + ": " + k);
      scale_output_channels(t, tensor(m, l.name + "/scale/weights", path), path + ": " + k);
      add(l, std::move(t), k + " x " + l.name + "/scale/weights");
    }
  }
  return out;
}

std::map<std::string, LayerWeights> load_npy_weights(const std::string& dir, const Workload& w,
                                                     std::vector<WeightFile>* files) {
  std::map<std::string, LayerWeights> out;
  for (const Layer& l : w.layers) {
    WeightTensor expected;
    if (!expected_weight_shape(l, &expected)) continue;
    std::string file = l.name;
    for (auto& c : file) c = c == '/' ? '_' : c;
    const std::string path = dir + "/" + file + ".npy";
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) continue;
    const std::string bytes = read_text_file(path);
    const NamedTensor t = parse_npy(bytes, path);
    if (files) add_weight_file(*files, weight_file(path, bytes));
    const bool conv = t.shape.size() == 4, fc = t.shape.size() == 2;
    const WeightTensor got = conv ? WeightTensor{t.shape[0], t.shape[1], t.shape[2], t.shape[3], {}}
                             : fc ? WeightTensor{t.shape[0], t.shape[1], 1, 1, {}}
                                  : WeightTensor{};
    if ((!conv && !fc) || got.out_channels != expected.out_channels ||
        got.in_channels != expected.in_channels || got.kernel_h != expected.kernel_h ||
        got.kernel_w != expected.kernel_w) {
      throw InputError(path + ": shape " + t.shape_string() + " does not match layer '" + l.name +
                       "' (expects " + expected.shape_string() + ", out x in x kh x kw)");
    }
    WeightTensor wt = expected;
    wt.data = t.data;  // [out][in][kh][kw] is strata's layout already
    out[l.name] = LayerWeights{std::move(wt), "real: " + file + ".npy"};
  }
  return out;
}

}  // namespace strata
