// The bad-input matrix, contracts: a contract with a key the schema does not know. The runtime's
// programs embed rules/contract.json at build time and take no contract at run time; pmc-audit
// takes one with --contract, and both go through the one loader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "migration_test_support.hpp"
#include "pmc/contract.hpp"
#include "refusal_check.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

// Either unknown key may be named first; each is one the schema lacks.
bool names_an_unknown_key(const std::string& message) {
  return message.find("unknown key \"skip_checks\"") != std::string::npos ||
         message.find("unknown key \"allow_local_writes\"") != std::string::npos;
}

std::string contract_with_unknown_keys() {
  std::string text = read_file(fs::path(PMC_SOURCE_DIR) / "rules" / "contract.json");
  const std::size_t at = text.find("\"migrations_dir\"");
  EXPECT_NE(at, std::string::npos);
  text.insert(at, "\"skip_checks\": true, \"allow_local_writes\": [\"prod\"], ");
  return text;
}

TEST(ContractInput, TheLoaderRefusesUnknownKeysOnOneLineNamingTheKeyAndLine) {
  try {
    contract::parse(contract_with_unknown_keys(), "bad-contract.json");
    FAIL() << "a contract with unknown keys was accepted";
  } catch (const contract::ContractError& error) {
    const std::string message = error.what();
    std::cout << "[bad-input] contract with unknown keys (loader): " << message << std::endl;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.rfind("bad-contract.json:" + std::to_string(error.line()) + ": ", 0), 0u);
    EXPECT_TRUE(names_an_unknown_key(message)) << message;
  }
}

#ifdef PMC_AUDIT_BINARY
TEST(ContractInput, PmcAuditRefusesAContractWithUnknownKeys) {
  const MigrationsFolder scratch;
  const fs::path contract = scratch.path() / "contract.json";
  write_file(contract, contract_with_unknown_keys());
  const ProcessResult run = run_process(
      {PMC_AUDIT_BINARY, "--contract", contract.string(), "-p", PMC_BUILD_DIR, PMC_SOURCE_DIR},
      clean_environment());
  expect_refusal("contract with unknown keys (pmc-audit --contract)", run, "pmc-audit", 2,
                 "PMC-A007", contract.string() + ":", Lines::WithDetailAndHint);
  EXPECT_TRUE(names_an_unknown_key(run.err)) << run.err;
}
#endif

}  // namespace
}  // namespace pmc::test
