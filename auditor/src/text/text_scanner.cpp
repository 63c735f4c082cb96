// A literal scan per file, one RE2::Set match per line holding a literal, and only the patterns that
// hit run again to place their matches.
#include "text/text_scanner.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

namespace pmc::audit {
namespace {

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::uint16_t block_at(const char* at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(at[0]) << 8) | static_cast<unsigned char>(at[1]));
}

}  // namespace

std::string required_literal(std::string_view pattern) {
  std::string_view longest;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    std::size_t star = pattern.find('*', start);
    if (star == std::string_view::npos) star = pattern.size();
    if (star - start > longest.size()) longest = pattern.substr(start, star - start);
    start = star + 1;
  }
  return std::string(longest);
}

LiteralFilter::LiteralFilter(std::vector<std::string> literals) : literals_(std::move(literals)) {
  shortest_ = literals_.empty() ? 0 : literals_.front().size();
  for (const std::string& literal : literals_) shortest_ = std::min(shortest_, literal.size());
  if (shortest_ < 2) return;
  const std::size_t most = shortest_ - 1;  // the shift of a block no literal holds
  shift_.fill(static_cast<std::uint8_t>(std::min<std::size_t>(most, 255)));
  ending_index_.fill(-1);
  for (std::size_t index = 0; index < literals_.size(); ++index) {
    const std::string& literal = literals_[index];
    for (std::size_t end = 1; end < shortest_; ++end) {  // blocks of the literal's first `shortest_` bytes
      const std::uint16_t block = block_at(literal.data() + end - 1);
      const std::size_t shift = shortest_ - 1 - end;
      shift_[block] = static_cast<std::uint8_t>(std::min<std::size_t>(shift_[block], shift));
      if (shift == 0) {
        if (ending_index_[block] < 0) {
          ending_index_[block] = static_cast<std::int32_t>(ending_.size());
          ending_.emplace_back();
        }
        ending_[static_cast<std::size_t>(ending_index_[block])].push_back(index);
      }
    }
  }
}

std::size_t LiteralFilter::find(std::string_view text, std::size_t from) const {
  if (from > text.size()) return std::string_view::npos;
  if (shortest_ < 2) return from;
  const char* data = text.data();
  const std::size_t size = text.size();
  std::size_t at = from + shortest_ - 1;  // the last byte of the window
  while (at < size) {
    const std::uint16_t block = block_at(data + at - 1);
    const std::uint8_t shift = shift_[block];
    if (shift != 0) {
      at += shift;
      continue;
    }
    const std::size_t start = at + 1 - shortest_;
    for (const std::size_t index : ending_[static_cast<std::size_t>(ending_index_[block])]) {
      const std::string& literal = literals_[index];
      if (start + literal.size() <= size && std::memcmp(data + start, literal.data(), literal.size()) == 0) {
        return start;
      }
    }
    ++at;
  }
  return std::string_view::npos;
}

bool in_hash_comment(std::string_view text, std::size_t offset) {
  const std::size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  const std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
  char quote = '\0';
  for (std::size_t i = start; i < offset; ++i) {
    const char c = text[i];
    if (quote != '\0') {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = '\0';
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && (i == start || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      return true;
    }
  }
  return false;
}

TextScanner::TextScanner(const BypassPatterns& patterns) : patterns_(patterns) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);  // room for the set's DFA: it scans every byte of every file
  set_ = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (const std::string& expression : patterns.expressions()) {
    std::string error;
    if (set_->Add(expression, &error) < 0) throw std::invalid_argument(expression + ": " + error);
  }
  if (!set_->Compile()) throw std::invalid_argument("bypass patterns: RE2 cannot compile the set");
  std::vector<std::string> literals;
  for (std::size_t i = 0; i < patterns.size(); ++i) literals.push_back(required_literal(patterns.pattern(i)));
  filter_ = std::make_unique<LiteralFilter>(std::move(literals));
}

TextScanner::~TextScanner() = default;

void TextScanner::place(std::string_view row, const std::vector<int>& hits, unsigned line,
                        std::vector<TextMatch>& matches) const {
  std::map<std::size_t, TextMatch> by_offset;  // token start -> match: one finding per token
  for (const int hit : hits) {
    const std::size_t expression = static_cast<std::size_t>(hit);
    const re2::RE2& compiled = patterns_.compiled(expression);
    const bool flag = patterns_.is_flag(expression);
    re2::StringPiece groups[2];
    std::size_t position = 0;
    while (position <= row.size() &&
           compiled.Match(row, position, row.size(), re2::RE2::UNANCHORED, groups, 2)) {
      std::size_t begin = static_cast<std::size_t>(groups[1].data() - row.data());
      std::size_t end = begin + groups[1].size();
      // The whole token: APP_SKIP_CHECKS around SKIP_, --force-reset around --force.
      while (begin > 0 && name_char(row[begin - 1]) && !flag) --begin;
      while (end < row.size() && (name_char(row[end]) || (flag && row[end] == '-'))) ++end;
      position = std::max(end, static_cast<std::size_t>(groups[0].data() - row.data()) + 1);
      if (by_offset.count(begin) != 0 || in_hash_comment(row, begin)) continue;
      by_offset.emplace(begin, TextMatch{std::string(row.substr(begin, end - begin)),
                                         patterns_.pattern(expression), flag, line,
                                         static_cast<unsigned>(begin + 1)});
    }
  }
  for (auto& [offset, match] : by_offset) matches.push_back(std::move(match));
}

std::vector<TextMatch> TextScanner::scan(std::string_view text) const {
  std::vector<TextMatch> matches;
  if (patterns_.size() == 0) return matches;
  std::vector<int> hits;
  unsigned line = 1;
  std::size_t counted = 0;  // line numbers are known up to this offset
  // A match never spans lines and holds its pattern's literal: only lines with a literal in
  // them go through the set.
  std::size_t found = filter_->find(text, 0);
  while (found != std::string_view::npos) {
    const std::size_t newline_before = found == 0 ? std::string_view::npos : text.rfind('\n', found - 1);
    const std::size_t begin = newline_before == std::string_view::npos ? 0 : newline_before + 1;
    const std::size_t newline = text.find('\n', found);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view row = text.substr(begin, end - begin);
    hits.clear();
    if (set_->Match(row, &hits)) {
      std::sort(hits.begin(), hits.end());
      line += static_cast<unsigned>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                               text.begin() + static_cast<std::ptrdiff_t>(begin), '\n'));
      counted = begin;
      place(row, hits, line, matches);
    }
    found = newline == std::string_view::npos ? newline : filter_->find(text, newline + 1);
  }
  return matches;
}

}  // namespace pmc::audit
