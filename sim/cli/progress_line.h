#pragma once
// One status line on a terminal's stderr, rewritten in place ("\r"), so long commands show what
// they are doing; nothing at all when stderr is not a terminal (logs and pipes stay clean) or the
// command is quiet. The line is cleared when done.
#include <unistd.h>

#include <iostream>
#include <string>

namespace strata {

class ProgressLine {
 public:
  explicit ProgressLine(bool quiet) : enabled_(!quiet && isatty(STDERR_FILENO)) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { clear(); }

  bool enabled() const { return enabled_; }

  void show(std::string text) {
    if (!enabled_) return;
    if (text.size() > kWidth) text = text.substr(0, kWidth - 3) + "...";
    const size_t pad = shown_ > text.size() ? shown_ - text.size() : 0;
    std::cerr << "\r" << text << std::string(pad, ' ') << std::flush;
    shown_ = text.size();
  }

  void clear() {
    if (!enabled_ || shown_ == 0) return;
    std::cerr << "\r" << std::string(shown_, ' ') << "\r" << std::flush;
    shown_ = 0;
  }

 private:
  static constexpr size_t kWidth = 100;
  bool enabled_;
  size_t shown_ = 0;
};

}  // namespace strata
