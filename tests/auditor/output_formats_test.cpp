// pmc-audit's three outputs over one fixture: clang-style text (place, message, rule, source
// line, caret, notes along the call path, the summary naming the excluded paths), JSON, and
// SARIF 2.1.0 checked against the structure the schema requires.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class Outputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { repository_ = new FixtureRepository("entry-points"); }
  static void TearDownTestSuite() {
    delete repository_;
    repository_ = nullptr;
  }
  static FixtureRepository* repository_;
};

FixtureRepository* Outputs::repository_ = nullptr;

TEST_F(Outputs, TextIsClangStyleWithSourceLineCaretAndCallPath) {
  const AuditRun run = repository_->audit();
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  const std::vector<std::string> lines = lines_of(run.process.out);
  ASSERT_FALSE(lines.empty());

  const std::regex heading(R"(^tools/report\.cpp:6:5: error: main\(\) in tools/report\.cpp can reach PMC_MUTATION category 'reference-sync', but tools/report\.cpp is not an entry point of the contract \[entry-points\]$)");
  std::size_t at = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (std::regex_match(lines[i], heading)) at = i;
  }
  ASSERT_LT(at + 2, lines.size()) << run.process.out;
  EXPECT_EQ(lines[at + 1], "    6 | int main() {  // expect: entry-points");
  EXPECT_EQ(lines[at + 2], "      |     ^");
  // The path to the mutation, one note per call, through both helper files.
  const std::string rest = run.process.out.substr(run.process.out.find(lines[at]));
  EXPECT_NE(rest.find("tools/report.cpp:7:23: note: 'main' calls 'helpers::summarise'"), std::string::npos) << rest;
  EXPECT_NE(rest.find("tools/helpers/summary.cpp:10:3: note: 'helpers::summarise' calls 'helpers::refresh_reference_data'"), std::string::npos) << rest;
  EXPECT_NE(rest.find("tools/helpers/refresh.cpp:9:33: note: 'helpers::refresh_reference_data' calls 'fixture::upsert_reference_rows'"), std::string::npos) << rest;
  EXPECT_NE(rest.find("note: 'fixture::upsert_reference_rows' is annotated PMC_MUTATION(\"reference-sync\")"), std::string::npos) << rest;

  EXPECT_TRUE(std::regex_match(lines.back(), std::regex(R"(^pmc-audit: \d+ errors, 0 warnings in \d+ C/C\+\+ files \(\d+ units, \d+ from cache, \d+ with interpolated flags\); excluded by the contract: fixtures/, tests/, bench/$)")))
      << lines.back();
}

