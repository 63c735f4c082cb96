// pmc-audit's migrations rule beside squawk's prefer-robust-stmts (squawk-cli from npm, installed
// into .state/squawk by squawk-route.sh on first use) on the fixture migrations: the table of
// statements where both, only pmc-audit or only squawk report is recorded here, so a change in
// either tool shows up as a failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

// file:line -> who reports it (prefer-robust-stmts only; squawk's other rules are left out).
// Agreement: CREATE TABLE / CREATE INDEX / ADD COLUMN without IF NOT EXISTS, DROP TABLE without
// IF EXISTS, a rename. Differences, and why:
// - only pmc-audit: CREATE VIEW without OR REPLACE, CREATE EXTENSION and CREATE SEQUENCE without
//   IF NOT EXISTS, CREATE TYPE ... AS ENUM, ALTER TYPE ... ADD VALUE without IF NOT EXISTS and a
//   DO block with neither EXCEPTION nor IF: each fails on a second run, squawk 2.66 does not say.
// - only squawk: ALTER COLUMN ... SET DEFAULT, which re-runs; squawk asks for a transaction
//   around ALTER TABLE, pmc-audit judges each statement's re-run. At ADD CONSTRAINT both report
//   (squawk for the missing transaction, pmc-audit because it has no IF NOT EXISTS).
constexpr char kRecorded[] = R"(20240101000000_init/migration.sql:10 both
20240101000000_init/migration.sql:11 both
20240101000000_init/migration.sql:15 pmc-audit
20240101000000_init/migration.sql:17 pmc-audit
20240101000000_init/migration.sql:3 both
20240101000000_init/migration.sql:5 both
20240101000000_init/migration.sql:7 both
20240101000000_init/migration.sql:9 squawk
20240201000000_types/migration.sql:12 pmc-audit
20240201000000_types/migration.sql:14 pmc-audit
20240201000000_types/migration.sql:15 both
20240201000000_types/migration.sql:17 pmc-audit
20240201000000_types/migration.sql:2 pmc-audit
)";

std::string table(const std::map<std::string, std::string>& rows) {
  std::string text;
  for (const auto& [place, who] : rows) text += place + " " + who + "\n";
  return text;
}

TEST(SquawkComparison, RecordedAgreementAndDifferences) {
  const FixtureRepository repository("migrations");
  const std::filesystem::path folder = repository.root() / "prisma" / "migrations";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.path().filename() == "migration.sql") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());

  std::map<std::string, std::string> rows;  // "dir/migration.sql:line" -> both | pmc-audit | squawk
  const std::string prefix = folder.string() + "/";
  auto place = [&](const std::string& file, int line) {
    const std::string relative = file.rfind(prefix, 0) == 0 ? file.substr(prefix.size()) : file;
    return relative + ":" + std::to_string(line);
  };

  const AuditRun audit = repository.audit({"--format", "json", "--rules", "migrations"});
  ASSERT_TRUE(audit.report.is_object()) << audit.process.err;
  for (const auto& finding : audit.report.at("findings")) {
    const std::string file = (repository.root() / finding.at("file").get<std::string>()).string();
    rows[place(file, finding.at("line").get<int>())] = "pmc-audit";
  }

  std::vector<std::string> argv = {PMC_SQUAWK_ROUTE, "run"};
  argv.insert(argv.end(), files.begin(), files.end());
  const ProcessResult squawk = run_process(argv, clean_environment(), "", std::chrono::minutes(10));
  ASSERT_EQ(squawk.exit_code, 0) << squawk.err;
  const nlohmann::json violations = nlohmann::json::parse(squawk.out, nullptr, false);
  ASSERT_TRUE(violations.is_array()) << squawk.out << squawk.err;
  for (const auto& violation : violations) {
    if (violation.value("rule_name", "") != "prefer-robust-stmts") continue;
    // squawk counts lines from 0.
    const std::string key = place(violation.at("file").get<std::string>(), violation.at("line").get<int>() + 1);
    rows[key] = rows.count(key) != 0 && rows[key] != "squawk" ? "both" : "squawk";
  }
  EXPECT_EQ(table(rows), kRecorded);
}

}  // namespace
}  // namespace pmc::test
