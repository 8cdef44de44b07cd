#pragma once
// Text from input files (node, engine, layer and file names, values) made safe to print on one
// line and to write into JSON: control characters (newlines, ESC of terminal escape sequences,
// the C1 controls) are written as escapes (\n, \x1b, \u009b), and bytes that are not UTF-8 as
// \xNN. Printable UTF-8 stays as it is.
#include <cstdio>
#include <string>

#include "common/utf8.h"

namespace strata {

inline std::string printable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  char buf[8];
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len > 0 && i + len <= s.size() && valid_utf8(s.substr(i, len))) {
      // C1 controls (U+0080..U+009F, 0xC2 0x80..0x9F) act on terminals like ESC sequences.
      const unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (c == 0xC2 && d < 0xA0) {
        std::snprintf(buf, sizeof buf, "\\u%04x", d);
        out += buf;
      } else {
        out.append(s, i, len);
      }
      i += len;
      continue;
    }
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
    ++i;
  }
  return out;
}

}  // namespace strata
