// --rules runs only the named rules: a text rule alone parses no unit, needs no
// compile_commands.json and no Clang module; an unknown id is a usage error; binary, Markdown and
// deleted files are skipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

std::set<Expected> only_rule(const std::set<Expected>& all, const std::string& rule) {
  std::set<Expected> kept;
  for (const Expected& item : all) {
    if (std::get<2>(item) == rule) kept.insert(item);
  }
  return kept;
}

TEST(RuleSelection, TextRuleAloneParsesNoUnit) {
  const FixtureRepository repository("bypass-text");
  const fs::path empty = repository.build() / "empty";  // no compile_commands.json here
  fs::create_directories(empty);
  const AuditRun run = FixtureRepository::run(
      {"-p", empty.string(), "--rules", "bypass-text", "--format", "json", repository.root().string()});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  EXPECT_EQ(run.report.at("summary").at("units").get<std::size_t>(), 0u);
  const std::set<Expected> expected = only_rule(repository.expectations(), "bypass-text");
  EXPECT_GE(expected.size(), 10u);
  EXPECT_EQ(reported(run.report), expected) << describe(reported(run.report));
}

TEST(RuleSelection, SeveralRulesByCommasOrRepeats) {
  const FixtureRepository repository("bypass");
  const AuditRun run = repository.audit(
      {"--rules", "bypass-env-write,bypass-ci-check", "--rules", "bypass-name", "--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  std::set<Expected> expected = repository.expectations();
  EXPECT_EQ(reported(run.report), expected) << describe(reported(run.report));

  const AuditRun one = repository.audit({"--rules", "bypass-env-write", "--format", "json"});
  ASSERT_TRUE(one.report.is_object()) << one.process.err;
  EXPECT_EQ(reported(one.report), only_rule(expected, "bypass-env-write"));
}

TEST(RuleSelection, UnknownRuleIsAUsageError) {
  const FixtureRepository repository("clean");
  const AuditRun run = repository.audit({"--rules", "bypass-text,no-such-rule"});
  EXPECT_EQ(run.process.exit_code, 2) << run.process.out << run.process.err;
  EXPECT_EQ(run.process.err.rfind("pmc-audit: error [PMC-A021]: ", 0), 0u) << run.process.err;
  EXPECT_NE(run.process.err.find("'no-such-rule'"), std::string::npos) << run.process.err;
  EXPECT_TRUE(run.process.out.empty()) << run.process.out;
}

TEST(RuleSelection, TextRuleSkipsBinaryMarkdownAndContractFiles) {
  const FixtureRepository repository("");
  repository.write("notes.md", "SKIP_FINGERPRINT --force\n");
  repository.write("CONTRACT.md", "SKIP_FINGERPRINT\n");
  repository.write("rules/extra.txt", "SKIP_FINGERPRINT\n");
  repository.write("logo.png", std::string("\x89PNG\0SKIP_FINGERPRINT", 21));
  repository.write("deploy.env", "# SKIP_FINGERPRINT=1 is refused\nFORCE_DEPLOY=1\n");
  const AuditRun run = repository.audit({"--rules", "bypass-text", "--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  EXPECT_EQ(reported(run.report), (std::set<Expected>{{"deploy.env", 2, "bypass-text"}}))
      << describe(reported(run.report));
}

TEST(RuleSelection, TextRuleAloneLoadsNoClang) {
  const FixtureRepository repository("bypass-text");
  // pmc-audit alone, without pmc-audit-clang.so beside it.
  const fs::path alone = repository.build() / "alone";
  fs::create_directories(alone);
  fs::copy_file(PMC_AUDIT_BINARY, alone / "pmc-audit");
  const std::string binary = (alone / "pmc-audit").string();

  const ProcessResult text = run_process(
      {binary, "--rules", "bypass-text", "--format", "json", repository.root().string()}, clean_environment());
  EXPECT_EQ(text.exit_code, 1) << text.err;
  const nlohmann::json report = nlohmann::json::parse(text.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << text.out << text.err;
  EXPECT_EQ(reported(report), only_rule(repository.expectations(), "bypass-text"));

  const ProcessResult code = run_process(
      {binary, "-p", repository.build().string(), repository.root().string()}, clean_environment());
  EXPECT_EQ(code.exit_code, 2) << code.out << code.err;
  EXPECT_EQ(code.err.rfind("pmc-audit: error [PMC-A010]: cannot load " + (alone / "pmc-audit-clang.so").string(), 0),
            0u)
      << code.err;
  EXPECT_TRUE(code.out.empty()) << code.out;
}

TEST(RuleSelection, DeletedTrackedFileIsNotRead) {
  const FixtureRepository repository("");
  repository.write("deploy.env", "FORCE_DEPLOY=1\n");
  repository.write("gone.sh", "SKIP_FINGERPRINT=1 ./deploy\n");
  const ProcessResult added =
      run_process({PMC_GIT, "-C", repository.root().string(), "add", "-A"}, clean_environment());
  ASSERT_EQ(added.exit_code, 0) << added.err;
  fs::remove(repository.root() / "gone.sh");  // still in the index, no longer in the work tree
  const AuditRun run = repository.audit({"--rules", "bypass-text", "--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  EXPECT_EQ(reported(run.report), (std::set<Expected>{{"deploy.env", 1, "bypass-text"}}))
      << describe(reported(run.report));
}

}  // namespace
}  // namespace pmc::test
