// pmc-init-fingerprint as a real subprocess: a dry run writes nothing; --apply (CI) writes the
// first fingerprint once and a second run is a no-op; an existing fingerprint is never changed;
// re-binding a moved database is CI-only and needs the line YES, anything else writes nothing.
#include <nlohmann/json.hpp>

#include "fingerprint_fixture.hpp"

namespace pmc::test {
namespace {

class InitFingerprint : public ::testing::Test {
 protected:
  void SetUp() override { test_ci_pass(); }
  std::string fresh() { return ThrowawayCluster::shared().fresh_database("init"); }
  static std::string table_exists(const std::string& url) {
    return sql_value(url, "SELECT to_regclass('public.database_metadata') IS NOT NULL");
  }
};

TEST_F(InitFingerprint, ADryRunWritesNothing) {
  const std::string url = fresh();
  for (const Ci ci : {Ci::No, Ci::Yes}) {
    const ProcessResult dry = init({"--database-url", url, "--env", "dev"}, ci);
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_TRUE(contains(dry.out, url + ": no fingerprint yet; would write environment \"dev\", "
                                        "database \"init_"))
        << dry.out;
    EXPECT_TRUE(contains(dry.out, "dry run: nothing written")) << dry.out;
  }
  EXPECT_EQ(table_exists(url), "f");
}

TEST_F(InitFingerprint, WritesOnceAndASecondRunIsANoOp) {
  const std::string url = fresh();
  const ProcessResult written =
      init({"--database-url", url, "--env", "dev", "--apply", "--format", "json"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  const nlohmann::json report = nlohmann::json::parse(written.out);
  EXPECT_EQ(report["outcome"], "written");
  EXPECT_EQ(report["applied"], true);
  EXPECT_EQ(report["after"]["environment"], "dev");
  EXPECT_EQ(report["after"]["database_name"], sql_value(url, "SELECT current_database()"));
  EXPECT_EQ(sql_value(url, "SELECT written_by FROM public.database_metadata"),
            "pmc-init-fingerprint");
  const std::string row = stored_row(url);

  const ProcessResult again = init({"--database-url", url, "--env", "dev", "--apply"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, ": already fingerprinted: environment \"dev\"")) << again.out;
  EXPECT_EQ(again.err, "");         // no server notices about the existing table either
  EXPECT_EQ(stored_row(url), row);  // not even written_at moved
  EXPECT_EQ(verify({"--database-url", url, "--expect-env", "dev"}).exit_code, 0);
}

TEST_F(InitFingerprint, AnExistingFingerprintIsNeverChanged) {
  const std::string url = fingerprinted(fresh(), "dev");
  const std::string row = stored_row(url);
  for (const bool apply : {false, true}) {
    std::vector<std::string> arguments = {"--database-url", url, "--env", "prod"};
    if (apply) arguments.push_back("--apply");
    const ProcessResult refused = init(arguments);
    EXPECT_EQ(refused.exit_code, 1) << refused.out;
    EXPECT_TRUE(contains(refused.err,
                         "error [PMC-F007]: database already has a fingerprint; "
                         "pmc-init-fingerprint never changes one"))
        << refused.err;
    EXPECT_TRUE(contains(refused.err, "environment \"dev\" written ")) << refused.err;
    EXPECT_EQ(stored_row(url), row);
  }
  // A corrupted row is not overwritten either.
  ASSERT_TRUE(run_sql(url, "UPDATE public.database_metadata SET environment = 'prod'").ok());
  const std::string corrupted = stored_row(url);
  const ProcessResult refused = init({"--database-url", url, "--env", "prod", "--apply"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "[PMC-F007]")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "corrupted when \"prod\" is asked for")) << refused.err;
  EXPECT_EQ(stored_row(url), corrupted);
}

TEST_F(InitFingerprint, BadInputIsAUsageErrorAndTouchesNothing) {
  const std::string url = fresh();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--database-url", url, "--env", "Prod!", "--apply"}, "invalid environment \"Prod!\""},
      {{"--database-url", url, "--apply"}, "--env NAME is required"},
      {{"--database-url", url, "--env", "dev", "--rebind", "--expect-env", "dev", "--apply"},
       "--env cannot be combined with --rebind"},
      {{"--database-url", url, "--rebind", "--apply"}, "--rebind needs --expect-env"},
      {{"--database-url", url, "--env", "dev", "--expect-env", "prod", "--apply"},
       "--env \"dev\" contradicts the expected environment \"prod\""},
      {{"--database-url", url, "--env", "dev", "--apply=true"},
       "--apply must be given as the bare flag --apply"},
      {{"--database-url", "postgresql://app:s3cret@[broken", "--env", "dev", "--apply"},
       "invalid database URL"},
      {{"--env", "dev", "--apply"}, "--database-url is required"},
      {{"--database-url", url, "--env", "dev", "--connect-timeout", "0"}, "--connect-timeout"},
      {{"--database-url", url, "--env", "dev", "--force"}, "--force"},
  };
  for (const auto& [arguments, message] : cases) {
    const ProcessResult refused = init(arguments, Ci::Yes);
    EXPECT_EQ(refused.exit_code, 2) << message << "\n" << refused.err;
    EXPECT_TRUE(contains(refused.err, message)) << refused.err;
    EXPECT_FALSE(contains(refused.err + refused.out, "s3cret")) << refused.err;
    EXPECT_EQ(table_exists(url), "f") << message;
  }
  // PMC_EXPECTED_ENV counts as --expect-env: a CI job set up for prod cannot write dev.
  const ProcessResult contradicted = init({"--database-url", url, "--env", "dev", "--apply"},
                                          Ci::Yes, "", {{"PMC_EXPECTED_ENV", "prod"}});
  EXPECT_EQ(contradicted.exit_code, 2) << contradicted.err;
  EXPECT_EQ(table_exists(url), "f");
}

TEST_F(InitFingerprint, RebindingAMovedDatabaseIsCiOnlyAndNeedsYes) {
  const std::string original = fingerprinted(fresh(), "dev");
  const std::string moved = fresh();
  copy_database(original, moved);
  const std::string copied_row = stored_row(moved);
  const std::vector<std::string> rebind = {"--database-url", moved, "--rebind", "--expect-env",
                                           "dev"};
  auto with_apply = [&] {
    std::vector<std::string> arguments = rebind;
    arguments.push_back("--apply");
    return arguments;
  };

  const ProcessResult dry = init(rebind, Ci::No);
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_TRUE(contains(dry.out, ": would re-bind the fingerprint \"dev\" from database \"init_"))
      << dry.out;
  EXPECT_TRUE(contains(dry.out, "after the line YES")) << dry.out;

  const ProcessResult outside = init(with_apply(), Ci::No, "YES\n");
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_TRUE(contains(outside.err, "[PMC-G001]")) << outside.err;

  for (const std::string input : {"", "yes\n", "YES please\n", " YES\n", "NO\n", "Y\n"}) {
    const ProcessResult aborted = init(with_apply(), Ci::Yes, input);
    EXPECT_EQ(aborted.exit_code, 1) << input;
    EXPECT_TRUE(contains(aborted.err,
                         "error [PMC-F010]: re-bind aborted: the confirmation was "
                         "not YES"))
        << aborted.err;
    EXPECT_EQ(stored_row(moved), copied_row) << input;
  }
  EXPECT_EQ(verify({"--database-url", moved, "--expect-env", "dev"}).exit_code, 1);

  const ProcessResult rebound = init(with_apply(), Ci::Yes, "YES\n");
  ASSERT_EQ(rebound.exit_code, 0) << rebound.err;
  EXPECT_TRUE(contains(rebound.err, "Type YES to re-bind")) << rebound.err;
  EXPECT_TRUE(contains(rebound.out, ": re-bound the fingerprint \"dev\" from database \"init_"))
      << rebound.out;
  EXPECT_EQ(verify({"--database-url", moved, "--database-url", original, "--expect-env", "dev"})
                .exit_code,
            0);
  EXPECT_EQ(sql_value(moved, "SELECT environment FROM public.database_metadata"), "dev");

  // Bound here already: nothing to confirm, nothing written.
  const std::string row = stored_row(moved);
  const ProcessResult again = init(with_apply(), Ci::Yes);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "bound to this database already")) << again.out;
  EXPECT_EQ(stored_row(moved), row);
}

