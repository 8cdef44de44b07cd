#pragma once
// Pareto fronts of sweep results (docs/sweeps.md): the rows no other row beats on both metrics.
#include <string>
#include <vector>

namespace strata {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t column(const std::string& name, const std::string& file) const;  // InputError if absent
};

// RFC-4180-style: commas, double quotes with "" escapes; throws InputError "<file>:<line>: ...".
CsvTable parse_csv(const std::string& text, const std::string& file);

struct ParetoPoint {
  size_t row = 0;  // index into the table's rows
  double x = 0, y = 0;
};

// The non-dominated points among (x, y) pairs, minimizing each unless told to maximize, sorted by
// x. A point is dominated when another is at least as good on both and better on one.
std::vector<ParetoPoint> pareto_front(std::vector<ParetoPoint> points, bool maximize_x,
                                      bool maximize_y);

}  // namespace strata
