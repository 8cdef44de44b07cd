#pragma once
// The built-in zoo of layer shapes. A zoo spec is a model name with optional options:
// "resnet50", "resnet18:batch=4", "bert_base:seq_len=128", "bert_base:skim=1/1/0.8/0.6" (keep
// fractions per layer, '/'-separated).
#include <map>
#include <string>
#include <vector>

#include "workloads/layer.h"

namespace strata {

struct ZooModel {
  std::string name;
  std::string description;
  std::vector<std::string> options;  // accepted option keys
  // Where the front end's weights come from: a real network's files (scripts/fetch_weights.sh),
  // else synthetic ones drawn for the shapes (workload.seed).
  std::string weights = "synthetic, drawn for the shapes (workload.seed)";
};

const std::vector<ZooModel>& zoo_models();

// "resnet18:batch=4" -> "resnet18".
std::string zoo_model_name(const std::string& spec);
// True if `spec`'s model name (before any ':') is a zoo entry.
bool is_zoo_spec(const std::string& spec);

// Builds the workload; throws InputError on an unknown name, option or value.
Workload zoo_workload(const std::string& spec);

// Builders behind the zoo, one per family (zoo_cnn.cpp, zoo_bert.cpp).
Workload build_resnet18(int64_t batch);
Workload build_resnet50(int64_t batch);
Workload build_vgg16(int64_t batch);
Workload build_alexnet(int64_t batch);
Workload build_mobilenet_v1(int64_t batch);
// HSE-FaceRes (faceres-deep): MobileNet-V1's backbone with the face heads.
Workload build_faceres(int64_t batch);
Workload build_mobilenet_v2(int64_t batch);
Workload build_resnet34_face(int64_t batch);
// PIN's defense (zoo_pin.cpp) keeping `kept` of its 2,500 eigenfaces, alone and in front of
// resnet34_face.
Workload build_pin_defense(int64_t batch, int64_t kept);
Workload build_pin_resnet34_face(int64_t batch, int64_t kept);
// StyleGAN2 config-f (mapping and synthesis) at size x size, and MegaFS's whole swap
// (zoo_stylegan.cpp).
Workload build_stylegan2(int64_t batch, int64_t size);
Workload build_megafs(int64_t batch, int64_t refine);
// Block-Skim keep schedule: fraction of 32-token blocks each layer keeps (cumulative; missing
// layers repeat the last value; empty = no skimming).
Workload build_bert_base(int64_t batch, int64_t seq_len, const std::vector<double>& keep = {});
// "1,1,0.8,0.6" -> {1, 1, 0.8, 0.6}; throws std::invalid_argument on a bad item or > 12 items.
std::vector<double> parse_keep_schedule(const std::string& text, char separator = ',');
// Tokens each layer processes under a schedule.
std::vector<int64_t> kept_tokens(int64_t seq_len, const std::vector<double>& keep, int layers);

}  // namespace strata
