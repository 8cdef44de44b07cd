// strata quantize: runs the front end on a zoo model and writes a trace.
#include <sys/stat.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "common/input_error.h"
#include "sim/cli/commands.h"
#include "sim/report/json_text.h"
#include "sim/report/output_dir.h"
#include "workloads/front_end/model_quantizer.h"
#include "workloads/trace/trace_io.h"
#include "workloads/zoo/zoo.h"

#ifndef STRATA_WEIGHTS_DIR
#define STRATA_WEIGHTS_DIR ".cache/weights"
#endif

namespace po = boost::program_options;

namespace strata {
namespace {

std::string fmt_db(double v) {
  char b[32];
  if (!std::isfinite(v)) return "exact";
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

void print_table(const ModelQuantResult& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %-24s %-6s %4s %8s %9s   %-6s %4s %9s  %s\n", "layer",
                "shape", "wtype", "bits", "density", "SQNR dB", "atype", "bits", "SQNR dB",
                "weights");
  std::cout << line;
  for (const auto& tl : r.trace.layers) {
    const auto& w = tl.weight;
    const std::string shape =
        tl.layer.type == LayerType::kGemm
            ? "gemm " + std::to_string(tl.layer.m) + "x" + std::to_string(tl.layer.k) + "x" +
                  std::to_string(tl.layer.n) +
                  (tl.layer.batch > 1 ? " b" + std::to_string(tl.layer.batch) : "")
            : "conv " + std::to_string(tl.layer.kernel_h) + "x" +
                  std::to_string(tl.layer.kernel_w) + " " + std::to_string(tl.layer.in_c) + "->" +
                  std::to_string(tl.layer.out_c) + (tl.layer.groups > 1 ? " dw" : "");
    std::snprintf(
        line, sizeof line, "%-24s %-24s %-6s %4s %8s %9s   %-6s %4d %9s  %s\n",
        tl.layer.name.substr(0, 24).c_str(), shape.substr(0, 24).c_str(),
        w.present ? w.type.c_str() : "-", w.present ? std::to_string(w.bits).c_str() : "-",
        w.present
            ? (std::to_string(static_cast<int>(std::lround(w.density * 1000)) / 10.0).substr(0, 5) +
               "%")
                  .c_str()
            : "-",
        w.present ? fmt_db(w.sqnr_db).c_str() : "-", tl.activation.type.c_str(), tl.activation.bits,
        fmt_db(tl.activation.sqnr_db).c_str(),
        w.present ? (w.synthetic ? "synthetic" : "real") : "-");
    std::cout << line;
  }
  const auto& s = r.summary;
  std::snprintf(
      line, sizeof line,
      "\n%s, %s %d-bit: weight SQNR %s dB over %lld weights (%.1f%% real), weight density %.1f%%, "
      "%.1f%% of weight-layer MACs below 8 bits\n",
      r.trace.model.c_str(), r.trace.scheme.c_str(), r.trace.bits, fmt_db(s.weight_sqnr_db).c_str(),
      static_cast<long long>(s.weight_params),
      s.weight_params ? 100.0 * s.real_params / s.weight_params : 0.0, 100.0 * s.weight_density,
      100.0 * s.low_bit_mac_share);
  std::cout << line;
}

}  // namespace

int cmd_quantize(const std::vector<std::string>& args) {
  po::options_description opts("strata quantize options");
  opts.add_options()("help,h", "this help")(
      "model,m", po::value<std::string>(),
      "zoo model (see 'strata list') or ONNX model (.onnx; its initializers are the weights)")(
      "weights", po::value<std::string>()->default_value(""),
      "real weights: a TF.js model.json / manifest (default: the fetched cache for faceres "
      "and resnet34_face), "
      "or a directory of <layer>.npy files ([out, in, kh, kw])")(
      "scheme", po::value<std::string>(), "rtn | ant | ant4-8 | int4-8 | squant | olive")(
      "bits", po::value<int>()->default_value(4), "weight (and activation) width, 2..8")(
      "dbb", po::value<std::string>()->default_value("8/8"),
      "weight density bound NNZ/BZ, e.g. 4/8")("adbb",
                                               po::value<std::string>()->default_value("8/8"),
                                               "activation top-k per block NNZ_a/BZ, every "
                                               "layer but the image input")(
      "adbb-keep", po::value<double>()->default_value(0),
      "per-layer A-DBB: each layer's smallest NNZ_a keeping this fraction of its modelled "
      "activation energy, e.g. 0.99 (overrides --adbb's NNZ)")(
      "layer-adbb", po::value<std::vector<std::string>>()->composing(),
      "per-layer A-DBB override NAME=NNZ/BZ, repeatable")(
      "seq-len", po::value<int64_t>()->default_value(0), "BERT sequence length")(
      "skim", po::value<std::string>()->default_value(""),
      "BERT Block-Skim keep fractions per layer, e.g. 1,1,0.8,0.6")(
      "layer-bits", po::value<std::vector<std::string>>()->composing(),
      "per-layer width override NAME=BITS, repeatable")(
      "seed", po::value<uint64_t>()->default_value(1),
      "seed of synthetic weights and activation samples")("out,o", po::value<std::string>(),
                                                          "trace file to write (.json)")(
      "with-tensors", "also write <out stem>.safetensors with every layer's codes and scales")(
      "ant-float", "ant, ant4-8: also try the float type (after int, flint, pot)")(
      "quiet,q", "print nothing on success")(
      "input-shape", po::value<std::vector<std::string>>()->composing(),
      "an ONNX model's dynamic input: NAME=DIMS, e.g. x=1x3x224x224 (repeatable)");
  const po::variables_map vm = parse_options(args, opts, "quantize");
  if (vm.count("help")) {
    print_command_help("quantize",
                       "strata quantize --model <zoo name | model.onnx> --scheme "
                       "<rtn|ant|ant4-8|int4-8|squant|olive> --out <trace.json> [--bits <n>] "
                       "[--weights <path>] [--dbb <nnz>/<bz>] [--seq-len <n>] [--skim <schedule>] "
                       "[--with-tensors] [--input-shape <name>=<dims>]...",
                       opts,
                       "\nThe trace runs with 'strata run --workload <trace.json>' on a config "
                       "whose PE reads its types (flint/PoT need an 'ant' PE: configs/ant_*).\n"
                       "trace format: docs/trace-format.md; method and results: "
                       "docs/quantization.md\n");
    return 0;
  }
  require_options(vm, {"model", "scheme", "out"}, "quantize");
  ModelQuantRequest r;
  r.model =
      with_input_shapes(vm["model"].as<std::string>(),
                        vm.count("input-shape") ? vm["input-shape"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{});
  r.weights_path = vm["weights"].as<std::string>();
  r.weights_dir = STRATA_WEIGHTS_DIR;
  r.scheme = vm["scheme"].as<std::string>();
  r.bits = vm["bits"].as<int>();
  r.seq_len = vm["seq-len"].as<int64_t>();
  r.seed = vm["seed"].as<uint64_t>();
  r.with_tensors = vm.count("with-tensors") > 0;
  r.allow_float = vm.count("ant-float") > 0;
  try {
    r.dbb = parse_dbb(vm["dbb"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("--dbb: ") + e.what());
  }
  try {
    r.activation_dbb = parse_dbb(vm["adbb"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("--adbb: ") + e.what());
  }
  r.activation_dbb_keep = vm["adbb-keep"].as<double>();
  if (vm.count("layer-adbb")) {
    for (const auto& item : vm["layer-adbb"].as<std::vector<std::string>>()) {
      const size_t eq = item.rfind('=');
      if (eq == std::string::npos)
        throw InputError("--layer-adbb: expected NAME=NNZ/BZ, got '" + item + "'");
      try {
        r.layer_activation_dbb[item.substr(0, eq)] = parse_dbb(item.substr(eq + 1));
      } catch (const std::invalid_argument& e) {
        throw InputError("--layer-adbb: '" + item + "': " + e.what());
      }
    }
  }
  if (!vm["skim"].as<std::string>().empty()) {
    try {
      r.skim = parse_keep_schedule(vm["skim"].as<std::string>());
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("--skim: ") + e.what());
    }
  }
  if (vm.count("layer-bits")) {
    for (const auto& item : vm["layer-bits"].as<std::vector<std::string>>()) {
      const size_t eq = item.rfind('=');
      int b = 0;
      try {
        if (eq == std::string::npos) throw std::invalid_argument("");
        size_t used = 0;
        b = std::stoi(item.substr(eq + 1), &used);
        if (used != item.size() - eq - 1) throw std::invalid_argument("");
      } catch (const std::exception&) {
        throw InputError("--layer-bits: expected NAME=BITS, got '" + item + "'");
      }
      r.layer_bits[item.substr(0, eq)] = b;
    }
  }
  const std::string out = vm["out"].as<std::string>();
  if (out.size() < 6 || out.substr(out.size() - 5) != ".json")
    throw InputError("--out: the trace file must end in .json, got '" + out + "'");
  const size_t slash = out.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : out.substr(0, slash);
  const std::string file = slash == std::string::npos ? out : out.substr(slash + 1);
  prepare_output_dir(dir);

  ModelQuantResult result = quantize_model(r);
  std::vector<OutputFile> files;
  if (r.with_tensors) {
    result.trace.tensors_file = file.substr(0, file.size() - 5) + ".safetensors";
    files.push_back(
        {result.trace.tensors_file,
         write_safetensors(result.tensors, {{"format", "strata-trace-tensors"}, {"trace", file}})});
  }
  files.push_back({file, json_text(trace_to_json(result.trace), 1) + "\n"});
  write_outputs_atomically(dir, files);
  if (!vm.count("quiet")) {
    print_table(result);
    std::cout << "trace written to " << out
              << (r.with_tensors ? " (+ " + dir + "/" + result.trace.tensors_file + ")" : "")
              << "\n";
  }
  return 0;
}

}  // namespace strata