TEST_F(InitFingerprint, OnlyAnIntactFingerprintOfTheExpectedEnvironmentIsRebound) {
  const std::string original = fingerprinted(fresh(), "prod");
  const std::string moved = fresh();
  copy_database(original, moved);
  const std::string row = stored_row(moved);
  const ProcessResult other_environment = init(
      {"--database-url", moved, "--rebind", "--expect-env", "dev", "--apply"}, Ci::Yes, "YES\n");
  EXPECT_EQ(other_environment.exit_code, 1);
  EXPECT_TRUE(contains(other_environment.err, "[PMC-F009]")) << other_environment.err;
  EXPECT_TRUE(contains(other_environment.err, "states \"prod\", not \"dev\""))
      << other_environment.err;
  EXPECT_EQ(stored_row(moved), row);

  ASSERT_TRUE(run_sql(moved, "UPDATE public.database_metadata SET database_name = 'forged'").ok());
  const std::string edited = stored_row(moved);
  const ProcessResult corrupted = init(
      {"--database-url", moved, "--rebind", "--expect-env", "prod", "--apply"}, Ci::Yes, "YES\n");
  EXPECT_EQ(corrupted.exit_code, 1);
  EXPECT_TRUE(contains(corrupted.err, "[PMC-F009]")) << corrupted.err;
  EXPECT_TRUE(contains(corrupted.err, "is corrupted")) << corrupted.err;
  EXPECT_EQ(stored_row(moved), edited);

  const std::string empty = fresh();
  const ProcessResult missing = init(
      {"--database-url", empty, "--rebind", "--expect-env", "prod", "--apply"}, Ci::Yes, "YES\n");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "[PMC-F009]")) << missing.err;
  EXPECT_EQ(table_exists(empty), "f");
}

}  // namespace
}  // namespace pmc::test
