// pmc-verify-fingerprints as a real subprocess: one line (or one JSON object) per database in the
// order given, exit 0 only when all are healthy, 2 on bad input; passwords never printed; and it
// writes nothing, whatever it finds.
#include <nlohmann/json.hpp>
#include <sstream>

#include "fingerprint_fixture.hpp"

namespace pmc::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class VerifyFingerprints : public ::testing::Test {
 protected:
  void SetUp() override {
    test_ci_pass();
    ThrowawayCluster& cluster = ThrowawayCluster::shared();
    dev_ = fingerprinted(cluster.fresh_database("verify"), "dev");
    prod_ = fingerprinted(cluster.fresh_database("verify"), "prod");
    bare_ = cluster.fresh_database("verify");
  }
  std::string dev_, prod_, bare_;
};

TEST_F(VerifyFingerprints, OneLinePerDatabaseInOrderAndExit1UnlessAllAreHealthy) {
  const std::string dev_row = stored_row(dev_);
  const ProcessResult mixed = verify({"--database-url", dev_, "--database-url", bare_,
                                      "--database-url", prod_, "--expect-env", "dev"});
  EXPECT_EQ(mixed.exit_code, 1);
  const std::vector<std::string> lines = lines_of(mixed.out);
  ASSERT_EQ(lines.size(), 3u) << mixed.out;
  EXPECT_EQ(lines[0].rfind(dev_ + ": healthy: environment \"dev\", database \"verify_", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind(bare_ + ": missing [PMC-F001]", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind(prod_ + ": environment-mismatch [PMC-F003]", 0), 0u) << lines[2];
  EXPECT_EQ(mixed.err, "");

  const ProcessResult healthy = verify({"--database-url", dev_, "--expect-env", "dev"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out;
  EXPECT_EQ(lines_of(healthy.out).size(), 1u);
  // DATABASE_URL and PMC_EXPECTED_ENV stand in for the flags; a flag beats its variable.
  Environment environment = clean_environment();
  environment["DATABASE_URL"] = bare_;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const ProcessResult from_environment =
      run_process({pmc_binary("pmc-verify-fingerprints")}, environment);
  EXPECT_EQ(from_environment.exit_code, 1);
  EXPECT_EQ(from_environment.out.rfind(bare_ + ": missing", 0), 0u) << from_environment.out;
  const ProcessResult flags_win = run_process(
      {pmc_binary("pmc-verify-fingerprints"), "--database-url", dev_, "--expect-env", "dev"},
      environment);
  EXPECT_EQ(flags_win.exit_code, 0) << flags_win.out;

  EXPECT_EQ(stored_row(dev_), dev_row);
  EXPECT_EQ(sql_value(bare_, "SELECT to_regclass('public.database_metadata') IS NULL"), "t");
}

TEST_F(VerifyFingerprints, JsonForMachines) {
  const ProcessResult checked = verify(
      {"--database-url", dev_, "--database-url", prod_, "--database-url", bare_, "--expect-env",
       "dev", "--expect-env", "prod", "--expect-env", "dev", "--format", "json"});
  EXPECT_EQ(checked.exit_code, 1);
  const nlohmann::json report = nlohmann::json::parse(checked.out);
  EXPECT_EQ(report["healthy"], false);
  ASSERT_EQ(report["databases"].size(), 3u);
  const nlohmann::json& dev = report["databases"][0];
  EXPECT_EQ(dev["url"], dev_);
  EXPECT_EQ(dev["state"], "healthy");
  EXPECT_EQ(dev["healthy"], true);
  EXPECT_EQ(dev["environment"], "dev");
  EXPECT_EQ(dev["error"], nullptr);
  EXPECT_EQ(dev["database"]["database_name"], sql_value(dev_, "SELECT current_database()"));
  EXPECT_EQ(
      dev["database"]["database_oid"],
      sql_value(dev_, "SELECT oid::text FROM pg_database WHERE datname = current_database()"));
  EXPECT_EQ(dev["database"]["system_identifier"],
            sql_value(dev_, "SELECT system_identifier::text FROM pg_control_system()"));
  EXPECT_EQ(dev["stored"]["checksum_holds"], true);
  EXPECT_EQ(dev["stored"]["written_by"], "pmc-fingerprint-test");
  EXPECT_EQ(report["databases"][1]["state"], "healthy");  // prod, expected prod, in CI
  EXPECT_EQ(report["databases"][1]["expected_environment"], "prod");
  const nlohmann::json& bare = report["databases"][2];
  EXPECT_EQ(bare["state"], "missing");
  EXPECT_EQ(bare["error"]["code"], "PMC-F001");
  EXPECT_EQ(bare["stored"], nullptr);
  EXPECT_FALSE(bare["error"]["hint"].get<std::string>().empty());

  const ProcessResult all_healthy =
      verify({"--database-url", dev_, "--expect-env", "dev", "--format", "json"});
  EXPECT_EQ(all_healthy.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(all_healthy.out)["healthy"], true);
}

TEST_F(VerifyFingerprints, PasswordsAreNeverPrinted) {
  const std::string socket_dir = ThrowawayCluster::shared().dir().string();
  const std::string database = sql_value(dev_, "SELECT current_database()");
  // Trust authentication ignores the passwords; the URLs are still the user's secrets.
  const std::string keyword =
      "host=" + socket_dir + " dbname=" + database + " user=postgres password=kw-s3cret-1";
  const std::string uri = "postgresql://postgres:uri-s3cret-2@/" + database + "?host=" + socket_dir;
  const std::string query = "postgresql:///" + database + "?host=" + socket_dir +
                            "&user=postgres&password=query-s3cret-3";
  for (const Environment::value_type& format :
       {Environment::value_type{"--format", "text"}, Environment::value_type{"--format", "json"}}) {
    const ProcessResult checked =
        verify({"--database-url", keyword, "--database-url", uri, "--database-url", query,
                "--database-url", "host=/nonexistent-pmc password=gone-s3cret-4", "--expect-env",
                "dev", "--connect-timeout", "0.3", format.first, format.second});
    EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
    EXPECT_FALSE(contains(checked.out + checked.err, "s3cret")) << checked.out << checked.err;
    EXPECT_TRUE(contains(checked.out, "password=****")) << checked.out;
    EXPECT_TRUE(contains(checked.out, "postgres:****@")) << checked.out;
    EXPECT_TRUE(contains(checked.out, "unreachable")) << checked.out;
  }
}

TEST_F(VerifyFingerprints, BadInputIsExit2) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--database-url", dev_}, "--expect-env is required"},
      {{"--expect-env", "dev"}, "--database-url is required"},
      {{"--database-url", dev_, "--expect-env", "Dev"}, "invalid expected environment \"Dev\""},
      {{"--database-url", dev_, "--database-url", prod_, "--expect-env", "dev", "--expect-env",
        "prod", "--expect-env", "dev"},
       "3 expected environments for 2 databases"},
      {{"--database-url", "postgresql://[broken", "--expect-env", "dev"}, "invalid database URL"},
      {{"--database-url", dev_, "--expect-env", "dev", "--format", "xml"}, "--format"},
      {{"--database-url", dev_, "--expect-env", "dev", "--apply"}, "--apply"},
  };
  for (const auto& [arguments, message] : cases) {
    const ProcessResult refused = verify(arguments);
    EXPECT_EQ(refused.exit_code, 2) << message << "\n" << refused.out << refused.err;
    EXPECT_TRUE(contains(refused.out + refused.err, message)) << refused.out << refused.err;
  }
}

TEST(FingerprintPrograms, HelpAndVersion) {
  for (const std::string program : {"pmc-init-fingerprint", "pmc-verify-fingerprints"}) {
    const ProcessResult help = run_program(program, {"--help"}, Ci::No);
    EXPECT_EQ(help.exit_code, 0) << program;
    for (const std::string flag : {"--database-url", "--expect-env", "--format",
                                   "--connect-timeout", "DATABASE_URL", "PMC_EXPECTED_ENV"}) {
      EXPECT_TRUE(contains(help.out, flag)) << program << " lacks " << flag;
    }
    const ProcessResult version = run_program(program, {"--version"}, Ci::No);
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_EQ(version.out.rfind(program + " ", 0), 0u) << version.out;
    EXPECT_NE(version.out.find_first_of("0123456789"), std::string::npos) << version.out;
  }
  const ProcessResult init_help = run_program("pmc-init-fingerprint", {"--help"}, Ci::No);
  for (const std::string flag : {"--env", "--rebind", "--apply"}) {
    EXPECT_TRUE(contains(init_help.out, flag)) << flag;
  }
}

}  // namespace
}  // namespace pmc::test
