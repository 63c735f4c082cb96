// Each fixture repository under fixtures/audit is audited by the real pmc-audit, which must
// report exactly the findings written next to the offending lines (// expect: rule) and no
// others. Files without an expectation are near-misses that must stay clean.
#include <gtest/gtest.h>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, ReportsExactlyTheExpectedFindings) {
  const FixtureRepository repository(GetParam());
  const std::set<Expected> expected = repository.expectations();
  const AuditRun run = repository.audit({"--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << "exit " << run.process.exit_code << "\n" << run.process.err;
  const std::set<Expected> found = reported(run.report);
  EXPECT_EQ(found, expected) << "expected:\n" << describe(expected) << "reported:\n" << describe(found)
                             << "\n" << run.process.out;
  // Warnings (the migrations rule) exit 0; any error exits 1.
  const bool errors = run.report.at("summary").at("errors").get<std::size_t>() > 0;
  EXPECT_EQ(run.process.exit_code, errors ? 1 : 0) << run.process.err;

  // Files left out of compile_commands.json are audited with their neighbours' flags.
  std::size_t unlisted = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(repository.root())) {
    if (entry.path().extension() != ".cpp") continue;
    if (read_file(entry.path()).find("fixture: unlisted") != std::string::npos) ++unlisted;
  }
  EXPECT_GE(run.report.at("summary").at("interpolated_units").get<std::size_t>(), unlisted);
}

INSTANTIATE_TEST_SUITE_P(Audit, Fixture, ::testing::ValuesIn(fixture_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Every rule has a violation and a near-miss somewhere among the fixtures.
TEST(Fixtures, EveryRuleHasAViolation) {
  std::set<std::string> rules;
  for (const std::string& name : fixture_names()) {
    const FixtureRepository repository(name);
    for (const auto& [file, line, rule] : repository.expectations()) rules.insert(rule);
  }
  for (const char* rule : {"entry-points", "guard-order", "connections", "bypass-name",
                           "bypass-env-write", "bypass-ci-check", "bypass-text", "sql-destructive",
                           "sql-read-only-helper", "sql-reference-allowlist", "sql-dynamic",
                           "script-entry-point", "contract-doc", "pipeline", "migrations"}) {
    EXPECT_EQ(rules.count(rule), 1u) << rule << " has no fixture violation";
  }
}

}  // namespace
}  // namespace pmc::test
