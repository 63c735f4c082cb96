// After a fault in a deploy: what the predeploy gate says about the failed migrations, and the
// recovery the deploy pipeline makes (resolve, then deploy). With the resolution programs built
// (pmc-check-failed-migrations, pmc-resolve-applied-migrations) they decide; without them the
// deprecated pmc-resolve-failed-migrations records the verdict the test read from the catalog,
// as a person would.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "migration_test_support.hpp"

namespace pmc::test {

enum class Verdict { Applied, RolledBack, NeedsPerson };
std::string verdict_name(Verdict verdict);

bool resolution_programs_built();

// The gate's verdict per failed migration (pmc-check-failed-migrations --format json), and its
// exit code; nullopt when the gate is not built.
struct GateReport {
  int exit_code = -1;
  std::map<std::string, Verdict> verdicts;
  std::string output;
};
std::optional<GateReport> run_gate(const std::string& url, const MigrationsFolder& folder);

// Resolves every failed migration (the gate's and resolve's verdict must equal `expected`, which
// the test read from the catalog) and deploys. Returns the deploy's result; `said` gets one line
// of what the gate and the resolve step said, for the journal.
ProcessResult resolve_then_deploy(const std::string& url, const MigrationsFolder& folder,
                                  const std::map<std::string, Verdict>& expected,
                                  std::string& said);

// Rows of `_prisma_migrations` for one migration: how many applied, failed, rolled back.
struct RowCounts {
  int applied = 0;
  int failed = 0;
  int rolled_back = 0;
  std::optional<std::string> failed_logs;  // the failed row's logs ("<null>" for NULL)
};
RowCounts row_counts(const std::string& url, const std::string& migration);
std::string describe(const RowCounts& counts);

// Every folder applied exactly once (one applied row each, no failed row).
void expect_each_applied_once(const std::string& url, const MigrationsFolder& folder);

}  // namespace pmc::test
