// The bypass patterns of rules/contract.json as the auditor matches them: names by '_'-separated
// segments, globs over whole names, flags in dashed form, option-spec literals, and the text
// scanner's places and comments.
#include <gtest/gtest.h>

#include <filesystem>

#include "classify/bypass_patterns.hpp"
#include "pmc/contract.hpp"
#include "text/text_scanner.hpp"

namespace pmc::audit {
namespace {

const BypassPatterns& contract_patterns() {
  static const contract::Contract contract =
      contract::load_file(std::filesystem::path(PMC_SOURCE_DIR) / "rules" / "contract.json");
  static const BypassPatterns patterns(contract.bypass.name_patterns, contract.bypass.flag_patterns);
  return patterns;
}

std::string name_match(std::string_view name) {
  const std::string* pattern = contract_patterns().match_name(name);
  return pattern == nullptr ? "" : *pattern;
}

std::string flag_match(std::string_view option) {
  const std::string* pattern = contract_patterns().match_flag(option);
  return pattern == nullptr ? "" : *pattern;
}

TEST(BypassNames, PrefixPatternsMatchAtSegmentStarts) {
  EXPECT_EQ(name_match("SKIP_FINGERPRINT"), "SKIP_");
  EXPECT_EQ(name_match("APP_SKIP_CHECKS"), "SKIP_");
  EXPECT_EQ(name_match("BYPASS_GUARD"), "BYPASS_");
  EXPECT_EQ(name_match("PMC_FORCE_APPLY"), "FORCE_");
  EXPECT_EQ(name_match("OVERRIDE_ENV"), "OVERRIDE_");
}

TEST(BypassNames, NearMissesDoNotMatch) {
  EXPECT_EQ(name_match("ALLOWED_COLUMNS"), "");  // segment ALLOWED, not ALLOW
  EXPECT_EQ(name_match("kAllowedTables"), "");
  EXPECT_EQ(name_match("allowlist"), "");
  EXPECT_EQ(name_match("enforce_ci_only_execution"), "");
  EXPECT_EQ(name_match("skip_fingerprint"), "");  // case-sensitive
  EXPECT_EQ(name_match("SKIPPED_ROWS"), "");
  EXPECT_EQ(name_match("XSKIP_Y"), "");
  EXPECT_EQ(name_match("NO_VERIFYING"), "");
  EXPECT_EQ(name_match("CONSENTED"), "");
  EXPECT_EQ(name_match("SKIP"), "");  // SKIP_ wants a segment after it
}

TEST(BypassNames, WholeNamesMatchAsSegments) {
  EXPECT_EQ(name_match("NO_VERIFY"), "NO_VERIFY");
  EXPECT_EQ(name_match("GIT_NO_VERIFY"), "NO_VERIFY");
  EXPECT_EQ(name_match("safety_assured"), "safety_assured");
  EXPECT_EQ(name_match("safeupdate.enabled"), "safeupdate.enabled");
  // Listed whole, and also caught by its DISABLE_ segment: the first pattern listed wins.
  EXPECT_EQ(name_match("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK"), "DISABLE_");
}

TEST(BypassNames, GlobsMatchWholeNames) {
  EXPECT_EQ(name_match("PRISMA_USER_CONSENT_FOR_DANGEROUS_AI_ACTION"), "*_CONSENT_*");
  EXPECT_EQ(name_match("I_ACCEPT_DATA_LOSS"), "*_ACCEPT_*");
  EXPECT_EQ(name_match("ACCEPT_HEADER"), "");  // the glob wants a segment before ACCEPT
}

TEST(BypassPatterns, OwnPatternsAreTranslatedOnce) {
  BypassPatterns patterns({"ALLOW_", "*_CONSENT_*", "NO_VERIFY"}, {"--force", "--skip-*"});
  EXPECT_EQ(patterns.size(), 5u);
  EXPECT_FALSE(patterns.is_flag(2));
  EXPECT_TRUE(patterns.is_flag(3));
  EXPECT_EQ(BypassPatterns::name_expression("ALLOW_"), "(?:^|[^A-Za-z0-9])(ALLOW_)");
  EXPECT_EQ(BypassPatterns::flag_expression("--skip-*"), "(?:^|[^A-Za-z0-9_-])(\\-\\-skip\\-[A-Za-z0-9_-]*)");
  EXPECT_NE(patterns.match_name("ALLOW_PROD"), nullptr);
  EXPECT_EQ(patterns.match_name("SKIP_X"), nullptr);  // not one of these patterns
}

TEST(BypassFlags, DashedOptions) {
  EXPECT_EQ(flag_match("--force"), "--force");
  EXPECT_EQ(flag_match("--force=yes"), "--force");
  EXPECT_EQ(flag_match("--force-reset"), "--force");
  EXPECT_EQ(flag_match("--skip-fingerprint"), "--skip-*");
  EXPECT_EQ(flag_match("--unsafe"), "--unsafe*");
  EXPECT_EQ(flag_match("--unsafely"), "--unsafe*");
  EXPECT_EQ(flag_match("--no-verify"), "--no-verify");
  EXPECT_EQ(flag_match("--accept-data-loss"), "--accept-data-loss");
  EXPECT_EQ(flag_match("--allow-prod"), "--allow-*");
}

TEST(BypassFlags, NearMisses) {
  EXPECT_EQ(flag_match("--forced"), "");
  EXPECT_EQ(flag_match("--enforce"), "");
  EXPECT_EQ(flag_match("--dry-run"), "");
  EXPECT_EQ(flag_match("--allowlist"), "");  // --allow-* wants the dash
  EXPECT_EQ(flag_match("--apply"), "");
  EXPECT_EQ(flag_match("-f"), "");
  EXPECT_EQ(flag_match("--skip"), "");
}

TEST(OptionSpecs, OnlyLiteralsThatAreExactlyOptions) {
  EXPECT_EQ(option_spec_options("--force"), std::vector<std::string>{"--force"});
  EXPECT_EQ(option_spec_options("-f,--force"), (std::vector<std::string>{"-f", "--force"}));
  EXPECT_EQ(option_spec_options(" -f, --force "), (std::vector<std::string>{"-f", "--force"}));
  EXPECT_EQ(option_spec_options("--skip-"), std::vector<std::string>{"--skip-"});
  EXPECT_EQ(option_spec_options("--force=1"), std::vector<std::string>{"--force=1"});
  EXPECT_TRUE(option_spec_options("use --force to overwrite").empty());
  EXPECT_TRUE(option_spec_options("--force is not allowed").empty());
  EXPECT_TRUE(option_spec_options("-").empty());
  EXPECT_TRUE(option_spec_options("").empty());
  EXPECT_TRUE(option_spec_options("force").empty());
}

std::vector<std::string> tokens(std::string_view text) {
  const TextScanner scanner(contract_patterns());
  std::vector<std::string> found;
  for (const TextMatch& match : scanner.scan(text)) {
    found.push_back(match.token + "@" + std::to_string(match.line) + ":" + std::to_string(match.column));
  }
  return found;
}

TEST(TextScanner, PlacesEachTokenOnce) {
  EXPECT_EQ(tokens("env:\n  APP_SKIP_CHECKS: 1\n"), std::vector<std::string>{"APP_SKIP_CHECKS@2:3"});
  EXPECT_EQ(tokens("run: prisma migrate reset --force-reset && git push --force\n"),
            (std::vector<std::string>{"--force-reset@1:27", "--force@1:53"}));
  // Two patterns on one name: one match.
  EXPECT_EQ(tokens("export DISABLE_DATABASE_ENVIRONMENT_CHECK=1"),
            std::vector<std::string>{"DISABLE_DATABASE_ENVIRONMENT_CHECK@1:8"});
  EXPECT_EQ(tokens("SKIP_A=1 SKIP_B=2\nSKIP_A=3"),
            (std::vector<std::string>{"SKIP_A@1:1", "SKIP_B@1:10", "SKIP_A@2:1"}));
}

TEST(TextScanner, NearMissesAndComments) {
  EXPECT_TRUE(tokens("ALLOWED_COLUMNS=name kAllowedTables allowlist --dry-run --forced").empty());
  EXPECT_TRUE(tokens("# SKIP_FINGERPRINT is not supported\n  # --force neither\n").empty());
  EXPECT_TRUE(tokens("run: make  # expect: bypass-text, SKIP_X\n").empty());
  EXPECT_EQ(tokens("echo \"a # b SKIP_X\""), std::vector<std::string>{"SKIP_X@1:13"});
  EXPECT_EQ(tokens("url=a#SKIP_X"), std::vector<std::string>{"SKIP_X@1:7"});  // no blank before '#'
}

TEST(TextScanner, HashComments) {
  EXPECT_TRUE(in_hash_comment("# x", 2));
  EXPECT_TRUE(in_hash_comment("a: 1 # x", 7));
  EXPECT_FALSE(in_hash_comment("a: '# x'", 6));
  EXPECT_FALSE(in_hash_comment("# x\ny", 4));
}

}  // namespace
}  // namespace pmc::audit