TEST_F(Outputs, JsonCarriesFindingsNotesAndSummary) {
  const AuditRun run = repository_->audit({"--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  const nlohmann::json& findings = run.report.at("findings");
  ASSERT_FALSE(findings.empty());
  bool report_found = false;
  for (const nlohmann::json& finding : findings) {
    EXPECT_EQ(finding.at("severity"), "error");
    if (finding.at("file") == "tools/report.cpp") {
      report_found = true;
      EXPECT_EQ(finding.at("rule"), "entry-points");
      EXPECT_GE(finding.at("notes").size(), 4u);
    }
  }
  EXPECT_TRUE(report_found);
  EXPECT_EQ(run.report.at("summary").at("errors").get<std::size_t>(), findings.size());
  EXPECT_EQ(run.report.at("summary").at("excluded_paths"), nlohmann::json({"fixtures/", "tests/", "bench/"}));
  // The summary goes to standard error so that standard output stays one JSON document.
  EXPECT_NE(run.process.err.find("excluded by the contract: fixtures/, tests/, bench/"), std::string::npos);
}

// The SARIF 2.1.0 schema's required properties and constraints for what pmc-audit writes
// (sarifLog, run, tool, toolComponent, reportingDescriptor, result, message, location,
// physicalLocation, artifactLocation, region), plus what GitHub code scanning reads.
TEST_F(Outputs, SarifHasTheStructureTheSchemaRequires) {
  const AuditRun run = repository_->audit({"--format", "sarif"});
  EXPECT_EQ(run.process.exit_code, 1);
  const nlohmann::json sarif = nlohmann::json::parse(run.process.out, nullptr, false);
  ASSERT_TRUE(sarif.is_object()) << run.process.out;
  EXPECT_EQ(sarif.at("version"), "2.1.0");
  EXPECT_TRUE(sarif.at("$schema").is_string());
  ASSERT_TRUE(sarif.at("runs").is_array());
  ASSERT_EQ(sarif.at("runs").size(), 1u);
  const nlohmann::json& sarif_run = sarif.at("runs").at(0);

  const nlohmann::json& driver = sarif_run.at("tool").at("driver");
  EXPECT_EQ(driver.at("name"), "pmc-audit");
  std::vector<std::string> rule_ids;
  for (const nlohmann::json& rule : driver.at("rules")) {
    ASSERT_TRUE(rule.at("id").is_string());
    EXPECT_FALSE(rule.at("shortDescription").at("text").get<std::string>().empty());
    EXPECT_FALSE(rule.at("fullDescription").at("text").get<std::string>().empty());
    const std::string level = rule.at("defaultConfiguration").at("level");
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note" || level == "none");
    rule_ids.push_back(rule.at("id"));
  }
  for (const char* id : {"entry-points", "guard-order", "connections"}) {
    EXPECT_NE(std::find(rule_ids.begin(), rule_ids.end(), id), rule_ids.end()) << id;
  }
  const std::string root_uri = sarif_run.at("originalUriBaseIds").at("%SRCROOT%").at("uri");
  EXPECT_EQ(root_uri.rfind("file:///", 0), 0u);
  EXPECT_EQ(root_uri.back(), '/');

  const auto check_location = [](const nlohmann::json& location) {
    const nlohmann::json& physical = location.at("physicalLocation");
    const std::string uri = physical.at("artifactLocation").at("uri");
    EXPECT_FALSE(uri.empty());
    EXPECT_NE(uri.front(), '/') << uri;
    EXPECT_EQ(physical.at("artifactLocation").at("uriBaseId"), "%SRCROOT%");
    EXPECT_GE(physical.at("region").at("startLine").get<int>(), 1);
    EXPECT_GE(physical.at("region").at("startColumn").get<int>(), 1);
  };
  const nlohmann::json& results = sarif_run.at("results");
  ASSERT_FALSE(results.empty());
  const AuditRun json = repository_->audit({"--format", "json"});
  EXPECT_EQ(results.size(), json.report.at("findings").size());
  for (const nlohmann::json& result : results) {
    const std::string rule = result.at("ruleId");
    const std::size_t index = result.at("ruleIndex");
    ASSERT_LT(index, rule_ids.size());
    EXPECT_EQ(rule_ids[index], rule);
    EXPECT_EQ(result.at("level"), "error");
    EXPECT_FALSE(result.at("message").at("text").get<std::string>().empty());
    ASSERT_EQ(result.at("locations").size(), 1u);
    check_location(result.at("locations").at(0));
    EXPECT_TRUE(result.at("partialFingerprints").is_object());
    if (result.contains("relatedLocations")) {
      for (const nlohmann::json& related : result.at("relatedLocations")) {
        EXPECT_GE(related.at("id").get<int>(), 0);
        EXPECT_FALSE(related.at("message").at("text").get<std::string>().empty());
        check_location(related);
      }
    }
  }
}

TEST(Cli, ListsEveryRuleWithItsExplanation) {
  const AuditRun run = FixtureRepository::run({"--list-rules"});
  EXPECT_EQ(run.process.exit_code, 0);
  for (const char* id : {"entry-points (error): ", "guard-order (error): ", "connections (error): "}) {
    EXPECT_NE(run.process.out.find(id), std::string::npos) << id;
  }
  EXPECT_NE(run.process.out.find("Reported at the main"), std::string::npos);
}

TEST(Cli, HelpAndVersion) {
  const AuditRun help = FixtureRepository::run({"--help"});
  EXPECT_EQ(help.process.exit_code, 0);
  for (const char* option : {"--build-dir", "--format", "--jobs", "--shard", "--merge", "--cache-dir"}) {
    EXPECT_NE(help.process.out.find(option), std::string::npos) << option;
  }
  const AuditRun version = FixtureRepository::run({"--version"});
  EXPECT_EQ(version.process.exit_code, 0);
  EXPECT_EQ(version.process.out.rfind("pmc-audit ", 0), 0u) << version.process.out;
}

}  // namespace
}  // namespace pmc::test
