// Translation of the contract's bypass patterns into RE2 expressions, and option literals.
#include "classify/bypass_patterns.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <stdexcept>

namespace pmc::audit {
namespace {

constexpr std::string_view kNameChars = "[A-Za-z0-9_]";

std::unique_ptr<re2::RE2::Set> make_set(const std::vector<std::string>& expressions, std::size_t begin,
                                   std::size_t end) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (std::size_t i = begin; i < end; ++i) {
    std::string error;
    if (set->Add(expressions[i], &error) < 0) {
      throw std::invalid_argument("bypass pattern expression " + expressions[i] + ": " + error);
    }
  }
  if (!set->Compile()) throw std::invalid_argument("bypass patterns: RE2 cannot compile the set");
  return set;
}

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string BypassPatterns::name_expression(std::string_view pattern) {
  if (pattern.find('*') != std::string_view::npos) {
    std::string glob;
    for (const char c : pattern) {
      glob += c == '*' ? std::string(kNameChars) + "*" : re2::RE2::QuoteMeta(std::string(1, c));
    }
    return "(?:^|[^A-Za-z0-9_])(" + glob + ")(?:$|[^A-Za-z0-9_])";
  }
  const std::string quoted = re2::RE2::QuoteMeta(std::string(pattern));
  const bool open_end = !pattern.empty() && pattern.back() == '_';
  return "(?:^|[^A-Za-z0-9])(" + quoted + ")" + (open_end ? "" : "(?:$|[^A-Za-z0-9])");
}

std::string BypassPatterns::flag_expression(std::string_view pattern) {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return "(?:^|[^A-Za-z0-9_-])(" + re2::RE2::QuoteMeta(std::string(pattern)) + "[A-Za-z0-9_-]*)";
  }
  return "(?:^|[^A-Za-z0-9_-])(" + re2::RE2::QuoteMeta(std::string(pattern)) + ")(?:$|[^A-Za-z0-9_])";
}

BypassPatterns::BypassPatterns(std::vector<std::string> name_patterns,
                               std::vector<std::string> flag_patterns) {
  name_count_ = name_patterns.size();
  for (std::string& pattern : name_patterns) {
    expressions_.push_back(name_expression(pattern));
    patterns_.push_back(std::move(pattern));
  }
  for (std::string& pattern : flag_patterns) {
    expressions_.push_back(flag_expression(pattern));
    patterns_.push_back(std::move(pattern));
  }
  for (const std::string& expression : expressions_) {
    auto compiled = std::make_unique<re2::RE2>(expression, re2::RE2::Quiet);
    if (!compiled->ok()) {
      throw std::invalid_argument("bypass pattern expression " + expression + ": " + compiled->error());
    }
    compiled_.push_back(std::move(compiled));
  }
  if (name_count_ > 0) names_ = make_set(expressions_, 0, name_count_);
  if (expressions_.size() > name_count_) flags_ = make_set(expressions_, name_count_, expressions_.size());
}

BypassPatterns::~BypassPatterns() = default;

const std::string* BypassPatterns::first_match(std::string_view text, std::size_t begin,
                                               std::size_t end, const re2::RE2::Set& set) const {
  std::vector<int> hits;
  if (!set.Match(text, &hits) || hits.empty()) return nullptr;
  const std::size_t first = static_cast<std::size_t>(*std::min_element(hits.begin(), hits.end()));
  return begin + first < end ? &patterns_[begin + first] : nullptr;
}

const std::string* BypassPatterns::match_name(std::string_view name) const {
  if (names_ == nullptr) return nullptr;
  return first_match(name, 0, name_count_, *names_);
}

const std::string* BypassPatterns::match_flag(std::string_view option) const {
  if (flags_ == nullptr) return nullptr;
  // Only the option itself: "--force" in "--force=yes", not what follows the '='.
  const std::size_t equals = option.find('=');
  if (equals != std::string_view::npos) option = option.substr(0, equals);
  if (option.size() < 3 || option.substr(0, 2) != "--") return nullptr;
  return first_match(option, name_count_, expressions_.size(), *flags_);
}

std::vector<std::string> option_spec_options(std::string_view literal) {
  static const re2::RE2 kOption(R"(--?[A-Za-z0-9][A-Za-z0-9_.+-]*(?:=\S*)?)");
  std::vector<std::string> options;
  std::string_view rest = literal;
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = trim(rest.substr(0, comma));
    if (!re2::RE2::FullMatch(part, kOption)) return {};
    options.emplace_back(part);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return options;
}

}  // namespace pmc::audit
