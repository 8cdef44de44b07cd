// Bad input of every kind: one line on stderr naming the file/key/line and what was expected,
// exit code 2, and no output files left behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <functional>

#include "cli/cli_runner.h"
#include "support/npy_bytes.h"
#include "unit/onnx_builder.h"

namespace strata::test {
namespace {

struct BadInput {
  std::string name;
  std::vector<std::string> args;  // "$D" is replaced by a scratch directory holding the files
  std::string expected;           // substring of the single error line
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class CliErrors : public ::testing::TestWithParam<BadInput> {};

// Inputs that crashed, hung or gave garbage before they were bounded (docs/reliability.md).
void write_hostile_files(const std::string& d) {
  std::string deep;
  for (int i = 0; i < 18000; ++i) deep += "{\"a\": ";
  deep += "1" + std::string(18000, '}');
  write_file(d, "deep_config.json", deep);
  write_file(d, "deep_array.json",
             "{\"name\": " + std::string(18000, '[') + std::string(18000, ']') + "}");
  write_file(d, "number_overflow.json", R"({"array": {"rows": 1e999}})");
  std::filesystem::create_directories(d + "/grow");
  write_file(d + "/grow", "c.json", R"({"include": "../grow/c.json"})");
  const std::string big = "16777216";
  write_file(d, "huge_layer.json",
             R"({"layers": [{"name": "big", "type": "conv2d", "batch": )" + big + R"(, "in_h": )" +
                 big + R"(, "in_w": )" + big + R"(, "in_c": )" + big + R"(, "out_c": )" + big +
                 R"(, "kernel": 1}]})");
  write_file(d, "many_folds.json",
             R"({"layers": [{"name": "wide", "type": "gemm", "m": 65536, "k": 64, "n": 65536}]})");
  write_file(
      d, "long_time.json",
      R"({"layers": [{"name": "deep", "type": "gemm", "m": 8192, "k": 16777216, "n": 2048}]})");
  write_file(d, "trace_escape.json",
             R"({"format": "strata-trace", "version": 1, "model": "m", "scheme": "rtn", "bits": 8,
                 "tensors": "../../etc/passwd", "layers": []})");
  write_file(d, "trace_bad_digest.json",
             R"({"format": "strata-trace", "version": 1, "model": "m", "scheme": "rtn", "bits": 8,
                 "tensors": null, "weights": {"files": [{"name": "w.bin", "sha256": "12ab"}],
                 "synthetic": null}, "layers": []})");
  write_file(d, "wrong_format.json",
             R"({"format": "strata-trace-v0", "name": "x", "layers": [
                 {"name": "g", "type": "gemm", "m": 4, "k": 4, "n": 4}]})");
  const std::string csv_header =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
      "Filter, Strides,\n";
  write_file(d, "duplicate.csv", csv_header + "c1,8,8,3,3,4,4,1,\nc1,8,8,3,3,4,4,1,\n");
  write_file(d, "not_utf8.csv", csv_header + "c\xff\xfe,8,8,3,3,4,4,1,\n");
  const std::string base = std::string(STRATA_SOURCE_DIR) + "/configs/default.json";
  const auto sweep = [&](const std::string& constraint) {
    return R"({"base": ")" + base + R"(", "workloads": ["resnet18"],
               "axes": {"array.rows": [16, 32]}, "constraints": [")" +
           constraint + R"("]})";
  };
  write_file(d, "sweep_parens.json", sweep(std::string(2000, '(') + "1" + std::string(2000, ')')));
  write_file(d, "sweep_nots.json", sweep(std::string(1000000, '!') + "1"));
  write_file(d, "sweep_ok.json", sweep("array.rows > 0"));
  std::string axis = "[1";
  for (int i = 2; i <= 1000; ++i) axis += "," + std::to_string(i);
  axis += "]";
  write_file(d, "sweep_huge.json",
             R"({"base": ")" + base + R"(", "workloads": ["resnet18"], "axes": {"array.rows": [)" +
                 "1,2,3,4,5,6,7,8,9,10" + R"(], "array.cols": )" + axis +
                 R"(, "buffers.input.size_kib": )" + axis + "}}");
  std::filesystem::create_directories(d + "/npy_nan");
  std::string nan_data(1000 * 512 * 4, '\0');
  nan_data.replace(0, 4, std::string("\x00\x00\xc0\x7f", 4));  // a quiet NaN
  write_file(d + "/npy_nan", "fc.npy", npy_bytes("1000, 512", nan_data));
  std::filesystem::create_directories(d + "/npy_image");
  write_file(d + "/npy_image", "x.npy",
             npy_bytes("1, 3, 224, 224", std::string(3 * 224 * 224 * 4, '\0')));
  std::filesystem::create_directories(d + "/npy_dim");
  write_file(d + "/npy_dim", "fc.npy", npy_bytes("12345678901234567890123, 512", ""));
  write_file(d, "tfjs_wrap.json",
             R"({"weightsManifest": [{"paths": ["s.bin"], "weights": [
                 {"name": "w", "shape": [4, 4611686018427387905, 1, 1], "dtype": "float32"}]}]})");
  write_file(d, "s.bin", std::string(16, '\0'));
  std::filesystem::create_directories(d + "/shard_bad");
  write_file(d + "/shard_bad", "sweep.json", "[1, 2]");
  std::filesystem::create_directories(d + "/rows_bad");
  write_file(d + "/rows_bad", "results.jsonl",
             "{\"point\": \"a\", \"workload\": \"w\", \"status\": \"ok\"}\nnot json\n");
  write_file(d + "/rows_bad", "sweep.json",
             R"({"format": "strata-sweep", "shard": "0/1", "fingerprint": "1", "axes": []})");
  write_file(d, "results.csv", "point,workload,status,latency_ms\nabc,resnet18,ok,\"1.5\n");
  write_file(d, "results_ok.csv", "point,workload,status,latency_ms\nabc,resnet18,ok,1.5\n");
}

