#include "hw_models/timesync/vcd_writer.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace strata {
namespace {

std::string identifier(int index) {
  // Printable ASCII identifiers, as VCD requires: '!' .. '~', several characters when needed.
  std::string id;
  do {
    id += static_cast<char>('!' + index % 94);
    index /= 94;
  } while (index > 0);
  return id;
}

std::string binary(uint64_t v) {
  if (v == 0) return "0";
  std::string s;
  while (v) {
    s += static_cast<char>('0' + (v & 1));
    v >>= 1;
  }
  return std::string(s.rbegin(), s.rend());
}

}  // namespace

int VcdWriter::declare(const std::string& name, int width) {
  signals_.push_back({name, width});
  return static_cast<int>(signals_.size() - 1);
}

void VcdWriter::change(double t_s, int signal, uint64_t value) {
  if (!in_window(t_s) || t_s < 0) return;
  changes_.push_back({static_cast<int64_t>(std::llround(t_s * 1e9)), signal, value,
                      static_cast<int64_t>(changes_.size())});
}

void VcdWriter::pulse(double t_s, int signal, double width_s) {
  change(t_s, signal, 1);
  change(t_s + width_s, signal, 0);
}

std::string VcdWriter::render(const std::string& scope) const {
  std::vector<Change> sorted = changes_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Change& a, const Change& b) {
    return a.t_ns != b.t_ns ? a.t_ns < b.t_ns : a.order < b.order;
  });
  std::ostringstream out;
  out << "$comment strata time-synchronization waveform $end\n$timescale 1ns $end\n";
  out << "$scope module " << scope << " $end\n";
  for (size_t i = 0; i < signals_.size(); ++i) {
    out << "$var " << (signals_[i].width == 1 ? "wire" : "reg") << " " << signals_[i].width << " "
        << identifier(static_cast<int>(i)) << " " << signals_[i].name << " $end\n";
  }
  out << "$upscope $end\n$enddefinitions $end\n$dumpvars\n";
  for (size_t i = 0; i < signals_.size(); ++i) {
    out << (signals_[i].width == 1 ? "0" : "b0 ") << identifier(static_cast<int>(i)) << "\n";
  }
  out << "$end\n";
  int64_t current = -1;
  for (const auto& c : sorted) {
    if (c.t_ns != current) {
      out << "#" << c.t_ns << "\n";
      current = c.t_ns;
    }
    const Signal& s = signals_[static_cast<size_t>(c.signal)];
    if (s.width == 1) {
      out << (c.value ? "1" : "0") << identifier(c.signal) << "\n";
    } else {
      out << "b" << binary(c.value) << " " << identifier(c.signal) << "\n";
    }
  }
  return out.str();
}

}  // namespace strata
