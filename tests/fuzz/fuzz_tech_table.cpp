// A technology table (configs/tech/*.json): entries with sources, SRAM point tables, DRAM types,
// the vector unit's per-op energies, and a base table to scale from. The input is t.json; it may
// scale from base.json (the 45 nm table) or from itself.
#include "fuzz_support.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/tech_table.h"
#include "workloads/text_file.h"

STRATA_FUZZ_TARGET(tech_table) {
  using namespace strata;
  static const std::string base = fuzz::write_scratch(
      "base.json", read_text_file(std::string(STRATA_SOURCE_DIR) + "/configs/tech/45nm.json"));
  const std::string path = fuzz::write_scratch("t.json", fuzz::input_text(data, size));
  return fuzz::expect_input_errors_only([&] {
    const TechTable t = load_tech_table(path);
    tech_table_entries(t);
    EnergyModel model(SocParams{}, t);  // every entry the model reads, and the SRAM lookups
    (void)model;
  });
}
