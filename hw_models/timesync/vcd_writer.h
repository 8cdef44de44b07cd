#pragma once
// A value-change-dump writer for a waveform viewer (GTKWave): signals are declared, changes are
// recorded at true times within a window from t = 0, and the file is rendered sorted by time at
// 1 ns resolution. Kept outside the SystemC kernel so long runs trace only the window they need.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

class VcdWriter {
 public:
  explicit VcdWriter(double window_s) : window_s_(window_s) {}
  // Returns the signal's handle. Width 1: a wire; wider: a vector (values as unsigned integers).
  int declare(const std::string& name, int width);
  void change(double t_s, int signal, uint64_t value);
  // A 1-bit pulse: high at t_s, low `width_s` later.
  void pulse(double t_s, int signal, double width_s);
  bool in_window(double t_s) const { return t_s <= window_s_; }
  std::string render(const std::string& scope) const;

 private:
  struct Signal {
    std::string name;
    int width;
  };
  struct Change {
    int64_t t_ns;
    int signal;
    uint64_t value;
    int64_t order;
  };
  double window_s_;
  std::vector<Signal> signals_;
  std::vector<Change> changes_;
};

}  // namespace strata
