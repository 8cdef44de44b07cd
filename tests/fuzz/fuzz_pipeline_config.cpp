// A pipeline config (strata pipeline): the sync keys and the pipeline's own resolved, the engines
// loaded (a scratch `engine.json`, the default accelerator, is there to name), every node read and
// its workload prepared, the graph validated, and then simulated for 20 ms in a child process
// (the scheduler's loops and queues). Besides libFuzzer's byte mutations, a structural mutator
// edits the parsed config (nodes duplicated, dropped or rewired, inputs repeated or made latest,
// kinds, engines, rates and depths set to extremes), which byte flips rarely reach.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "fuzz_support.h"
#include "sim/pipeline/pipeline_config.h"
#include "sim/pipeline/pipeline_run.h"
#include "sim/run/sim_context.h"

namespace {

using J = nlohmann::json;

const J kExtremes[] = {0, 1, -1, 2, 1000, 1e-300, 1e300, 59, 1e6, 0.5, "", "camera", true};

// One structural edit; false if the config has nothing to edit.
bool mutate_config(J& c, std::mt19937& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  if (!c.is_object()) return false;
  J& nodes = c["nodes"];
  if (!nodes.is_array()) nodes = J::array();
  std::vector<std::string> names = {"camera", "imu", "lidar", "npu", "host", "nope"};
  for (const auto& n : nodes) {
    if (n.is_object() && n.contains("name") && n["name"].is_string()) names.push_back(n["name"]);
  }
  const std::string some_name = names[pick(names.size())];
  switch (pick(9)) {
    case 0:  // duplicate a node (renamed, or not)
      if (nodes.empty()) return false;
      nodes.push_back(nodes[pick(nodes.size())]);
      if (rng() % 2 && nodes.back().is_object())
        nodes.back()["name"] = "n" + std::to_string(pick(100));
      return true;
    case 1:  // drop a node
      if (nodes.empty()) return false;
      nodes.erase(pick(nodes.size()));
      return true;
    case 2:
    case 3: {  // rewire, repeat or make latest an input
      if (nodes.empty()) return false;
      J& n = nodes[pick(nodes.size())];
      if (!n.is_object()) return false;
      J& inputs = n["inputs"];
      if (!inputs.is_array()) inputs = J::array();
      if (inputs.empty() || rng() % 3 == 0) {
        inputs.push_back(some_name);
      } else if (rng() % 2) {
        inputs[pick(inputs.size())] = J{{"from", some_name}, {"latest", rng() % 2 == 0}};
      } else {
        for (size_t k = pick(50); k > 0; --k) inputs.push_back(inputs[0]);
      }
      return true;
    }
    case 4: {  // a node's kind, engine or a number
      if (nodes.empty()) return false;
      J& n = nodes[pick(nodes.size())];
      if (!n.is_object()) return false;
      static const char* const kKeys[] = {"kind",     "engine",   "queue_depth",  "deadline_ms",
                                          "elements", "priority", "output_bytes", "skip_late"};
      const std::string key = kKeys[pick(8)];
      if (key == "kind") {
        static const char* const kKinds[] = {"dnn", "vector", "host"};
        n[key] = kKinds[pick(3)];
      } else if (key == "engine") {
        n[key] = some_name;
      } else {
        n[key] = kExtremes[pick(sizeof kExtremes / sizeof *kExtremes)];
      }
      return true;
    }
    case 5: {  // a sensor's rate
      static const char* const kSensors[] = {"camera", "imu", "lidar"};
      c["sensors"][kSensors[pick(3)]]["rate_hz"] =
          kExtremes[pick(sizeof kExtremes / sizeof *kExtremes)];
      return true;
    }
    case 6: {  // engines: duplicate, rename, drop
      J& engines = c["engines"];
      if (!engines.is_array() || engines.empty()) return false;
      if (rng() % 2) {
        engines.push_back(engines[0]);
        if (rng() % 2 && engines.back().is_object()) engines.back()["name"] = some_name;
      } else {
        engines.erase(pick(engines.size()));
      }
      return true;
    }
    case 7:  // the sink
      c["sink"] = some_name;
      return true;
    default:  // the host
      c["host"]["cores"] = kExtremes[pick(sizeof kExtremes / sizeof *kExtremes)];
      return true;
  }
}

}  // namespace

STRATA_FUZZ_MUTATOR(pipeline_config) {
  return strata::fuzz::structural_or_byte_mutation(
      data, size, max_size, seed,
      [](const std::string& text, std::mt19937& rng) -> std::optional<std::string> {
        J c = J::parse(text, nullptr, false);
        if (c.is_discarded() || !mutate_config(c, rng)) return std::nullopt;
        return c.dump();
      });
}

STRATA_FUZZ_TARGET(pipeline_config) {
  using namespace strata;
  static const std::string engine = fuzz::write_scratch("engine.json", "{}");
  (void)engine;
  PipelineRequest request;
  request.config_path = fuzz::write_scratch("pipeline.json", fuzz::input_text(data, size));
  request.duration_s = 0.02;  // a few frames: the scheduler, not the accelerators
  return fuzz::expect_input_errors_only([&] {
    const PreparedPipeline prepared = prepare_pipeline(request);
    // The simulation runs in a child, one process per run as the CLI runs it: SystemC's
    // coroutine stacks are not reused across simulation contexts, which AddressSanitizer's
    // shadow memory does not follow. A child that crashes, hangs (libFuzzer's -timeout) or
    // throws anything but an InputError is the parent's finding.
    const pid_t child = fork();
    if (child == 0) {
      int code = 0;
      try {
        use_fresh_simulation_context();
        run_pipeline(prepared);
      } catch (const InputError&) {
      } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_pipeline_config: the simulation threw: %s\n", e.what());
        code = 3;
      } catch (...) {
        std::fprintf(stderr, "fuzz_pipeline_config: the simulation threw something\n");
        code = 3;
      }
      std::fflush(nullptr);
      _exit(code);
    }
    int status = 0;
    pid_t waited = -1;
    do {
      waited = child < 0 ? -1 : waitpid(child, &status, 0);
    } while (waited < 0 && errno == EINTR);  // libFuzzer's timers interrupt the wait
    if (waited != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "fuzz_pipeline_config: the simulation's process ended with %s %d\n",
                   WIFEXITED(status) ? "exit code" : "signal",
                   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
      std::abort();
    }
  });
}
