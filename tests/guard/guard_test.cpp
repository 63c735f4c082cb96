// The CI guard, run as real subprocesses with controlled environments: CI must be exactly
// "true"; every other value refuses with one line on stderr and exit 1, and a refused run opens
// no connection (the server's connection log, which shows the allowed runs, stays silent).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process.hpp"
#include "raw_sql.hpp"
#include "server_log.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// nullopt: CI unset. Everything here but "true" must be refused.
const std::vector<std::optional<std::string>> kRefusedCiValues = {
    std::nullopt, "", "1", "TRUE", " true", "true ", "True", "yes", "false", "tr\nue"};

std::string shown(const std::optional<std::string>& value) {
  return value ? "CI=\"" + *value + "\"" : std::string("CI unset");
}

class CiGuard : public ::testing::Test {
 protected:
  void SetUp() override { database_ = ThrowawayCluster::shared().fresh_database("guard"); }

  ProcessResult run(const std::string& program, const std::vector<std::string>& arguments,
                    const std::optional<std::string>& ci) {
    Environment environment = clean_environment();
    if (ci) environment["CI"] = *ci;
    environment["DATABASE_URL"] = database_;
    std::vector<std::string> argv = {program};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_process(argv, environment);
  }

  // The run was refused by the guard: exit 1, one line naming the rule, nothing on stdout, and
  // not one connection in the server's log.
  void expect_refused_without_connection(const std::string& program,
                                         const std::vector<std::string>& arguments,
                                         const std::optional<std::string>& ci) {
    SCOPED_TRACE(program + " with " + shown(ci));
    const ServerLogWatch log(ThrowawayCluster::shared());
    const ProcessResult refused = run(program, arguments, ci);
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_EQ(refused.out, "");
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
    EXPECT_NE(refused.err.find("CI must be exactly \"true\""), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("[PMC-G001]"), std::string::npos) << refused.err;
    EXPECT_EQ(log.connection_lines(), std::vector<std::string>{});
  }

  // The run got past the guard and connected: the same log shows its connection, which is what
  // makes the silence of the refused runs mean something.
  void expect_passed_and_connected(const std::string& program,
                                   const std::vector<std::string>& arguments,
                                   const std::optional<std::string>& ci,
                                   const std::string& expected_line) {
    SCOPED_TRACE(program + " with " + shown(ci));
    const ServerLogWatch log(ThrowawayCluster::shared());
    const ProcessResult passed = run(program, arguments, ci);
    EXPECT_EQ(passed.exit_code, 0) << passed.err;
    EXPECT_NE(passed.out.find(expected_line), std::string::npos) << passed.out;
    bool logged = false;
    for (const std::string& line : log.connection_lines()) {
      logged |= line.find("application_name=pmc-guard-probe") != std::string::npos;
    }
    EXPECT_TRUE(logged) << log.new_text();
  }

  std::string database_;
};

TEST_F(CiGuard, EnforceCiOnlyExecutionPassesOnlyWhenCiIsExactlyTrue) {
  for (const auto& ci : kRefusedCiValues) {
    expect_refused_without_connection(PMC_GUARD_PROBE_ALWAYS, {}, ci);
  }
  expect_passed_and_connected(PMC_GUARD_PROBE_ALWAYS, {}, "true", "CI pass granted");
}

TEST_F(CiGuard, WhenApplyingWithoutApplyRunsReadOnlyWhateverCiSays) {
  for (const auto& ci : kRefusedCiValues) {
    expect_passed_and_connected(PMC_GUARD_PROBE_WHEN_APPLYING, {}, ci, "no CI pass");
  }
  expect_passed_and_connected(PMC_GUARD_PROBE_WHEN_APPLYING, {"--format", "json"}, "true",
                              "no CI pass");
}

TEST_F(CiGuard, WhenApplyingWithApplyPassesOnlyWhenCiIsExactlyTrue) {
  for (const auto& ci : kRefusedCiValues) {
    expect_refused_without_connection(PMC_GUARD_PROBE_WHEN_APPLYING, {"--apply"}, ci);
    // wherever --apply stands among the arguments
    expect_refused_without_connection(PMC_GUARD_PROBE_WHEN_APPLYING,
                                      {"--database-url", "x", "--apply", "--format", "json"}, ci);
  }
  expect_passed_and_connected(PMC_GUARD_PROBE_WHEN_APPLYING, {"--apply"}, "true",
                              "CI pass granted");
}

TEST_F(CiGuard, TheRefusalShowsWhatCiHeldOnOneLine) {
  const ProcessResult refused = run(PMC_GUARD_PROBE_ALWAYS, {}, std::string("tr\nue \"x\""));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("found \"tr\\x0aue \\x22x\\x22\""), std::string::npos) << refused.err;
  const ProcessResult unset = run(PMC_GUARD_PROBE_ALWAYS, {}, std::nullopt);
  EXPECT_NE(unset.err.find("found unset"), std::string::npos) << unset.err;
}

// The real entry point: its first statement is the guard, so --apply outside CI neither connects
// nor writes, and the database keeps having no fingerprint table.
TEST_F(CiGuard, InitFingerprintApplyOutsideCiOpensNoConnection) {
  const std::string program = pmc_binary("pmc-init-fingerprint");
  for (const auto& ci : kRefusedCiValues) {
    expect_refused_without_connection(program, {"--env", "dev", "--apply"}, ci);
    expect_refused_without_connection(program, {"--rebind", "--expect-env", "dev", "--apply"}, ci);
  }
  EXPECT_EQ(sql_value(database_, "SELECT to_regclass('public.database_metadata') IS NULL"), "t");
  const ProcessResult written = run(program, {"--env", "dev", "--apply"}, "true");
  EXPECT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(sql_value(database_, "SELECT environment FROM public.database_metadata"), "dev");
}

}  // namespace
}  // namespace pmc::test
