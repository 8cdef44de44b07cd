// Bad input of every kind: one line on stderr naming the file/key/line and what was expected,
// exit code 2, and no output files left behind.
#include <gtest/gtest.h>

#include "cli/cli_runner.h"

namespace strata::test {
namespace {

struct BadInput {
  std::string name;
  std::vector<std::string> args;  // "$D" is replaced by a scratch directory holding the files
  std::string expected;           // substring of the single error line
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class CliErrors : public ::testing::TestWithParam<BadInput> {};

std::string scratch_with_files() {
  const std::string d = make_temp_dir();
  write_file(d, "malformed.json", "{\n  \"array\": {\"rows\": 32,,\n}\n");
  write_file(d, "unknown_key.json", R"({"array": {"rowz": 32}})");
  write_file(d, "wrong_type.json", R"({"array": {"rows": "many"}})");
  write_file(d, "negative_size.json", R"({"buffers": {"input": {"size_kib": -1}}})");
  write_file(d, "not_object.json", "[1, 2]");
  write_file(d, "cycle.json", R"({"include": "cycle.json"})");
  write_file(d, "missing_table.json", R"({"energy": {"tech_table": "nowhere.json"}})");
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
  write_file(d, "sync_unknown.json", R"({"gnss": {"jitter_ns": 5}})");
  write_file(d, "sync_outage.json", R"({"gnss": {"outages_s": "60-30"}})");
  write_file(d, "sync_preset.json", R"({"oscillator": {"preset": "cesium"}})");
  write_file(d, "sync_no_camera.json",
             R"({"sensors": {"camera": {"enabled": false}}, "pipeline": {"enabled": true}})");
  write_file(d, "sync_bad_workload.json",
             R"({"pipeline": {"enabled": true, "workload": "nosuchnet"}})");
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
      {"KeysBadOption", {"keys", "--timesync"}, "expected nothing (accelerator keys) or --sync"},
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
      {"UnknownOption",
       {"run", "--frobnicate"},
       "command line: unrecognised option '--frobnicate'"},
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
  if (!sets_out && (args[0] == "run" || args[0] == "sync")) {
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
}

INSTANTIATE_TEST_SUITE_P(BadInput, CliErrors, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace strata::test
