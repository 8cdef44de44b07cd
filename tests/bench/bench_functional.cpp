// Functional mode's speed: MobileNet-V1 (the real-weight HSE-FaceRes network) on ANT-OS with
// ANT4-8, float and bit-true, on 1 and on 32 photographs (python3-skimage's sample images, the 8
// colour and grey ones repeated four times under other names: 32 inputs to run), beside the same
// `strata run` without inputs (front end and timing only: the baseline). Prints figures; the goals
// (1 image under 1 s, 32 under 20 s, on 2 cores) are read off them, never asserted.
// Usage: strata_bench_functional [runs=3]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/spawn.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  char tmpl[] = "/tmp/strata_bench_functional.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string photos = "/usr/lib/python3/dist-packages/skimage/data";
  const char* names[] = {"astronaut.png", "chelsea.png",         "coffee.png",
                         "rocket.jpg",    "motorcycle_left.png", "hubble_deep_field.jpg",
                         "retina.jpg",    "camera.png"};
  fs::create_directories(dir + "/one");
  fs::create_directories(dir + "/many");
  fs::copy_file(photos + "/astronaut.png", dir + "/one/astronaut.png");
  for (int i = 0; i < 32; ++i) {
    fs::copy_file(photos + "/" + names[i % 8],
                  dir + "/many/" + std::to_string(100 + i) + "_" + names[i % 8]);
  }
  struct Case {
    const char* name;
    std::vector<std::string> extra;
  };
  const std::vector<Case> cases = {
      {"no inputs (baseline)", {"--no-cache"}},
      {"1 image", {"--set", "sim.mode=functional", "--inputs", dir + "/one"}},
      {"32 images", {"--set", "sim.mode=functional", "--inputs", dir + "/many"}},
  };
  std::printf(
      "strata_bench_functional: faceres on configs/ant_os_28nm.json, %d run(s), "
      "median wall\n",
      runs);
  std::printf("%-22s %10s %14s %10s\n", "case", "wall s", "x baseline", "peak MiB");
  double baseline = 0;
  for (const auto& c : cases) {
    std::vector<std::string> args = {"run", "-c",      "configs/ant_os_28nm.json",
                                     "-w",  "faceres", "-q"};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    const auto s = strata::test::spawn_strata_median(args, STRATA_SOURCE_DIR, runs);
    if (s.exit_code != 0) {
      std::fprintf(stderr, "strata_bench_functional: %s failed (exit %d)\n", c.name, s.exit_code);
      return 1;
    }
    const double wall = s.wall_s;
    const long rss = s.peak_rss_kib;
    if (baseline == 0) baseline = wall;
    std::printf("%-22s %10.2f %14.1f %10.1f\n", c.name, wall, wall / baseline, rss / 1024.0);
  }
  fs::remove_all(dir);
  return 0;
}