// Bad ONNX models: a dynamic input, an operator strata does not know, a truncated file, a cycle.
void write_onnx_files(const std::string& d) {
  {
    OnnxBuilder b;
    b.input("x", {-1, 3, 8, 8}).output("y").weight("w", {4, 3, 1, 1});
    b.node("Conv", {"x", "w"}, {"y"}, "conv");
    b.write(d + "/dynamic.onnx");
    const std::string bytes = b.bytes();
    write_file(d, "truncated.onnx", bytes.substr(0, bytes.size() / 2));
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("Frobnicate", {"x"}, {"y"}, "odd");
    b.write(d + "/unknown_op.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("z");
    b.node("Add", {"x", "z"}, {"y"}, "a");
    b.node("Relu", {"y"}, {"z"}, "b");
    b.write(d + "/cycle.onnx");
  }
}

// ONNX graphs that crashed, read out of bounds, hung or allocated without bound before their
// classes were checked at import (issue: hostile ONNX graphs), each breaking one rule; x is
// [1, 3, 8, 8] and conv "c" makes [1, 4, 6, 6] from it.
void write_hostile_onnx_files(const std::string& d) {
  using onnx::TensorProto;
  auto conv_then = [&](const std::string& file, const std::function<void(OnnxBuilder&)>& after,
                       const std::string& output = "y") {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output(output).weight("w", {4, 3, 3, 3});
    b.node("Conv", {"x", "w"}, {"c"}, "c");
    after(b);
    b.write(d + "/" + file);
  };
  conv_then("short_strides.onnx", [](OnnxBuilder& b) {
    OnnxBuilder::attr(b.node("MaxPool", {"c"}, {"y"}, "pool"), "kernel_shape",
                      std::vector<int64_t>{2, 2});
    OnnxBuilder::attr(*b.last(), "strides", std::vector<int64_t>{2});
  });
  conv_then("short_bn.onnx", [](OnnxBuilder& b) {
    b.weight("s", {2}).weight("bias", {4}).weight("m", {4}).weight("v", {4});
    b.node("BatchNormalization", {"c", "s", "bias", "m", "v"}, {"y"}, "bn");
  });
  conv_then("perm_duplicate.onnx", [](OnnxBuilder& b) {
    OnnxBuilder::attr(b.node("Transpose", {"c"}, {"y"}, "t"), "perm",
                      std::vector<int64_t>{0, 0, -1, 2});
  });
  conv_then("unsqueeze_twice.onnx", [](OnnxBuilder& b) {
    b.ints("axes", {1, 1});
    b.node("Unsqueeze", {"c", "axes"}, {"y"}, "u");
  });
  conv_then("softmax_axis.onnx", [](OnnxBuilder& b) {
    OnnxBuilder::attr(b.node("Softmax", {"c"}, {"y"}, "sm"), "axis", int64_t{5});
  });
  conv_then("clip_empty_min.onnx", [](OnnxBuilder& b) {
    b.raw("lo", TensorProto::FLOAT, {0}, "");
    b.node("Clip", {"c", "lo"}, {"y"}, "clip");
  });
  conv_then("maxpool_indices.onnx", [](OnnxBuilder& b) {
    OnnxBuilder::attr(b.node("MaxPool", {"c"}, {"p", "idx"}, "pool"), "kernel_shape",
                      std::vector<int64_t>{2, 2});
    OnnxBuilder::attr(b.node("Cast", {"idx"}, {"i"}, "cast"), "to", int64_t{1});
    b.node("Add", {"p", "i"}, {"y"}, "add");
  });
  conv_then("huge_pad.onnx", [](OnnxBuilder& b) {
    b.ints("pads", {0, 0, 100000, 100000, 0, 0, 100000, 100000});
    b.node("Pad", {"c", "pads"}, {"y"}, "pad");
  });
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y").weight("w", {4, 3, 3, 3}).weight("bias", {2});
    b.node("Conv", {"x", "w", "bias"}, {"y"}, "c");
    b.write(d + "/short_bias.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y").weight("w", {0, 3, 3, 3});
    b.node("Conv", {"x", "w"}, {"y"}, "c");
    b.write(d + "/no_filters.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3});
    b.node("Conv", {"x", "w"}, {"y"}, "c");
    b.write(d + "/no_outputs.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {2, 4}).output("y").weight("w", {4, 3}).weight("bias", {1, 1, 3});
    b.node("Gemm", {"x", "w", "bias"}, {"y"}, "g");
    b.write(d + "/gemm_3d_bias.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y");
    b.raw("w", 999, {4, 3, 3, 3}, std::string(4 * 27 * 4, '\x01'));
    b.node("Conv", {"x", "w"}, {"y"}, "c");
    b.write(d + "/type_999.onnx");
  }
  {
    OnnxBuilder b;  // 200 bytes that claim 16 GiB of weights
    b.input("x", {1, 65536}).output("y");
    b.raw("w", TensorProto::FLOAT, {65536, 65536}, std::string(16, '\0'));
    b.node("MatMul", {"x", "w"}, {"y"}, "mm");
    b.write(d + "/claims_16gib.onnx");
  }
  for (const std::string& at : {std::string("fifo"), std::string(".")}) {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y").external("w", {4, 3, 3, 3}, at);
    b.node("Conv", {"x", "w"}, {"y"}, "c");
    b.write(d + (at == "." ? "/external_dot.onnx" : "/external_fifo.onnx"));
  }
  mkfifo((d + "/fifo").c_str(), 0600);
  std::vector<float> w(4 * 27, 0.5f);
  w[5] = std::nanf("");
  for (const bool nan : {true, false}) {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8}).output("y").values("w", {4, 3, 3, 3}, w);
    b.node("Conv", {"x", "w"}, {"c"}, "c");
    b.values("s", {4}, {1, 1, 1, 1}).values("bias", {4}, {0, 0, 0, 0});
    b.values("m", {4}, {0, 0, 0, 0}).values("v", {4}, {1, nan ? 1.0f : -1.0f, 1, 1});
    b.node("BatchNormalization", {"c", "s", "bias", "m", "v"}, {"y"}, "bn");
    b.write(d + (nan ? "/nan_weights.onnx" : "/negative_variance.onnx"));
    w[5] = 0.5f;
  }
  {
    OnnxBuilder b;  // int8 weights whose DequantizeLinear scale is NaN
    b.input("x", {1, 3, 8, 8}).output("y");
    b.raw("wq", TensorProto::INT8, {4, 3, 3, 3}, std::string(108, '\x03'));
    b.values("s", {1}, {std::nanf("")});
    b.node("DequantizeLinear", {"wq", "s"}, {"w"}, "dq");
    b.node("Conv", {"x", "w"}, {"y"}, "c");
    b.write(d + "/nan_scale.onnx");
  }
  {
    OnnxBuilder b;
    b.input("x", {1, 4}).output("y");
    b.node("Frobnicate", {"x"}, {"y"}, "line\nbreak\x1b[31m");
    b.write(d + "/escaped_name.onnx");
  }
  // Images whose headers claim pixels their files do not hold, and a sparse 3 GiB tensor.
  std::filesystem::create_directories(d + "/ppm_claims");
  write_file(d + "/ppm_claims", "photo.ppm", "P6\n8192 8192\n255\n" + std::string(80, '\x80'));
  std::filesystem::create_directories(d + "/gif_cut");
  write_file(d + "/gif_cut", "photo.gif",
             std::string("GIF89a\x20\x00\x10\x00\x00\x00\x00", 13) + std::string(40, '\0'));
  std::filesystem::create_directories(d + "/npy_sparse");
  {
    const std::string big = write_file(d + "/npy_sparse", "x.npy", npy_bytes("1, 3, 8, 8", ""));
    std::filesystem::resize_file(big, (uintmax_t{3} << 30));  // a hole: no disk used
  }
  std::filesystem::create_directories(d + "/npy_x");
  write_file(d + "/npy_x", "x.npy", npy_bytes("1, 3, 8, 8", std::string(3 * 64 * 4, '\0')));
}

