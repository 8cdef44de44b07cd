// `strata run --set sim.mode=functional --inputs DIR` on the real-weight zoo models and
// photographs Debian ships (python3-skimage): the report carries measured statistics beside the
// declared ones and the accuracy of the quantized path, the same inputs give the same bytes, and
// measured statistics change the timing model's inputs (docs/functional.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace strata::test {
namespace {

using J = nlohmann::json;

// Two photographs, a PNG and a JPEG (a person and a cat): each input costs two float and one
// bit-true pass of the network, the most expensive part of the suite under the sanitizers.
// A directory of the first `count` of two photographs (astronaut.png, rocket.jpg).
std::string photo_dir(size_t count = 2) {
  const std::string d = make_temp_dir() + "/photos";
  std::filesystem::create_directories(d);
  const std::vector<const char*> photos = {"astronaut.png", "rocket.jpg"};
  for (const char* f : std::vector<const char*>(photos.begin(), photos.begin() + count)) {
    std::filesystem::copy_file(kSkimagePhotos + "/" + f, d + "/" + f);
  }
  return d;
}

J run_functional(const std::string& inputs, const std::string& model,
                 const std::vector<std::string>& sets, const std::string& out,
                 const std::string& config = "configs/int8_sa_16nm.json") {
  std::vector<std::string> args = {
      "run",   "-c", config, "-w", model, "--inputs", inputs, "--set", "sim.mode=functional",
      "--out", out,  "-q"};
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  const CliResult r = run_strata(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return J::parse(read_file(out + "/report.json"));
}

double output_figure(const J& report, const std::string& output, const std::string& figure) {
  for (const auto& o : report["functional"]["outputs"]) {
    if (o["name"] == output) return o[figure].get<double>();
  }
  ADD_FAILURE() << "no output " << output;
  return 0;
}

TEST(FunctionalRun, ReportsMeasuredStatisticsAndAccuracyDeterministically) {
  const std::string photos = photo_dir();
  const std::string dir = make_temp_dir();
  const std::vector<std::string> int8 = {"workload.scheme=rtn", "workload.bits=8"};
  const J r = run_functional(photos, "faceres", int8, dir + "/a");
  EXPECT_EQ(r["functional"]["input_count"], 2);
  EXPECT_EQ(r["functional"]["inputs"][1], "rocket.jpg");
  ASSERT_EQ(r["layers"].size(), 30u);  // 27 convolutions and the three heads
  for (const auto& l : r["layers"]) {
    for (const char* c :
         {"activation_zero_fraction", "input_density_declared", "input_density_measured",
          "product_density_measured", "adbb_density_4of8", "activation_type_measured"}) {
      EXPECT_FALSE(l[c].is_null()) << l["name"] << " " << c;
    }
    EXPECT_GT(l["input_density_measured"].get<double>(), 0) << l["name"];
    EXPECT_LE(l["input_density_measured"].get<double>(), 1) << l["name"];
  }
  // ReLU6 outputs: a measured zero fraction, not the declared half.
  EXPECT_GT(r["layers"][5]["activation_zero_fraction"].get<double>(), 0.05);
  EXPECT_NE(r["layers"][5]["input_density_measured"], r["layers"][5]["input_density_declared"]);
  // Same inputs, same bytes.
  run_functional(photos, "faceres", int8, dir + "/b");
  EXPECT_EQ(read_file(dir + "/a/report.json"), read_file(dir + "/b/report.json"));
  EXPECT_EQ(read_file(dir + "/a/layers.csv"), read_file(dir + "/b/layers.csv"));

  // On a zero-gating array, declared statistics for timing give the same accuracy and another
  // energy.
  const std::string zvcg = "configs/sa_zvcg_16nm.json";
  const J m = run_functional(photos, "faceres", int8, dir + "/m", zvcg);
  std::vector<std::string> declared = int8;
  declared.push_back("workload.activations=declared");
  const J d = run_functional(photos, "faceres", declared, dir + "/d", zvcg);
  EXPECT_EQ(d["functional"]["outputs"], m["functional"]["outputs"]);
  EXPECT_EQ(m["functional"]["activations_used"], "measured");
  EXPECT_EQ(d["functional"]["activations_used"], "declared");
  EXPECT_NE(d["totals"]["energy_pj"], m["totals"]["energy_pj"]);
}

TEST(FunctionalRun, FaceEmbeddingsFollowTheQuantizationScheme) {
  const std::string photos = photo_dir();
  const std::string dir = make_temp_dir();
  const J int8 = run_functional(photos, "resnet34_face", {"workload.scheme=rtn", "workload.bits=8"},
                                dir + "/int8");
  const J rtn4 = run_functional(photos, "resnet34_face", {"workload.scheme=rtn", "workload.bits=4"},
                                dir + "/rtn4");
  const J squant4 = run_functional(photos, "resnet34_face",
                                   {"workload.scheme=squant", "workload.bits=4"}, dir + "/squant4");
  const double c8 = output_figure(int8, "embedding", "mean_cosine_similarity");
  const double c4 = output_figure(rtn4, "embedding", "mean_cosine_similarity");
  const double cs = output_figure(squant4, "embedding", "mean_cosine_similarity");
  EXPECT_GT(c8, 0.99);
  EXPECT_LT(c4, c8);
  EXPECT_GT(cs, c4) << "SQuant's rounding beats round-to-nearest at 4 bits";
  EXPECT_GT(output_figure(int8, "embedding", "sqnr_db"),
            output_figure(rtn4, "embedding", "sqnr_db") + 6);
}

TEST(FunctionalRun, CompareSetsSchemesSideBySideOnAgreementWithFloat) {
  const std::string photos = photo_dir();
  const CliResult r =
      run_strata({"compare", "-b", "configs/schemes/int4_rtn.json", "-c",
                  "configs/schemes/ant4_8.json", "-w", "resnet34_face", "--inputs", photos, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t table = r.out.find(
      "| design | resnet34_face output SQNR vs float dB | resnet34_face top-1 agreement with "
      "float | resnet34_face cosine to float |");
  ASSERT_NE(table, std::string::npos) << r.out;
  // The same figures as the designs' own functional runs.
  const std::string dir = make_temp_dir();
  const J rtn =
      run_functional(photos, "resnet34_face", {}, dir + "/rtn", "configs/schemes/int4_rtn.json");
  char row[128];
  std::snprintf(row, sizeof row, "| int4_rtn | %.2f |",
                rtn["totals"]["vs_float_output_sqnr_db"].get<double>());
  EXPECT_NE(r.out.find(row, table), std::string::npos) << row << "\n" << r.out;
  EXPECT_NE(r.out.find("| ant4_8 |", table), std::string::npos);
}

// The sensor's noise (docs/seeds.md): photo-electrons scale with the light exactly, the sensor's
// SQNR rises with it (~10 dB per decade where shot noise dominates, more where read noise
// matters), the optics shares each pixel's
// light among its channels and taps, and the network's output follows.
TEST(FunctionalRun, SensorNoiseFollowsTheLightAndTheOpticsSharesIt) {
  // One photograph: the sensor's figures are per pixel, and six runs of two cost 80 s under the
  // sanitizers.
  const std::string photos = photo_dir(1);
  const std::string dir = make_temp_dir();
  const std::vector<std::string> int8 = {"workload.scheme=rtn", "workload.bits=8",
                                         "sensor.enabled=true"};
  auto with = [&](std::vector<std::string> sets) {
    sets.insert(sets.begin(), int8.begin(), int8.end());
    return sets;
  };
  const J exact = run_functional(photos, "faceres",
                                 with({"optics.enabled=true", "sensor.noise=false"}), dir + "/x");
  EXPECT_TRUE(exact["totals"]["sensor_sqnr_db"].is_null());
  EXPECT_TRUE(exact["sensor"]["noise"].is_null());
  // The first layer left the array: 29 array layers, their figures the second layer's on.
  ASSERT_EQ(exact["layers"].size(), 29u);
  EXPECT_NE(exact["layers"][0]["name"], "conv0");
  EXPECT_TRUE(exact["layers"][0]["activation_type_measured"].is_string());
  EXPECT_EQ(exact["sensor"]["optical_first_layer"]["name"], "conv0");

  const J dim = run_functional(
      photos, "faceres", with({"optics.enabled=true", "sensor.white_electrons=300"}), dir + "/dim");
  const J bright =
      run_functional(photos, "faceres",
                     with({"optics.enabled=true", "sensor.white_electrons=3000"}), dir + "/bright");
  const J camera =
      run_functional(photos, "faceres", with({"sensor.white_electrons=3000"}), dir + "/camera");
  const auto t = [](const J& r, const char* c) { return r["totals"][c].get<double>(); };
  EXPECT_NEAR(t(bright, "sensor_electrons_per_pixel") / t(dim, "sensor_electrons_per_pixel"), 10,
              1e-9);
  const double gain_db = t(bright, "sensor_sqnr_db") - t(dim, "sensor_sqnr_db");
  EXPECT_GT(gain_db, 8);
  EXPECT_LT(gain_db, 13);  // above 10: read noise weighs more in the dim run
  EXPECT_GT(t(bright, "vs_float_cosine_similarity"), t(dim, "vs_float_cosine_similarity"));
  EXPECT_LT(t(bright, "vs_float_cosine_similarity"), t(exact, "vs_float_cosine_similarity"));
  // A camera pixel gets a whole pixel's light; an optical channel a share of it.
  EXPECT_GT(t(camera, "sensor_electrons_per_pixel"), 8 * t(bright, "sensor_electrons_per_pixel"));
  EXPECT_EQ(bright["sensor"]["noise"]["white_electrons"], 3000.0);
  // Seeded: the same inputs read the same noise.
  run_functional(photos, "faceres", with({"optics.enabled=true", "sensor.white_electrons=3000"}),
                 dir + "/again");
  EXPECT_EQ(read_file(dir + "/bright/report.json"), read_file(dir + "/again/report.json"));
}

}  // namespace
}  // namespace strata::test
