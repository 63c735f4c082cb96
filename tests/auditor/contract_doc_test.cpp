// contract-doc and pipeline beyond the fixtures: this repository's own CONTRACT.md and pipeline
// script pass, an item CONTRACT.md lacks is reported at its rules/contract.json line, a contract
// given with --contract is read with its own CONTRACT.md and findings about it are reported at it,
// and migrations warnings exit 0 unless --warnings-as-errors.
#include <gtest/gtest.h>

#include <fstream>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

unsigned line_of(const std::filesystem::path& file, const std::string& needle) {
  std::ifstream in(file);
  unsigned number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

TEST(ContractDoc, OurContractAndPipelinePass) {
  const FixtureRepository repository("");
  std::filesystem::copy_file(std::filesystem::path(PMC_SOURCE_DIR) / "scripts" / "deploy-pipeline.sh",
                             repository.root() / "scripts" / "deploy-pipeline.sh",
                             std::filesystem::copy_options::overwrite_existing);
  const AuditRun run = repository.audit({"--format", "json", "--rules", "contract-doc,pipeline"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  EXPECT_TRUE(run.report.at("findings").empty()) << run.process.out;
  EXPECT_EQ(run.process.exit_code, 0);
}

TEST(ContractDoc, AnEntryPointTheDocumentLacksIsReportedAtTheContract) {
  const FixtureRepository repository("");
  std::string text = read_file(repository.root() / "CONTRACT.md");
  const std::size_t row = text.find("| pmc-init-fingerprint |");
  ASSERT_NE(row, std::string::npos);
  text.erase(row, text.find('\n', row) - row + 1);
  repository.write("CONTRACT.md", text);
  const AuditRun run = repository.audit({"--format", "json", "--rules", "contract-doc"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  const std::set<Expected> found = reported(run.report);
  const int line = static_cast<int>(line_of(repository.root() / "rules" / "contract.json", "\"pmc-init-fingerprint\""));
  EXPECT_EQ(found, (std::set<Expected>{{"rules/contract.json", line, "contract-doc"}})) << run.process.out;
  EXPECT_EQ(run.process.exit_code, 1);
}

TEST(ContractDoc, AMissingDocumentIsAFinding) {
  const FixtureRepository repository("");
  std::filesystem::remove(repository.root() / "CONTRACT.md");
  const AuditRun run = repository.audit({"--format", "json", "--rules", "contract-doc"});
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  EXPECT_EQ(run.report.at("findings").size(), 1u) << run.process.out;
  EXPECT_EQ(run.process.exit_code, 1);
}

TEST(ContractDoc, AContractKeptElsewhereIsReadWithItsOwnDocument) {
  namespace fs = std::filesystem;
  const FixtureRepository repository("");
  const fs::path elsewhere = repository.build() / "platform";
  fs::create_directories(elsewhere / "rules");
  fs::rename(repository.root() / "rules" / "contract.json", elsewhere / "rules" / "contract.json");
  fs::rename(repository.root() / "CONTRACT.md", elsewhere / "CONTRACT.md");
  const std::string contract = (elsewhere / "rules" / "contract.json").string();
  fs::copy_file(fs::path(PMC_SOURCE_DIR) / "scripts" / "deploy-pipeline.sh",
                repository.root() / "scripts" / "deploy-pipeline.sh", fs::copy_options::overwrite_existing);

  const std::vector<std::string> rules = {"--format", "json", "--rules", "contract-doc,pipeline", "--contract", contract};
  const AuditRun clean = repository.audit(rules);
  ASSERT_TRUE(clean.report.is_object()) << clean.process.err;
  EXPECT_TRUE(clean.report.at("findings").empty()) << clean.process.out;
  EXPECT_EQ(clean.process.exit_code, 0);

  fs::remove(elsewhere / "CONTRACT.md");
  fs::remove(repository.root() / "scripts" / "deploy-pipeline.sh");
  const AuditRun run = repository.audit(rules);
  ASSERT_TRUE(run.report.is_object()) << run.process.err;
  const int version = static_cast<int>(line_of(contract, "\"version\""));
  const int script = static_cast<int>(line_of(contract, "\"scripts/deploy-pipeline.sh\""));
  EXPECT_EQ(reported(run.report), (std::set<Expected>{{contract, version, "contract-doc"}, {contract, script, "pipeline"}}))
      << describe(reported(run.report));
}

TEST(Migrations, WarningsExitZeroUnlessWarningsAreErrors) {
  const FixtureRepository repository("migrations");
  const AuditRun plain = repository.audit({"--format", "json", "--rules", "migrations"});
  ASSERT_TRUE(plain.report.is_object()) << plain.process.err;
  EXPECT_GT(plain.report.at("summary").at("warnings").get<int>(), 0);
  EXPECT_EQ(plain.process.exit_code, 0);
  const AuditRun strict = repository.audit({"--format", "json", "--rules", "migrations", "--warnings-as-errors"});
  EXPECT_EQ(strict.process.exit_code, 1);
}

}  // namespace
}  // namespace pmc::test
