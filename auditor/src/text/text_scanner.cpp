// One RE2::Set pass per file; only the patterns that hit are run again to find their places.
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

bool LiteralFilter::may_match(std::string_view text) const {
  if (shortest_ < 2) return true;
  const char* data = text.data();
  const std::size_t size = text.size();
  std::size_t at = shortest_ - 1;  // the last byte of the window
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
        return true;
      }
    }
    ++at;
  }
  return false;
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

std::vector<TextMatch> TextScanner::scan(std::string_view text) const {
  std::vector<int> hits;
  if (patterns_.size() == 0 || !filter_->may_match(text) || !set_->Match(text, &hits)) return {};
  std::sort(hits.begin(), hits.end());
  std::map<std::size_t, TextMatch> by_offset;  // token start -> match: one finding per token
  for (const int hit : hits) {
    const std::size_t expression = static_cast<std::size_t>(hit);
    const re2::RE2& compiled = patterns_.compiled(expression);
    const bool flag = patterns_.is_flag(expression);
    re2::StringPiece groups[2];
    std::size_t position = 0;
    while (position <= text.size() &&
           compiled.Match(text, position, text.size(), re2::RE2::UNANCHORED, groups, 2)) {
      std::size_t begin = static_cast<std::size_t>(groups[1].data() - text.data());
      std::size_t end = begin + groups[1].size();
      // The whole token: APP_SKIP_CHECKS around SKIP_, --force-reset around --force.
      while (begin > 0 && name_char(text[begin - 1]) && !flag) --begin;
      while (end < text.size() && (name_char(text[end]) || (flag && text[end] == '-'))) ++end;
      position = std::max(end, static_cast<std::size_t>(groups[0].data() - text.data()) + 1);
      if (by_offset.count(begin) != 0 || in_hash_comment(text, begin)) continue;
      by_offset.emplace(begin, TextMatch{std::string(text.substr(begin, end - begin)),
                                         patterns_.pattern(expression), flag, 0, 0});
    }
  }
  std::vector<TextMatch> matches;
  unsigned line = 1;
  std::size_t line_start = 0;
  std::size_t counted = 0;
  for (auto& [offset, match] : by_offset) {
    for (; counted < offset; ++counted) {
      if (text[counted] == '\n') {
        ++line;
        line_start = counted + 1;
      }
    }
    match.line = line;
    match.column = static_cast<unsigned>(offset - line_start + 1);
    matches.push_back(std::move(match));
  }
  return matches;
}

}  // namespace pmc::audit
