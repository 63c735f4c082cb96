// The contract's bypass patterns (rules/contract.json, "bypass") as RE2 expressions, compiled
// once: names (SKIP_, *_CONSENT_*, safety_assured …) and command-line flags (--skip-*, --force …).
// Shared by the C/C++ collector, the rules and the text scanner. No Clang, no contract loader.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

namespace pmc::audit {

// How a pattern matches (case-sensitive; names split into '_'-separated segments):
// - a name pattern ending in '_' (SKIP_) matches where those segments begin a name or follow a
//   '_': SKIP_FINGERPRINT, APP_SKIP_CHECKS; not ALLOWED_COLUMNS, kAllowedTables, SKIPPED_ROWS;
// - any other name pattern without '*' (NO_VERIFY, PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK,
//   safety_assured, safeupdate.enabled) matches as whole segments: GIT_NO_VERIFY, not NO_VERIFYING;
// - a name pattern with '*' is a glob over the whole name, '*' standing for any run of letters,
//   digits and '_': *_CONSENT_* matches PRISMA_USER_CONSENT_FOR_AI, not CONSENTED;
// - a flag pattern is matched against an option in its dashed form. Without '*' (--force,
//   --no-verify) it matches the option and its dashed extensions (--force, --force=1,
//   --force-reset), not --forced; with a trailing '*' (--skip-*, --unsafe*) any continuation.
class BypassPatterns {
 public:
  BypassPatterns(std::vector<std::string> name_patterns, std::vector<std::string> flag_patterns);
  ~BypassPatterns();
  BypassPatterns(const BypassPatterns&) = delete;
  BypassPatterns& operator=(const BypassPatterns&) = delete;

  // The contract pattern a name (identifier, macro, environment variable) matches, or nullptr.
  const std::string* match_name(std::string_view name) const;
  // The contract pattern a dashed option (--force, --force=yes) matches, or nullptr.
  const std::string* match_flag(std::string_view option) const;

  // Every pattern as an unanchored RE2 expression over text, names first then flags. Group 1 is
  // the matched part; the expressions hold their own boundaries (a character before the match
  // may be consumed).
  const std::vector<std::string>& expressions() const { return expressions_; }
  const std::string& pattern(std::size_t expression) const { return patterns_[expression]; }
  bool is_flag(std::size_t expression) const { return expression >= name_count_; }
  const re2::RE2& compiled(std::size_t expression) const { return *compiled_[expression]; }
  std::size_t size() const { return expressions_.size(); }

  // The translation of one pattern (exposed for tests and for other tools such as ripgrep).
  static std::string name_expression(std::string_view pattern);
  static std::string flag_expression(std::string_view pattern);

 private:
  const std::string* first_match(std::string_view text, std::size_t begin, std::size_t end,
                                 const re2::RE2::Set& set) const;

  std::vector<std::string> patterns_;
  std::vector<std::string> expressions_;
  std::vector<std::unique_ptr<re2::RE2>> compiled_;
  std::size_t name_count_ = 0;
  std::unique_ptr<re2::RE2::Set> names_;
  std::unique_ptr<re2::RE2::Set> flags_;
};

// The options of a string literal that is exactly an option specification: "--force",
// "-f,--force" (CLI11's form), "--force=yes", "--skip-" (a prefix compared with argv). Anything
// else, such as help text ("use --force to …"), holds no option: an empty result.
std::vector<std::string> option_spec_options(std::string_view literal);

}  // namespace pmc::audit
