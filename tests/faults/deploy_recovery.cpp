// The recovery after a fault, through the resolution programs when built, else the deprecated
// resolve with the verdict the test read from the catalog.
#include "deploy_recovery.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fault_support.hpp"

namespace pmc::test {

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::Applied:
      return "applied";
    case Verdict::RolledBack:
      return "rolled back";
    case Verdict::NeedsPerson:
      return "needs a person";
  }
  return "?";
}

bool resolution_programs_built() {
#ifdef PMC_HAVE_RESOLUTION_PROGRAMS
  return true;
#else
  return false;
#endif
}

namespace {

Verdict verdict_of(const std::string& outcome) {
  if (outcome == "applied") return Verdict::Applied;
  if (outcome == "rolled-back") return Verdict::RolledBack;
  return Verdict::NeedsPerson;
}

std::map<std::string, Verdict> verdicts_in(const std::string& json_text) {
  std::map<std::string, Verdict> verdicts;
  const nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded() || !document.contains("failed_migrations")) return verdicts;
  for (const nlohmann::json& migration : document["failed_migrations"]) {
    verdicts[migration.value("name", "")] = verdict_of(migration.value("outcome", ""));
  }
  return verdicts;
}

std::string verdicts_text(const std::map<std::string, Verdict>& verdicts) {
  if (verdicts.empty()) return "no failed migration";
  std::string text;
  for (const auto& [name, verdict] : verdicts) {
    text += (text.empty() ? "" : ", ") + name + " " + verdict_name(verdict);
  }
  return text;
}

}  // namespace

std::optional<GateReport> run_gate(const std::string& url, const MigrationsFolder& folder) {
  if (!resolution_programs_built()) return std::nullopt;
  const ProcessResult gate = run_pmc("pmc-check-failed-migrations", url,
                                     {"--migrations", folder.path().string(), "--format", "json"});
  return GateReport{gate.exit_code, verdicts_in(gate.out), gate.out + gate.err};
}

ProcessResult resolve_then_deploy(const std::string& url, const MigrationsFolder& folder,
                                  const std::map<std::string, Verdict>& expected,
                                  std::string& said) {
  if (resolution_programs_built()) {
    const std::optional<GateReport> gate = run_gate(url, folder);
    EXPECT_EQ(gate->exit_code, 0) << gate->output;
    // The gate reads without the lock: a verdict it gives may still change while a dead
    // client's statement finishes. The resolve step decides again under the lock.
    const ProcessResult resolve =
        run_pmc("pmc-resolve-applied-migrations", url,
                {"--migrations", folder.path().string(), "--format", "json"});
    EXPECT_EQ(resolve.exit_code, 0) << resolve.out << resolve.err;
    const std::map<std::string, Verdict> resolved = verdicts_in(resolve.out);
    EXPECT_EQ(verdicts_text(resolved), verdicts_text(expected)) << resolve.out;
    said = "gate: " + verdicts_text(gate->verdicts) + " (exit " +
           std::to_string(gate->exit_code) + "); resolve: " + verdicts_text(resolved);
  } else {
    said = "deprecated resolve: " + verdicts_text(expected);
    for (const auto& [name, verdict] : expected) {
      const ProcessResult resolve = run_pmc(
          "pmc-resolve-failed-migrations", url,
          {"--migrations", folder.path().string(),
           verdict == Verdict::Applied ? "--applied" : "--rolled-back", name});
      EXPECT_EQ(resolve.exit_code, 0) << resolve.err;
    }
  }
  return deploy(url, folder, {"--lock-timeout", "30"});
}

RowCounts row_counts(const std::string& url, const std::string& migration) {
  RowCounts counts;
  for (const std::string& row : sql(url,
                                    "SELECT CASE WHEN rolled_back_at IS NOT NULL THEN 'r'"
                                    " WHEN finished_at IS NOT NULL THEN 'a' ELSE 'f' END"
                                    " || coalesce(logs, '<null>')"
                                    " FROM _prisma_migrations WHERE migration_name = '" +
                                        migration + "'")) {
    if (row[0] == 'a') ++counts.applied;
    if (row[0] == 'r') ++counts.rolled_back;
    if (row[0] == 'f') {
      ++counts.failed;
      counts.failed_logs = row.substr(1);
    }
  }
  return counts;
}

std::string describe(const RowCounts& counts) {
  if (counts.applied + counts.failed + counts.rolled_back == 0) return "no row";
  std::string text;
  auto add = [&text](int n, const char* what) {
    if (n > 0) text += (text.empty() ? "" : " + ") + std::to_string(n) + " " + what;
  };
  add(counts.applied, "applied");
  add(counts.failed, "failed");
  add(counts.rolled_back, "rolled back");
  return text;
}

void expect_each_applied_once(const std::string& url, const MigrationsFolder& folder) {
  const std::vector<std::string> names = folder.names();
  EXPECT_EQ(one(url,
                "SELECT count(*) FROM _prisma_migrations"
                " WHERE finished_at IS NULL AND rolled_back_at IS NULL"),
            "0");
  EXPECT_EQ(one(url,
                "SELECT count(*) FROM _prisma_migrations"
                " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            std::to_string(names.size()));
  EXPECT_EQ(one(url,
                "SELECT count(DISTINCT migration_name) FROM _prisma_migrations"
                " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            std::to_string(names.size()));
}

}  // namespace pmc::test
