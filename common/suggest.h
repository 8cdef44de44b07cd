#pragma once
// "Did you mean ...?" for misspelled commands, options, workloads and config keys: the closest
// candidate by edit distance (insertions, deletions, substitutions and adjacent transpositions),
// if it is close enough to be a plausible typo, else a candidate the word is a prefix of.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace strata {

// Optimal-string-alignment distance; inputs are short (names), so the O(n m) table is fine.
inline size_t edit_distance(const std::string& a, const std::string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

// The candidate `word` was most likely meant to be, or "" if none is close: the one nearest within
// a third of the word's length in edits (at least 1, at most 3; a tie is no answer), else the only
// candidate starting with `word`.
inline std::string closest_match(const std::string& word,
                                 const std::vector<std::string>& candidates) {
  if (word.empty()) return "";
  const size_t limit = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::string best;
  size_t best_distance = limit + 1;
  bool tied = false;
  for (const auto& c : candidates) {
    const size_t distance = edit_distance(word, c);
    if (distance < best_distance) {
      best_distance = distance;
      best = c;
      tied = false;
    } else if (distance == best_distance && c != best) {
      tied = true;
    }
  }
  if (!best.empty()) return tied ? "" : best;  // two equally close: no guess
  std::string prefixed;
  for (const auto& c : candidates) {
    if (word.size() >= 3 && c.rfind(word, 0) == 0) {
      if (!prefixed.empty()) return "";  // ambiguous
      prefixed = c;
    }
  }
  return prefixed;
}

// "; did you mean 'X'?" to append to an error message, or "".
inline std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates,
                                const std::string& prefix = "") {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? "" : "; did you mean '" + prefix + match + "'?";
}

}  // namespace strata