std::string scratch_with_files() {
  const std::string d = make_temp_dir();
  write_file(d, "malformed.json", "{\n  \"array\": {\"rows\": 32,,\n}\n");
  // Explicit mappings (docs/mapping.md) on a 128 x 128 x 128 matrix product.
  const std::string mm = R"({"name": "mm", "type": "gemm", "m": 128, "k": 128, "n": 128)";
  write_file(d, "mapped.json", R"({"layers": [)" + mm + "}]}");
  write_file(d, "mapping_syntax.json",
             R"({"layers": [)" + mm + R"(, "mapping": "L3[WIO] K8 - L2[WI] K16Y"}]})");
  write_file(d, "mapping_short.json",
             R"({"layers": [)" + mm +
                 R"(, "mapping": "L3[WIO] K4 - L2[WI] K16X - L1[O] C8 P128 C16X - L0[W]"}]})");
  write_file(d, "mappings_unknown_layer.json",
             R"({"mappings": {"mn": "L3[WIO] K8 - L2[WI] K16X - L1[O] C8 P128 C16X - L0[W]"}})");
  write_file(d, "mappings_bad_key.json", R"({"mapping": {}})");
  write_file(d, "mappings_over_accumulator.json",
             R"({"mappings": {"mm": "L3[WIO] N1 - L2[WI] K16X - L1[O] K8 C8 P128 C16X - L0[W]"}})");
  write_file(d, "mappings_wide_block.json",
             R"({"mappings": {"mm": "L3[WIO] K4 - L2[WI] K32X - L1[O] C8 P128 C16X - L0[W]"}})");
  write_file(d, "mappings_weights_in_accumulator.json",
             R"({"mappings": {"mm": "L3[WIO] K8 - L2[WI] K16X - L1[WO] C8 P128 C16X - L0[W]"}})");
  write_file(d, "unknown_key.json", R"({"array": {"rowz": 32}})");
  write_file(d, "wrong_type.json", R"({"array": {"rows": "many"}})");
  write_file(d, "negative_size.json", R"({"buffers": {"input": {"size_kib": -1}}})");
  write_file(d, "not_object.json", "[1, 2]");
  write_file(d, "cycle.json", R"({"include": "cycle.json"})");
  write_file(d, "missing_table.json", R"({"energy": {"tech_table": "nowhere.json"}})");
  write_file(d, "45nm.json", read_file(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json"));
  write_file(d, "no_vector_ops.json",
             R"({"node_nm": 28, "scaled_from": {"table": "45nm.json", "volts": 0.9},)"
             R"( "vector_op_pj_per_element": {"sofmax": {"value": 2, "source": "a guess"}}})");
  write_file(d, "truncated.csv",
             "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
             "Filter, Strides,\n"
             "c1,8,8,3,3,4,4,1,\nc2,8,8,3,3\n");
  write_file(d, "bad_value.csv",
             "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
             "Filter, Strides,\n"
             "c1,8,8,3,3,four,4,1,\n");
  write_file(d, "empty.csv", "");
  write_file(
      d, "bad_layer_key.json",
      R"({"layers": [{"name": "c", "type": "conv2d", "in_h": 8, "in_w": 8, "in_c": 4, "out_c": 4, "kernal": 3}]})");
  write_file(d, "malformed_trace.json", "{\"layers\": [\n{\"name\": \"x\",\n");
  write_file(d, "a_file", "not a directory");
  // Pipelines: one engine, three nodes; each file breaks one thing.
  auto pipeline = [&d](const std::string& name, const std::string& nodes,
                       const std::string& engine = "npu") {
    write_file(d, name,
               R"({"timesync": {"duration_s": 1}, "sensors": {"lidar": {"enabled": false}},)"
               R"( "engines": [{"name": ")" +
                   engine + R"(", "config": ")" + STRATA_SOURCE_DIR +
                   R"(/configs/default.json"}], "nodes": [)" + nodes + R"(], "sink": "control"})");
  };
  const std::string pre =
      R"({"name": "pre", "kind": "host", "kernel": "image_preprocess", "elements": 1000, )";
  const std::string cnn = R"({"name": "cnn", "kind": "dnn", "engine": "npu", "workload": )"
                          R"("resnet18", "inputs": ["pre"]})";
  const std::string control =
      R"({"name": "control", "kind": "host", "kernel": "mpc_control", "elements": 1, )";
  pipeline("pipeline_cycle.json", pre + R"("inputs": ["camera", "control"]}, )" + cnn + ", " +
                                      control + R"("inputs": ["cnn"]})");
  pipeline("pipeline_unknown_engine.json",
           pre + R"("inputs": ["camera"]}, )" + cnn + ", " + control + R"("inputs": ["cnn"]})",
           "gpu");
  pipeline("pipeline_no_input.json",
           pre + R"("inputs": ["camera"]}, )" + cnn + ", " + control + R"("inputs": []})");
  pipeline("pipeline_deadline.json", pre + R"("inputs": ["camera"]}, )" + cnn + ", " + control +
                                         R"("inputs": ["cnn"], "deadline_ms": 1})");
  pipeline(
      "pipeline_unknown_kernel.json",
      pre + R"("inputs": ["camera"]}, )" + cnn + ", " +
          R"({"name": "control", "kind": "host", "kernel": "slam", "elements": 1, "inputs": ["cnn"]})");
  pipeline("pipeline_node_key.json", pre + R"("inputs": ["camera"]}, )" + cnn + ", " + control +
                                         R"("inputs": ["cnn"], "dedline_ms": 50})");
  pipeline("pipeline_input_twice.json",
           R"({"name": "pre", "kind": "host", "kernel": "image_preprocess", "elements": 1000, )"
           R"("inputs": ["camera", "camera"]}, )" +
               cnn + ", " + control + R"("inputs": ["cnn"]})");
  write_file(d, "pipeline_fifo_engine.json",
             R"({"timesync": {"duration_s": 1}, "engines": [{"name": "npu", "config": ")" + d +
                 R"(/fifo"}], "nodes": [)" + pre + R"("inputs": ["camera"]}, )" + cnn + ", " +
                 control + R"("inputs": ["cnn"]}], "sink": "control"})");
  write_file(d, "sync_unknown.json", R"({"gnss": {"jitter_ns": 5}})");
  write_file(d, "sync_outage.json", R"({"gnss": {"outages_s": "60-30"}})");
  write_file(d, "sync_preset.json", R"({"oscillator": {"preset": "cesium"}})");
  write_file(d, "sync_no_camera.json",
             R"({"sensors": {"camera": {"enabled": false}}, "pipeline": {"enabled": true}})");
  write_file(d, "sync_bad_workload.json",
             R"({"pipeline": {"enabled": true, "workload": "nosuchnet"}})");
  write_hostile_files(d);
  write_onnx_files(d);
  write_hostile_onnx_files(d);
  // Functional mode's input directories: none, a photograph cut short, a tensor of a wrong shape.
  std::filesystem::create_directories(d + "/no_inputs");
  write_file(d + "/no_inputs", "notes.txt", "not an input");
  std::filesystem::create_directories(d + "/bad_image");
  write_file(d + "/bad_image", "photo.jpg",
             read_file("/usr/lib/python3/dist-packages/skimage/data/truncated.jpg"));
  std::filesystem::create_directories(d + "/wrong_npy");
  write_file(d + "/wrong_npy", "x.npy", npy_bytes("2, 3", std::string(24, '\0')));
  return d;
}

