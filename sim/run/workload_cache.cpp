#include "sim/run/workload_cache.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/fnv1a.h"
#include "common/input_error.h"
#include "workloads/json_file.h"
#include "workloads/models/real_weights.h"
#include "workloads/onnx/onnx_import.h"
#include "workloads/text_file.h"
#include "workloads/trace/trace_io.h"

namespace strata {
namespace {

using J = nlohmann::json;

constexpr int kCacheFormat = 1;

// False if the file cannot be read (a missing file, a FIFO: read_text_file's checks).
bool read_file(const std::string& path, std::string* out) {
  try {
    *out = read_text_file(path);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

// The bytes of the real weights a request reads: the file and, for a TF.js manifest, its shards.
uint64_t weights_fingerprint(const ModelQuantRequest& q) {
  const std::string base = q.model.substr(0, q.model.find(':'));
  std::string path = q.weights_path;
  if (path.empty() && has_real_weights(base)) path = q.weights_dir + "/" + real_weights_file(base);
  // An ONNX model's weights are its initializers (external data beside it is not hashed).
  if (path.empty() && is_onnx_spec(q.model)) path = base;
  if (path.empty()) return 0;  // synthetic weights: the seed decides
  std::string bytes;
  if (!read_file(path, &bytes)) return 1;  // missing: quantize_model reports it
  uint64_t h = fnv1a64(bytes);
  try {
    const J doc = parse_json_text(bytes, path);
    const J& groups =
        doc.is_object() && doc.contains("weightsManifest") ? doc["weightsManifest"] : doc;
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (groups.is_array()) {
      for (const auto& g : groups) {
        if (!g.is_object() || !g.contains("paths") || !g["paths"].is_array()) continue;
        for (const auto& p : g["paths"]) {
          std::string shard;
          if (p.is_string() && read_file(dir + "/" + p.get<std::string>(), &shard)) {
            h = fnv1a64(shard, h);
          }
        }
      }
    }
  } catch (const InputError&) {
    // Not JSON (an .npy directory is not cached by strata run): the file's bytes suffice.
  }
  return h;
}

J dbb_json(const DbbSpec& d) { return {d.nnz, d.bz}; }

// The running program (path, size, modification time): a rebuilt strata never reads entries an
// older build wrote, since the front end's code may have changed.
std::string build_identity() {
  // The file holding this code: the strata executable, or the shared object the Python module is
  // (where /proc/self/exe is the Python interpreter, which does not change when strata is
  // rebuilt).
  std::string path;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&build_identity), &info) != 0 && info.dli_fname != nullptr) {
    const std::string object = info.dli_fname;
    if (object.size() > 3 && object.find(".so") != std::string::npos) path = object;
  }
  std::error_code ec;
  if (path.empty()) path = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  struct stat st {};
  if (ec || path.empty() || stat(path.c_str(), &st) != 0) return "unknown";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

std::string entry_path(const std::string& dir, const ModelQuantRequest& q) {
  return dir + "/" + workload_cache_key(q) + ".json";
}

}  // namespace

std::string workload_cache_key(const ModelQuantRequest& q) {
  J layer_dbb = J::object();
  for (const auto& [name, d] : q.layer_activation_dbb) layer_dbb[name] = dbb_json(d);
  const J key = {{"format", kCacheFormat},
                 {"strata", STRATA_VERSION},
                 {"build", build_identity()},
                 {"model", q.model},
                 {"weights", std::to_string(weights_fingerprint(q))},
                 {"scheme", q.scheme},
                 {"bits", q.bits},
                 {"dbb", dbb_json(q.dbb)},
                 {"activation_dbb", dbb_json(q.activation_dbb)},
                 {"activation_dbb_keep", q.activation_dbb_keep},
                 {"layer_activation_dbb", layer_dbb},
                 {"seq_len", q.seq_len},
                 {"skim", q.skim},
                 {"layer_bits", q.layer_bits},
                 {"allow_float", q.allow_float},
                 {"seed", q.seed}};
  return fnv1a64_hex(key.dump());
}

bool load_cached_workload(const std::string& dir, const ModelQuantRequest& q,
                          ModelQuantResult* result) {
  std::string text;
  const std::string path = entry_path(dir, q);
  if (!read_file(path, &text)) return false;
  try {
    const J doc = parse_json_text(text, path);
    const J& s = doc.at("summary");
    ModelQuantResult r;
    r.trace = trace_from_json(doc.at("trace"), path);
    r.summary.weight_params = s.at("weight_params").get<int64_t>();
    r.summary.real_params = s.at("real_params").get<int64_t>();
    r.summary.weight_sqnr_db = s.at("weight_sqnr_db").get<double>();
    r.summary.weight_density = s.at("weight_density").get<double>();
    r.summary.low_bit_mac_share = s.at("low_bit_mac_share").get<double>();
    *result = std::move(r);
    return true;
  } catch (const std::exception&) {
    return false;  // a damaged entry: prepare again (and overwrite it)
  }
}

void store_cached_workload(const std::string& dir, const ModelQuantRequest& q,
                           const ModelQuantResult& r) {
  const J doc = {{"trace", trace_to_json(r.trace)},
                 {"summary",
                  {{"weight_params", r.summary.weight_params},
                   {"real_params", r.summary.real_params},
                   {"weight_sqnr_db", r.summary.weight_sqnr_db},
                   {"weight_density", r.summary.weight_density},
                   {"low_bit_mac_share", r.summary.low_bit_mac_share}}}};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Temp file + rename: concurrent workers storing the same entry each write a whole file.
  const std::string path = entry_path(dir, q);
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << doc.dump() << "\n";
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) std::filesystem::remove(tmp, ec);
}

std::string describe_workload_request(const ModelQuantRequest& r) {
  std::string text = r.model + ": " + r.scheme + " " + std::to_string(r.bits) + "-bit";
  if (r.dbb.enabled()) text += ", W-DBB " + r.dbb.str();
  if (r.activation_dbb.enabled() || r.activation_dbb_keep > 0) text += ", A-DBB";
  return text;
}

ModelQuantResult quantize_model_cached(const ModelQuantRequest& q, const std::string& dir) {
  if (dir.empty() || q.with_tensors || q.keep_float_weights) return quantize_model(q);
  ModelQuantResult r;
  if (load_cached_workload(dir, q, &r)) return r;
  r = quantize_model(q);
  store_cached_workload(dir, q, r);
  return r;
}

std::string default_workload_cache_dir() {
  if (const char* d = std::getenv("STRATA_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) {
    return std::string(d) + "/strata/workloads";
  }
  if (const char* d = std::getenv("HOME"); d && *d)
    return std::string(d) + "/.cache/strata/workloads";
  return "";
}

}  // namespace strata
