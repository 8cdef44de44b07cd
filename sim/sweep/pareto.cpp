#include "sim/sweep/pareto.h"

#include <algorithm>
#include <limits>

#include "common/input_error.h"

namespace strata {

size_t CsvTable::column(const std::string& name, const std::string& file) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  std::string names;
  for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
  throw InputError(file + ": no column '" + name + "' (columns: " + names + ")");
}

CsvTable parse_csv(const std::string& text, const std::string& file) {
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  size_t line = 1;
  auto end_row = [&]() {
    row.push_back(field);
    field.clear();
    if (t.header.empty()) {
      t.header = row;
    } else if (row.size() != t.header.size()) {
      throw InputError(file + ":" + std::to_string(line) + ": expected " +
                       std::to_string(t.header.size()) + " fields, got " +
                       std::to_string(row.size()));
    } else {
      t.rows.push_back(row);
    }
    row.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n') {
      end_row();
      ++line;
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted) throw InputError(file + ":" + std::to_string(line) + ": unterminated quoted field");
  if (any || !field.empty()) end_row();
  if (t.header.empty()) throw InputError(file + ": empty, expected a header line");
  return t;
}

std::vector<ParetoPoint> pareto_front(std::vector<ParetoPoint> points, bool maximize_x,
                                      bool maximize_y) {
  // Work in "smaller is better" on both axes.
  for (auto& p : points) {
    if (maximize_x) p.x = -p.x;
    if (maximize_y) p.y = -p.y;
  }
  std::sort(points.begin(), points.end(), [](const ParetoPoint& a, const ParetoPoint& b) {
    return a.x != b.x ? a.x < b.x : (a.y != b.y ? a.y < b.y : a.row < b.row);
  });
  std::vector<ParetoPoint> front;
  double best_y = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < points.size(); ++i) {
    // Equal points are all on the front; a point with the same x and a worse y is not.
    if (points[i].y < best_y ||
        (!front.empty() && points[i].x == front.back().x && points[i].y == front.back().y)) {
      front.push_back(points[i]);
      best_y = std::min(best_y, points[i].y);
    }
  }
  for (auto& p : front) {
    if (maximize_x) p.x = -p.x;
    if (maximize_y) p.y = -p.y;
  }
  if (maximize_x) std::reverse(front.begin(), front.end());
  return front;
}

}  // namespace strata