const std::string kDefault = "configs/default.json";

const std::string kSync = "configs/timesync/xo_no_gps.json";

std::vector<BadInput> cases() {
  return {
      {"SyncUnknownKey",
       {"sync", "$D/sync_unknown.json"},
       "$D/sync_unknown.json: gnss.jitter_ns: unknown key"},
      {"SyncBadOutageWindow",
       {"sync", "$D/sync_outage.json"},
       "gnss.outages_s: '60-30' is not a window"},
      {"SyncUnknownPreset",
       {"sync", "$D/sync_preset.json"},
       "oscillator.preset: must be one of \"xo\""},
      {"SyncPipelineWithoutCamera",
       {"sync", "$D/sync_no_camera.json"},
       "pipeline.enabled: the pipeline needs sensors.camera.enabled"},
      {"SyncPipelineBadWorkload",
       {"sync", "$D/sync_bad_workload.json"},
       "pipeline.workload: workload 'nosuchnet': not a zoo model"},
      {"SyncMissingConfig", {"sync", "$D/nope.json"}, "$D/nope.json: cannot open"},
      {"SyncNoConfig", {"sync"}, "the config file is required"},
      {"SyncBadDuration",
       {"sync", kSync, "--duration-s", "-5"},
       "--duration-s must be a number in (0, 1000000]"},
      {"SyncBadSet",
       {"sync", kSync, "--set", "servo.kp=9"},
       "--set: servo.kp: must be a number in [0, 1.5], got 9"},
      {"KeysBadOption", {"keys", "--timesync"}, "unknown option '--timesync' for 'strata keys'"},
      {"MalformedConfigJson", {"run", "--config", "$D/malformed.json"}, "$D/malformed.json:2:"},
      {"UnknownConfigKey",
       {"run", "--config", "$D/unknown_key.json"},
       "$D/unknown_key.json: array.rowz: unknown key"},
      {"WrongType",
       {"run", "--config", "$D/wrong_type.json"},
       "array.rows: must be an integer in [1, 4096], got \"many\""},
      {"NegativeSize",
       {"run", "--config", "$D/negative_size.json"},
       "buffers.input.size_kib: must be an integer in [1, 1048576], got -1"},
      {"ConfigNotAnObject",
       {"run", "--config", "$D/not_object.json"},
       "$D/not_object.json: top level must be a JSON object"},
      {"IncludeCycle", {"run", "--config", "$D/cycle.json"}, "include cycle"},
      {"MissingConfig", {"run", "--config", "$D/none.json"}, "$D/none.json: cannot open"},
      {"MissingTechTable",
       {"run", "--config", "$D/missing_table.json"},
       "$D/nowhere.json: cannot open"},
      {"UnknownZooName",
       {"run", "--config", kDefault, "--workload", "resnet19"},
       "workload 'resnet19': not a zoo model"},
      {"BadZooOption", {"run", "--workload", "bert_base:seq=128"}, "unknown option 'seq=128'"},
      {"OperandsWiderThanThePe",
       {"run", "--workload", "resnet18", "--set", "array.int_bits=4"},
       "resnet18: layer 'conv1': weight operands of 8 bits exceed the int PE's 4-bit multiplier "
       "(array.int_bits)"},
      {"UnknownPeKind", {"run", "--set", "array.pe=tpu"}, "array.pe"},
      {"DbbNnzAboveBz",
       {"run", "--set", "array.sparsity=dbb", "--set", "array.dbb.weight_nnz=9"},
       "configs/default.json: array.dbb.weight_nnz (9) exceeds array.dbb.bz (8)"},
      {"TensorPeNotDividingTheArray",
       {"run", "--set", "array.tpe.a=3"},
       "configs/default.json: array.tpe.a (3) must divide array.rows (32)"},
      {"TruncatedCsv",
       {"run", "--workload", "$D/truncated.csv"},
       "$D/truncated.csv:3: expected 8 fields, got 5"},
      {"IllFormedCsvValue",
       {"run", "--workload", "$D/bad_value.csv"},
       "$D/bad_value.csv:2: field 'Channels' must be a positive integer, got 'four'"},
      {"EmptyCsv", {"run", "--workload", "$D/empty.csv"}, "$D/empty.csv: empty topology file"},
      {"UnknownLayerKey",
       {"run", "--workload", "$D/bad_layer_key.json"},
       "$D/bad_layer_key.json: layers[0].kernal: is not a known conv2d layer key"},
      {"MalformedTrace",
       {"run", "--workload", "$D/malformed_trace.json"},
       "$D/malformed_trace.json:3:"},
      {"MissingTrace", {"run", "--workload", "$D/none.json"}, "$D/none.json: cannot open"},
      {"SetBadValue",
       {"run", "--set", "array.dataflow=rs"},
       "--set: array.dataflow: must be one of \"os\", \"ws\", \"is\", got \"rs\""},
      {"SetUnknownKey", {"run", "--set", "array.depth=2"}, "--set: array.depth: unknown key"},
      {"SetWithoutValue", {"run", "--set", "array.rows"}, "expected <key.path>=<value>"},
      {"UnwritableOutputDir",
       {"run", "--out", "$D/a_file/out"},
       "$D/a_file/out: output path exists and is not a directory"},
      {"UnknownCommand", {"simulate"}, "unknown command 'simulate'"},
      // Hostile input: crashes, hangs and silent garbage before, one line now.
      {"ConfigNested18000Deep",
       {"run", "--config", "$D/deep_config.json"},
       "$D/deep_config.json: JSON nested deeper than 64 levels"},
      {"ConfigArrayNested18000Deep",
       {"run", "--config", "$D/deep_array.json"},
       "$D/deep_array.json: JSON nested deeper than 64 levels"},
      {"SetValueNestedDeep",
       {"run", "--set", "name=" + std::string(5000, '[') + std::string(5000, ']')},
       "--set name: JSON nested deeper than 64 levels"},
      {"NumberOverflowsADouble",
       {"run", "--config", "$D/number_overflow.json"},
       "$D/number_overflow.json:1:20 (byte 19): a number is out of range: '1e999'"},
      {"SetNumberOverflowsADouble",
       {"run", "--set", "array.rows=1e999"},
       "--set: array.rows: must be an integer in [1, 4096], got \"1e999\""},
      {"IncludeCycleThroughAGrowingPath",
       {"run", "--config", "$D/grow/c.json"},
       "include: include cycle through this file"},
      {"LayerCountsOverflow",
       {"run", "--workload", "$D/huge_layer.json"},
       "layer 'big': its input elements exceed 281474976710656 (2^48)"},
      {"TooManyFoldsForTheTiler",
       {"run", "--workload", "$D/many_folds.json"},
       "layer 'wide': 4.19e+06 folds on a 32x32 array exceed the limit of 2.1e+06 folds"},
      {"SimulatedTimeBeyondTheClock",
       {"run", "--workload", "$D/long_time.json", "--set", "clock.freq_mhz=1", "--set",
        "buffers.input.size_kib=1048576", "--set", "buffers.weight.size_kib=1048576"},
       "s of simulated time at clock.freq_mhz = 1 and a DRAM peak of 25.6 GB/s, beyond the "
       "limit of 1e+05 s per run"},
      {"ClockBelowItsRange",
       {"run", "--set", "clock.freq_mhz=1e-300"},
       "--set: clock.freq_mhz: must be a number in [1, 100000]"},
      {"BandwidthBelowItsRange",
       {"run", "--set", "dram.bandwidth_gbps=0.001"},
       "--set: dram.bandwidth_gbps: must be a number in [0.01, 100000]"},
      {"BankedDramZeroBanks",
       {"run", "--set", "dram.model=banked", "--set", "dram.banks_per_group=3"},
       "--set: dram.banks_per_group: 3 not a power of two: address bits select it, and a mapping "
       "of "
       "other sizes loses address bits"},
      {"BankedDramTimingThatCannotBeMet",
       {"run", "--set", "dram.model=banked", "--set", "dram.timing.tRC=40"},
       "--set: dram.timing.tRC: 40 cycles cannot be met: a bank's row cycle is at least tRAS + tRP "
       "= 97"},
      {"BankedDramMappingLosesAField",
       {"run", "--set", "dram.model=banked", "--set",
        "dram.address_mapping=\"row:bank:bank:channel:bank_group:column\""},
       "--set: dram.address_mapping: names \"bank\" 2 times; it names each of row, rank, "
       "bank, bank_group, channel, column once"},
      {"BankedDramMappingUnknownField",
       {"run", "--set", "dram.model=banked", "--set",
        "dram.address_mapping=\"row:bank:rank:chan:bank_group:column\""},
       "dram.address_mapping: \"chan\" is not a field"},
      {"BankedDramInterleaveBelowABurst",
       {"run", "--set", "dram.model=banked", "--set", "dram.channel_interleave_bytes=16"},
       "dram.channel_interleave_bytes: 16 must be 0 (the mapping decides) or a power of two"},
      {"BankedDramTooManyBanks",
       {"run", "--set", "dram.model=banked", "--set", "dram.channels=1024", "--set",
        "dram.bank_groups=64"},
       "dram.banks_per_group: 1024 channels x 512 banks each is more than strata simulates"},
      {"BankedDramCapacityBeyondItsRange",
       {"run", "--set", "dram.model=banked", "--set", "dram.rows=16777216", "--set",
        "dram.columns=65536", "--set", "dram.channels=1024"},
       "--set: dram.rows: the device's capacity (channels x banks x rows x columns x bus width) "
       "is beyond 2^48 bytes"},
      {"MappingSearchOnTheBuffersHierarchy",
       {"run", "--set", "tiling.search=latency"},
       "configs/default.json: tiling.search: the mapping search runs on memory.hierarchy = "
       "\"scratchpad\""},
      {"BankedKeyOnASimpleDram",
       {"run", "--set", "dram.preset=hbm2"},
       "dram.preset: applies to dram.model = \"banked\" (this config's DRAM is simple)"},
      {"SimpleKeyBesideABankedDram",
       {"run", "--set", "dram.model=banked", "--set", "dram.bandwidth_gbps=100"},
       "dram.bandwidth_gbps: applies to dram.model = \"simple\""},
      {"TraceTensorsOutsideItsDirectory",
       {"run", "--workload", "$D/trace_escape.json"},
       "$D/trace_escape.json: tensors: must be a file name in the trace's directory"},
      {"TraceWeightDigestNotSha256",
       {"run", "--workload", "$D/trace_bad_digest.json"},
       "$D/trace_bad_digest.json: weights.files[0].sha256: must be 64 lowercase hex digits"},
      {"OutputStageFusionWithoutAnOutputStage",
       {"run", "--set", "vector.fusion=epilogue", "--set", "vector.fuse_epilogue=false"},
       "configs/default.json: vector.fusion = \"epilogue\" runs vector work in the array's output "
       "stage, which vector.fuse_epilogue = false says does nothing"},
      {"WrongTraceFormat",
       {"run", "--workload", "$D/wrong_format.json"},
       "$D/wrong_format.json: format: a trace must say \"strata-trace\""},
      {"DuplicateCsvLayerName",
       {"run", "--workload", "$D/duplicate.csv"},
       "$D/duplicate.csv:3: duplicate layer name 'c1'"},
      {"CsvNotUtf8", {"run", "--workload", "$D/not_utf8.csv"}, "$D/not_utf8.csv: byte "},
      {"SetValueNotUtf8", {"run", "--set", "name=a\xff"}, "the value is not valid UTF-8"},
      {"SweepConstraintNestedDeep",
       {"sweep", "$D/sweep_parens.json", "--out", "$D/out"},
       "constraints[0]: nested deeper than 64 parentheses or unary operators"},
      {"SweepConstraintMillionNots",
       {"sweep", "$D/sweep_nots.json", "--out", "$D/out"},
       "constraints[0]: longer than 4096 characters"},
      {"RunOutputOnReadOnlyFilesystem",
       {"run", "--workload", "alexnet", "--out", "/sys/kernel"},
       "/sys/kernel/report.json: cannot write"},
      {"RunOutputDirCannotBeCreated",
       {"run", "--workload", "alexnet", "--out", "/sys/kernel/strata_out"},
       "/sys/kernel/strata_out: cannot create output directory"},
      {"SyncOutputIsAFile",
       {"sync", kSync, "--out", "$D/a_file/out"},
       "$D/a_file/out: output path exists and is not a directory"},
      {"QuantizeOutputDirCannotBeCreated",
       {"quantize", "--model", "alexnet", "--scheme", "rtn", "--out", "/sys/kernel/strata/t.json"},
       "/sys/kernel/strata: cannot create output directory"},
      {"SweepOutputIsAFile",
       {"sweep", "$D/sweep_ok.json", "--out", "$D/a_file/out"},
       "$D/a_file/out: output path exists and is not a directory"},
      {"MergeCorruptResultRow",
       {"merge", "$D/rows_bad", "--out", "$D/out"},
       "$D/rows_bad/results.jsonl line 2:1:2: malformed JSON (byte 1)"},
      {"MergeDirectoryWithoutASweep",
       {"merge", "$D", "--out", "$D/out"},
       "$D/sweep.json: cannot open"},
      {"MergeManifestNotAnObject",
       {"merge", "$D/shard_bad", "--out", "$D/out"},
       "$D/shard_bad/sweep.json: not a strata sweep manifest"},
      {"MergeWithoutOut", {"merge", "$D/shard_bad"}, "--out is required"},
      {"ParetoMissingResults",
       {"pareto", "$D/none.csv", "--x", "latency_ms", "--y", "energy_pj"},
       "$D/none.csv: cannot open"},
      {"ParetoUnterminatedQuote",
       {"pareto", "$D/results.csv", "--x", "latency_ms", "--y", "latency_ms"},
       "$D/results.csv:3: unterminated quoted field"},
      {"ParetoUnknownMetric",
       {"pareto", "$D/results_ok.csv", "--x", "speed", "--y", "latency_ms"},
       "speed"},
      {"CompareMissingConfig",
       {"compare", "-b", kDefault, "-c", "$D/none.json", "-w", "alexnet"},
       "$D/none.json: cannot open"},
      {"CompareUnknownWorkload",
       {"compare", "-b", kDefault, "-c", kDefault, "-w", "resnet19"},
       "not a zoo model"},
      {"CompareNegativeJobs",
       {"compare", "-b", kDefault, "-c", kDefault, "-w", "alexnet", "-j", "-1"},
       "--jobs: must be 0 (all cores) or more, got -1"},
      {"TechTableMissing", {"tech", "$D/none.json"}, "$D/none.json: cannot open"},
      {"TechTableMalformed", {"tech", "$D/malformed.json"}, "$D/malformed.json:2:"},
      {"TechTableUnknownVectorOp",
       {"tech", "$D/no_vector_ops.json"},
       "$D/no_vector_ops.json: vector_op_pj_per_element.sofmax: not a vector operation "
       "(docs/vector.md lists them)"},
      {"VectorLanesZero",
       {"run", "--workload", "resnet18", "--set", "vector.lanes=0"},
       "vector.lanes: must be an integer in [1, 4096], got 0"},
      {"SweepOfTenMillionPoints",
       {"sweep", "$D/sweep_huge.json", "--out", "$D/out"},
       "axes: more than 1000000 points (the product of the axes' lengths); split the sweep"},
      {"SweepWorkerPointMalformed",
       {"run", "--workload", "resnet18", "--out", "$D/out", "--sweep-point", "{\"id\": 3}"},
       "--sweep-point: expected a sweep point {\"id\": string, \"axes\": object, "
       "\"overrides\": [strings]}"},
      {"SweepNegativeJobs",
       {"sweep", "$D/sweep_ok.json", "--out", "$D/out", "--jobs", "-3"},
       "--jobs: must be 0 (all cores) or more, got -3"},
      {"SyncCameraRateNearZero",
       {"sync", kSync, "--set", "sensors.camera.rate_hz=1e-300"},
       "sensors.camera.rate_hz: must be a number in [0.001, 1000]"},
      {"SyncMillionSeconds",
       {"sync", kSync, "--duration-s", "1000000"},
       "timesync.duration_s: 1e+06 s at 440 samples/s (sensors.*.rate_hz) is 4.4e+08 samples, "
       "beyond the limit of 4e+07 per run"},
      {"SyncFastImuLongRun",
       {"sync", kSync, "--set", "sensors.imu.rate_hz=100000", "--duration-s", "1000"},
       "beyond the limit of 4e+07 per run"},
      {"SyncHourLongWaveform",
       {"sync", kSync, "--set", "timesync.vcd_window_s=3600", "--duration-s", "3600"},
       "timesync.vcd_window_s: 3600 s at 440 samples/s"},
      {"NpyWeightsWithNaN",
       {"quantize", "--model", "resnet18", "--scheme", "rtn", "--weights", "$D/npy_nan", "--out",
        "$D/out/t.json"},
       "$D/npy_nan/fc.npy: element 0 is NaN; weights must be finite numbers"},
      {"NpyDimensionOf23Digits",
       {"quantize", "--model", "resnet18", "--scheme", "rtn", "--weights", "$D/npy_dim", "--out",
        "$D/out/t.json"},
       "dimension 12345678901234567890123 is out of range"},
      {"TfjsShapeWrapsInt64",
       {"quantize", "--model", "faceres", "--scheme", "ant", "--weights", "$D/tfjs_wrap.json",
        "--out", "$D/out/t.json"},
       "(w): shape [4, 4611686018427387905, 1, 1] has more than 4294967296 elements"},
      {"OnnxDynamicInput",
       {"run", "--workload", "$D/dynamic.onnx"},
       "$D/dynamic.onnx: input 'x' has dynamic dims [N, 3, 8, 8]; fix them with --input-shape "
       "x=Nx3x8x8"},
      {"OnnxWrongInputShape",
       {"run", "--workload", "$D/dynamic.onnx", "--input-shape", "y=1x3x8x8"},
       "--input-shape: $D/dynamic.onnx has no input 'y'; did you mean 'x'? (inputs: x)"},
      {"OnnxTruncated",
       {"run", "--workload", "$D/truncated.onnx"},
       "$D/truncated.onnx: not a valid ONNX model (the protobuf is truncated or corrupt)"},
      {"OnnxUnknownOperator",
       {"inspect", "$D/unknown_op.onnx"},
       "node 'odd' (Frobnicate): operator 'Frobnicate' (opset 13) is not supported"},
      {"OnnxCycle",
       {"quantize", "--model", "$D/cycle.onnx", "--scheme", "ant", "--out", "$D/out/t.json"},
       "the graph has a cycle through node 'a' (Add)"},
      {"OnnxPoolStridesShorterThanItsKernel",
       {"inspect", "$D/short_strides.onnx"},
       "node 'pool' (MaxPool): strides has 1 values; the input's spatial dims need 2"},
      {"OnnxConvBiasShort",
       {"run", "--workload", "$D/short_bias.onnx"},
       "node 'c' (Conv): bias 'bias' is [2]; expected [4] (one per channel)"},
      {"OnnxBatchNormalizationScaleShort",
       {"run", "--workload", "$D/short_bn.onnx"},
       "node 'bn' (BatchNormalization): scale 's' is [2]; expected [4] (one per channel)"},
      {"OnnxTransposePermNotAPermutation",
       {"inspect", "$D/perm_duplicate.onnx"},
       "node 't' (Transpose): perm [0, 0, -1, 2] is not a permutation of 0..3"},
      {"OnnxUnsqueezeAxisTwice",
       {"inspect", "$D/unsqueeze_twice.onnx"},
       "node 'u' (Unsqueeze): axis 1 is listed twice"},
      {"OnnxSoftmaxAxisOutOfRange",
       {"run", "--workload", "$D/softmax_axis.onnx"},
       "node 'sm' (Softmax): axis 5 is out of range for rank 4"},
      {"OnnxClipEmptyMin",
       {"inspect", "$D/clip_empty_min.onnx"},
       "node 'clip' (Clip): min must hold one value, got shape [0]"},
      {"OnnxConvWithoutFilters",
       {"run", "--workload", "$D/no_filters.onnx"},
       "node 'c' (Conv): weights [0, 3, 3, 3]: 0 output channels"},
      {"OnnxGraphWithoutOutputs",
       {"run", "--workload", "$D/no_outputs.onnx"},
       "$D/no_outputs.onnx: the graph has no outputs"},
      {"OnnxGemmBiasOfRank3",
       {"run", "--workload", "$D/gemm_3d_bias.onnx"},
       "node 'g' (Gemm): C [1, 1, 3] does not broadcast to [2, 3]"},
      {"OnnxInitializerOfType999",
       {"quantize", "--model", "$D/type_999.onnx", "--scheme", "ant", "--out", "$D/out/t.json"},
       "$D/type_999.onnx: initializer 'w': data type 999 is not an ONNX type"},
      {"OnnxInitializerClaims16GiB",
       {"quantize", "--model", "$D/claims_16gib.onnx", "--scheme", "ant", "--out", "$D/out/t.json"},
       "initializer 'w' holds 16 bytes of data, not the 17179869184 its dims"},
      {"OnnxExternalDataIsAFifo",
       {"inspect", "$D/external_fifo.onnx"},
       "initializer 'w': external data $D/fifo: not a regular file"},
      {"OnnxExternalDataIsTheDirectory",
       {"run", "--workload", "$D/external_dot.onnx"},
       "initializer 'w': external data location '.' must name a file beside the model"},
      {"OnnxNanWeights",
       {"quantize", "--model", "$D/nan_weights.onnx", "--scheme", "ant", "--out", "$D/out/t.json"},
       "node 'c' (Conv): 'w' element 5 is NaN; weights must be finite numbers"},
      {"OnnxNegativeVariance",
       {"quantize", "--model", "$D/negative_variance.onnx", "--scheme", "ant", "--out",
        "$D/out/t.json"},
       "node 'bn' (BatchNormalization): variance 'v' element 1 is -1.000000"},
      {"OnnxDequantizeScaleNaN",
       {"quantize", "--model", "$D/nan_scale.onnx", "--scheme", "ant", "--out", "$D/out/t.json"},
       "node 'dq' (DequantizeLinear): scale nan is not a positive finite number"},
      {"OnnxNodeNameWithTerminalEscapes",
       {"inspect", "$D/escaped_name.onnx"},
       "node 'line\\nbreak\\x1b[31m' (Frobnicate)"},
      {"FunctionalMaxPoolIndicesRead",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "$D/maxpool_indices.onnx", "--set",
        "sim.mode=functional", "--inputs", "$D/npy_x"},
       "node 'cast' (Cast): reads 'idx' (made by node 'pool' (MaxPool)) is an output functional "
       "execution does not compute"},
      {"FunctionalPaddingBeyondTheTensorLimit",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "$D/huge_pad.onnx", "--set",
        "sim.mode=functional", "--inputs", "$D/npy_x"},
       "node 'pad' (Pad): its output [1, 4, 200006, 200006] has more than 2^28 elements"},
      {"FunctionalImageClaimsMorePixelsThanItHolds",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/ppm_claims"},
       "$D/ppm_claims/photo.ppm: its header says 8192x8192 pixels in 201326609 bytes, but the "
       "file holds 97 (cut short?)"},
      {"FunctionalGifCutShort",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/gif_cut"},
       "$D/gif_cut/photo.gif: the GIF has no trailer (0x3B) at its end (cut short?)"},
      {"FunctionalSparse3GiBTensor",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/npy_sparse"},
       "$D/npy_sparse/x.npy: 3221225472 bytes, larger than the 2147483648 bytes strata reads from "
       "one file"},
      {"InputShapeWithANewline",
       {"run", "--workload", "$D/dynamic.onnx", "--input-shape", "x=1x3\n\x1b[2J"},
       "--input-shape: x: expected dims like 1x3x224x224 (each 1..2^31), got '1x3\\n\\x1b[2J'"},
      {"OnnxInputShapeOnZoo",
       {"run", "--workload", "resnet18", "--input-shape", "x=1x3x224x224"},
       "--input-shape: only an ONNX workload (.onnx) takes input shapes, got 'resnet18'"},
      {"FunctionalWithoutInputs",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional"},
       "sim.mode = \"functional\" needs --inputs DIR (images or .npy tensors)"},
      {"FunctionalEmptyInputDirectory",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/no_inputs"},
       "--inputs $D/no_inputs: no input files (expected images"},
      {"FunctionalUnreadableImage",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/bad_image"},
       "$D/bad_image/photo.jpg: cannot be decoded as an image (its data is corrupt or cut short)"},
      {"FunctionalWrongTensorShape",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/wrong_npy"},
       "$D/wrong_npy/x.npy: tensor of shape [2, 3] but the model's input is [1, 3, 224, 224]"},
      {"FunctionalModelWithoutWeights",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "resnet18", "--set", "sim.mode=functional",
        "--inputs", "$D/wrong_npy"},
       "of 'resnet18': functional mode runs ONNX models and the zoo models with real weights"},
      {"FunctionalBadImageStd",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/wrong_npy", "--set", "functional.image_std=1,0,1"},
       "functional.image_std: expected three positive numbers 'r,g,b', got '1,0,1'"},
      {"FunctionalUnknownPrimaryOutput",
       {"run", "-c", "configs/ant_os_28nm.json", "-w", "faceres", "--set", "sim.mode=functional",
        "--inputs", "$D/wrong_npy", "--set", "functional.primary_output=logits"},
       "functional.primary_output: the model has no output 'logits' (outputs: descriptor, gender, "
       "age_logits, age)"},
      {"InputsWithoutFunctionalMode",
       {"run", "-w", "faceres", "--inputs", "$D/wrong_npy"},
       "--inputs: only sim.mode = \"functional\" runs the network on inputs"},
      {"PipelineCycle",
       {"pipeline", "$D/pipeline_cycle.json"},
       "$D/pipeline_cycle.json: nodes: node \"pre\": is on a cycle of the graph"},
      {"PipelineUnknownEngine",
       {"pipeline", "$D/pipeline_unknown_engine.json"},
       "$D/pipeline_unknown_engine.json: nodes[1] \"cnn\".engine: unknown engine \"npu\""},
      {"PipelineNodeWithoutInput",
       {"pipeline", "$D/pipeline_no_input.json"},
       "$D/pipeline_no_input.json: nodes: node \"control\": has no input"},
      {"PipelineImpossibleDeadline",
       {"pipeline", "$D/pipeline_deadline.json"},
       "$D/pipeline_deadline.json: nodes: node \"control\": its deadline of 1 ms cannot be met: "
       "the least "
       "latency from the sensor event to its end is"},
      {"PipelineUnknownKernel",
       {"pipeline", "$D/pipeline_unknown_kernel.json"},
       "nodes[2] \"control\".kernel: unknown host kernel \"slam\""},
      {"PipelineUnknownNodeKey",
       {"pipeline", "$D/pipeline_node_key.json"},
       "nodes[2] \"control\".dedline_ms: unknown key"},
      {"PipelineSensorListedTwice",
       {"pipeline", "$D/pipeline_input_twice.json"},
       "$D/pipeline_input_twice.json: nodes: node \"pre\": input \"camera\" is listed twice"},
      {"PipelineEngineConfigIsAFifo",
       {"pipeline", "$D/pipeline_fifo_engine.json"},
       "engines[0] \"npu\": config: $D/fifo: not a regular file (a FIFO, socket or device)"},
      {"PipelineJobsBeyondTheLimit",
       {"pipeline", "configs/pipelines/drone.json", "--duration-s", "100", "--set",
        "sensors.imu.rate_hz=100000"},
       "configs/pipelines/drone.json: timesync.duration_s: 100 s releases ~1e+07 jobs, over "
       "pipeline.max_jobs (1e+06); shorten the run"},
      {"PipelineMissingConfig",
       {"pipeline", "$D/nope.json", "--out", "$D/out"},
       "$D/nope.json: cannot open"},
      {"OpticsWithoutSensor",
       {"run", "-w", "resnet18", "--set", "optics.enabled=true"},
       "optics.enabled: the optical layer's cost is the sensor's readout; set sensor.enabled too"},
      {"OpticsKernelBeyondAperture",
       {"run", "-w", "alexnet", "--set", "optics.enabled=true", "--set", "sensor.enabled=true"},
       "optics.enabled: the first layer 'conv1' has a 11x11 kernel; the aperture realizes at most "
       "7x7 (optics.kernel_max)"},
      {"OpticsFirstLayerNotRgb",
       {"run", "-w", "bert_base:seq_len=128", "--set", "optics.enabled=true", "--set",
        "sensor.enabled=true"},
       "is not a convolution of the RGB input (3 channels, no groups)"},
      {"OpticsBitTrue",
       {"run", "-w", "resnet18", "--set", "workload.scheme=rtn", "--set", "sim.mode=bittrue",
        "--set", "optics.enabled=true", "--set", "sensor.enabled=true"},
       "optics.enabled runs in sim.mode = \"tile\" or \"functional\": the bit-true path does "
       "not model the optical layer"},
      {"SensorNoiseOnTensors",
       {"run", "-c", "configs/int8_sa_16nm.json", "-w", "faceres", "--set", "workload.scheme=rtn",
        "--set", "sim.mode=functional", "--set", "sensor.enabled=true", "--inputs", "$D/npy_image"},
       "$D/npy_image/x.npy: sensor.noise needs image inputs (the scene's intensity behind a "
       "tensor is unknown); set sensor.noise = false for .npy inputs"},
      {"SweepInputsMissing",
       {"sweep", "configs/sweeps/optics_illumination.json", "--out", "$D/out", "--inputs",
        "$D/no_photos"},
       "$D/no_photos"},
      {"MappingSyntax",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapping_syntax.json"},
       "$D/mapping_syntax.json: layers[0].mapping: at character 23 ('Y'): expected a space "
       "after the loop"},
      {"MappingDoesNotCoverTheLayer",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapping_short.json"},
       "$D/mapping_short.json: layers[0].mapping: K's factors multiply to 64 (4 x 16X), but the "
       "layer's K is 128"},
      {"MappingsFileUnknownLayer",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapped.json", "--mappings",
        "$D/mappings_unknown_layer.json"},
       "$D/mappings_unknown_layer.json: mappings.mn: the workload has no array layer 'mn'"},
      {"MappingsFileUnknownKey",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapped.json", "--mappings",
        "$D/mappings_bad_key.json"},
       "$D/mappings_bad_key.json: must be an object {\"mappings\": "},
      {"MappingOverTheAccumulator",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapped.json", "--mappings",
        "$D/mappings_over_accumulator.json", "--set", "memory.accumulator.size_kib=32"},
       "$D/mapped.json: layer 'mm': mapping: level L1 (accumulator): the tile's 16,384 partial "
       "sums take 65,536 B; the accumulator has 32,768 B"},
      {"MappingWiderThanTheArray",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapped.json", "--mappings",
        "$D/mappings_wide_block.json"},
       "layer 'mm': mapping: the spatial loops unroll C over 16 rows and K over 32 columns; the "
       "array has 16 x 16"},
      {"MappingKeepsWeightsInTheAccumulator",
       {"run", "-c", "configs/gemmini_16x16.json", "--workload", "$D/mapped.json", "--mappings",
        "$D/mappings_weights_in_accumulator.json"},
       "layer 'mm': mapping: level L1 (accumulator) keeps W, but it holds partial sums and "
       "outputs (O) only"},
      {"MappingOnSeparateBuffers",
       {"run", "--workload", "$D/mapped.json", "--mappings", "$D/mappings_wide_block.json"},
       "$D/mapped.json: layer 'mm': it has a mapping, but memory.hierarchy = \"buffers\" runs "
       "strata's tiler"},
      {"ScratchpadOnAnOutputStationaryArray",
       {"run", "--set", "memory.hierarchy=scratchpad"},
       "configs/default.json: memory.hierarchy = \"scratchpad\" runs explicit mappings on a "
       "dense int weight-stationary array; set array.dataflow = \"ws\""},
      {"UnknownOption",
       {"run", "--frobnicate"},
       "command line: unknown option '--frobnicate' for 'strata run' (see 'strata run --help')"},
  };
}

std::string substitute(std::string s, const std::string& dir) {
  for (size_t p; (p = s.find("$D")) != std::string::npos;) s.replace(p, 2, dir);
  return s;
}

TEST_P(CliErrors, OneLineExitTwoNoOutputs) {
  const std::string d = scratch_with_files();
  const std::string out = d + "/out";
  std::vector<std::string> args;
  for (const auto& a : GetParam().args) args.push_back(substitute(a, d));
  const bool sets_out = std::find(args.begin(), args.end(), "--out") != args.end();
  if (!sets_out && (args[0] == "run" || args[0] == "sync" || args[0] == "pipeline")) {
    args.push_back("--out");
    args.push_back(out);
  }
  const CliResult r = run_strata(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string expected = "strata: error: ";
  ASSERT_EQ(r.err.rfind(expected, 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(substitute(GetParam().expected, d)), std::string::npos) << r.err;
  EXPECT_TRUE(list_dir(out).empty()) << "partial outputs left in " << out;
  record_bad_input(GetParam().name, args, r.err, d);
  expect_catalogued(GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(BadInput, CliErrors, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace strata::test
