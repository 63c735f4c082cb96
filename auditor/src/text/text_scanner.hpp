// The bypass patterns over a text file. A Wu-Manber scan finds the literals every match must
// contain (SKIP_, --force, _CONSENT_ …); only a line holding one is matched against the RE2::Set
// of all patterns (a match never spans lines), then each pattern that hit is run alone on it to
// place its matches; matches inside '#' comments are dropped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "classify/bypass_patterns.hpp"

#include <re2/re2.h>
#include <re2/set.h>

namespace pmc::audit {

struct TextMatch {
  std::string token;      // the whole name or option the pattern matched in (APP_SKIP_CHECKS)
  std::string pattern;    // the contract's pattern
  bool flag = false;      // a flag pattern (--force), not a name pattern
  unsigned line = 0;      // 1-based
  unsigned column = 0;    // 1-based, in bytes
};

// Where a text holds one of a set of literals (Wu-Manber, two-byte blocks). With a literal
// shorter than two bytes it cannot skip and answers every position.
class LiteralFilter {
 public:
  explicit LiteralFilter(std::vector<std::string> literals);
  // The start of the first literal at or after `from`, or npos.
  std::size_t find(std::string_view text, std::size_t from) const;

 private:
  std::vector<std::string> literals_;
  std::size_t shortest_ = 0;
  std::array<std::uint8_t, 65536> shift_{};
  std::vector<std::vector<std::size_t>> ending_;  // per block with shift 0: the literals ending so
  std::array<std::int32_t, 65536> ending_index_{};  // block -> index into ending_, or -1
};

// The literal every match of a pattern contains: the pattern less its globs (the longest run
// between '*' of a name glob).
std::string required_literal(std::string_view pattern);

class TextScanner {
 public:
  explicit TextScanner(const BypassPatterns& patterns);
  ~TextScanner();
  TextScanner(const TextScanner&) = delete;
  TextScanner& operator=(const TextScanner&) = delete;

  // Every match outside comments, in file order, one per token.
  std::vector<TextMatch> scan(std::string_view text) const;

 private:
  // The matches of the patterns `hits` in one line, in order, one per token.
  void place(std::string_view row, const std::vector<int>& hits, unsigned line,
             std::vector<TextMatch>& matches) const;

  const BypassPatterns& patterns_;
  std::unique_ptr<re2::RE2::Set> set_;
  std::unique_ptr<LiteralFilter> filter_;
};

// Whether `offset` lies in a '#' comment: the line's first non-blank character is '#', or a '#'
// at the line's start or after a blank, outside quotes, comes before it (shell, YAML, CMake,
// Dockerfile, Makefile, .env, TOML, INI).
bool in_hash_comment(std::string_view text, std::size_t offset);

}  // namespace pmc::audit
