// Terminal summaries: quantities in the unit that fits, three significant digits; and the
// "did you mean" matcher behind the CLI's suggestions.
#include <gtest/gtest.h>

#include "common/suggest.h"
#include "sim/report/human_units.h"

namespace strata {
namespace {

TEST(HumanUnits, DurationsPickTheUnitThatFits) {
  EXPECT_EQ(human_duration(2.925e-9), "2.93 ns");
  EXPECT_EQ(human_duration(155.278e-9), "155 ns");
  EXPECT_EQ(human_duration(999.7e-9), "1.00 us");  // rounds into the next unit
  EXPECT_EQ(human_duration(2.002014e-6), "2.00 us");
  EXPECT_EQ(human_duration(13748381.865e-9), "13.7 ms");
  EXPECT_EQ(human_duration(0.5), "500 ms");
  EXPECT_EQ(human_duration(1.0), "1.00 s");
  EXPECT_EQ(human_duration(300), "300 s");
  EXPECT_EQ(human_duration(0), "0 s");
  EXPECT_EQ(human_duration(-3e-6), "-3.00 us");
}

TEST(HumanUnits, LengthsPickTheUnitThatFits) {
  EXPECT_EQ(human_length(2.67e-7), "0.267 um");
  EXPECT_EQ(human_length(4.2e-3), "4.20 mm");
  EXPECT_EQ(human_length(0.420033754), "42.0 cm");
  EXPECT_EQ(human_length(0.3), "30.0 cm");
  EXPECT_EQ(human_length(12.5), "12.5 m");
}

TEST(HumanUnits, ThreeSignificantDigits) {
  EXPECT_EQ(three_significant(1234.6), "1235");
  EXPECT_EQ(three_significant(0.0042), "0.00420");
  EXPECT_EQ(three_significant(99.96), "100");
  EXPECT_EQ(three_significant(3533.177171), "3533");
  EXPECT_EQ(three_significant(2.5e7), "2.50e+07");
}

TEST(Suggest, ClosestWithinATypoElseAUniquePrefix) {
  const std::vector<std::string> names = {"resnet18", "resnet50", "mobilenet_v1", "bert_base"};
  EXPECT_EQ(closest_match("resnet81", names), "resnet18");  // transposition
  EXPECT_EQ(closest_match("resnet5", names), "resnet50");
  EXPECT_EQ(closest_match("mobilenetv1", names), "mobilenet_v1");
  EXPECT_EQ(closest_match("bert", names), "bert_base");  // unique prefix
  EXPECT_EQ(closest_match("resnet", names), "");         // two prefixes: ambiguous
  EXPECT_EQ(closest_match("vgg16", names), "");
  EXPECT_EQ(did_you_mean("otu", {"out", "set"}, "--"), "; did you mean '--out'?");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace strata
