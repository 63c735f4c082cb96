// Every validation outcome against real databases, seen twice: through the validating connect
// (pmc::db) and through pmc-verify-fingerprints run as a subprocess. Clones are real pg_dump /
// pg_restore copies, into another database and into another cluster.
#include <nlohmann/json.hpp>

#include "fingerprint_fixture.hpp"
#include "pmc/fingerprint.hpp"

namespace pmc::test {
namespace {

// The code of the refusal the validating connect throws; "" when it connects.
std::string connect_refusal(const std::string& url, const std::string& expected) {
  try {
    db::ReadOnlyConnection reader = db::connect_read_only(options_for(url, expected));
    return "";
  } catch (const Failure& failure) {
    return failure.code();
  }
}

std::string writable_refusal(const std::string& url, const std::string& expected) {
  try {
    db::WritableConnection writer =
        db::connect_writable(options_for(url, expected), test_ci_pass());
    return "";
  } catch (const Failure& failure) {
    return failure.code();
  }
}

// CI unset in this process for a while (the validating connect reads it each time).
class OutsideCi {
 public:
  OutsideCi() { unsetenv("CI"); }
  ~OutsideCi() { setenv("CI", "true", 1); }
  OutsideCi(const OutsideCi&) = delete;
  OutsideCi& operator=(const OutsideCi&) = delete;
};

class Outcomes : public ::testing::Test {
 protected:
  void SetUp() override { test_ci_pass(); }
  ThrowawayCluster& cluster() { return ThrowawayCluster::shared(); }
  std::string fresh() { return cluster().fresh_database("fp"); }
};

TEST_F(Outcomes, HealthyDatabasesConnect) {
  const std::string url = fingerprinted(fresh(), "dev");
  db::ReadOnlyConnection reader = db::connect_read_only(options_for(url, "dev"));
  EXPECT_EQ(reader.environment(), "dev");
  EXPECT_EQ(writable_refusal(url, "dev"), "");
  const ProcessResult verified = verify({"--database-url", url, "--expect-env", "dev"}, Ci::No);
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_TRUE(contains(verified.out, url + ": healthy: environment \"dev\"")) << verified.out;
}

TEST_F(Outcomes, NoTableIsMissing) {
  const std::string url = fresh();
  EXPECT_EQ(connect_refusal(url, "dev"), "PMC-F001");
  EXPECT_EQ(writable_refusal(url, "dev"), "PMC-F001");
  const ProcessResult verified = verify({"--database-url", url, "--expect-env", "dev"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out,
                       ": missing [PMC-F001]: database has no environment "
                       "fingerprint. Table public.database_metadata does not exist"))
      << verified.out;
  EXPECT_EQ(sql_value(url, "SELECT to_regclass('public.database_metadata') IS NULL"), "t");
}

TEST_F(Outcomes, NoRowIsMissing) {
  const std::string url = fingerprinted(fresh(), "dev");
  ASSERT_EQ(sql_value(url, "DELETE FROM public.database_metadata RETURNING 1"), "1");
  EXPECT_EQ(connect_refusal(url, "dev"), "PMC-F001");
  const ProcessResult verified = verify({"--database-url", url, "--expect-env", "dev"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out, ": missing [PMC-F001]")) << verified.out;
  EXPECT_TRUE(contains(verified.out, "holds no row")) << verified.out;
}

TEST_F(Outcomes, AHandEditedRowIsCorrupted) {
  const std::vector<std::string> edits = {
      "UPDATE public.database_metadata SET environment = 'prod'",
      "UPDATE public.database_metadata SET database_name = 'elsewhere'",
      "UPDATE public.database_metadata SET system_identifier = system_identifier + 1",
      "UPDATE public.database_metadata SET checksum = upper(checksum)",
      "UPDATE public.database_metadata SET format_version = 2",
      "ALTER TABLE public.database_metadata DROP CONSTRAINT database_metadata_pkey;"
      "INSERT INTO public.database_metadata SELECT * FROM public.database_metadata",
      "ALTER TABLE public.database_metadata DROP COLUMN checksum",
  };
  for (const std::string& edit : edits) {
    SCOPED_TRACE(edit);
    const std::string url = fingerprinted(fresh(), "dev");
    const SqlResult edited = run_sql(url, edit);
    ASSERT_TRUE(edited.ok()) << edited.error;
    EXPECT_EQ(connect_refusal(url, "dev"), "PMC-F002");
    EXPECT_EQ(connect_refusal(url, "prod"), "PMC-F002");
    const ProcessResult verified = verify({"--database-url", url, "--expect-env", "dev"});
    EXPECT_EQ(verified.exit_code, 1);
    EXPECT_TRUE(contains(verified.out,
                         ": corrupted [PMC-F002]: database's environment "
                         "fingerprint is corrupted"))
        << verified.out;
  }
}

TEST_F(Outcomes, AnotherEnvironmentIsAMismatch) {
  const std::string url = fingerprinted(fresh(), "dev");
  EXPECT_EQ(connect_refusal(url, "staging"), "PMC-F003");
  EXPECT_EQ(writable_refusal(url, "prod"), "PMC-F003");
  const ProcessResult verified = verify({"--database-url", url, "--expect-env", "prod"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out,
                       ": environment-mismatch [PMC-F003]: database is not the "
                       "expected environment. Expected \"prod\", the fingerprint of " +
                           url + " says \"dev\""))
      << verified.out;
}

TEST_F(Outcomes, ProdIsRefusedOutsideCiWhateverWasExpected) {
  const std::string url = fingerprinted(fresh(), "prod");
  for (const std::string expected : {"prod", "dev", "staging"}) {
    const ProcessResult verified =
        verify({"--database-url", url, "--expect-env", expected}, Ci::No);
    EXPECT_EQ(verified.exit_code, 1) << expected;
    EXPECT_TRUE(contains(verified.out,
                         ": prod-outside-ci [PMC-F005]: production database refused "
                         "outside CI"))
        << verified.out;
    OutsideCi outside;
    EXPECT_EQ(connect_refusal(url, expected), "PMC-F005") << expected;
  }
  const ProcessResult in_ci = verify({"--database-url", url, "--expect-env", "prod"}, Ci::Yes);
  EXPECT_EQ(in_ci.exit_code, 0) << in_ci.out;
  EXPECT_EQ(connect_refusal(url, "prod"), "");
  EXPECT_EQ(connect_refusal(url, "dev"), "PMC-F003");  // in CI, prod is just another environment
}

TEST_F(Outcomes, AProdDumpRestoredIntoAnotherDatabaseIsAClone) {
  const std::string prod = fingerprinted(fresh(), "prod");
  ASSERT_TRUE(run_sql(prod,
                      "CREATE TABLE services (name text); INSERT INTO services "
                      "VALUES ('kept')")
                  .ok());
  const std::string copy = fresh();
  copy_database(prod, copy);
  ASSERT_EQ(sql_value(copy, "SELECT name FROM services"), "kept");  // a faithful copy
  ASSERT_EQ(stored_row(copy), stored_row(prod));                    // fingerprint included
  EXPECT_EQ(connect_refusal(copy, "prod"), "PMC-F004");
  EXPECT_EQ(writable_refusal(copy, "prod"), "PMC-F004");
  EXPECT_EQ(connect_refusal(prod, "prod"), "");
  {
    OutsideCi outside;  // outside CI it is refused all the same
    EXPECT_EQ(connect_refusal(copy, "prod"), "PMC-F004");
  }
  const ProcessResult verified =
      verify({"--database-url", prod, "--database-url", copy, "--expect-env", "prod"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out, prod + ": healthy")) << verified.out;
  EXPECT_TRUE(contains(verified.out, copy +
                                         ": bound-elsewhere [PMC-F004]: database's fingerprint "
                                         "belongs to another database: this is a copy or a clone"))
      << verified.out;
  EXPECT_TRUE(contains(verified.out, "it was written into database \"fp_")) << verified.out;
}

TEST_F(Outcomes, AProdDumpRestoredIntoAnotherClusterIsAClone) {
  // Same database name in both clusters: only the cluster tells them apart.
  const std::string name = "fp_moved_between_clusters";
  const std::string prod = fingerprinted(cluster().create_database(name), "prod");
  ThrowawayCluster other;
  const std::string copy = other.create_database(name);
  copy_database(prod, copy);
  ASSERT_EQ(stored_row(copy), stored_row(prod));
  EXPECT_EQ(connect_refusal(copy, "prod"), "PMC-F004");
  EXPECT_EQ(writable_refusal(copy, "prod"), "PMC-F004");

  const ProcessResult verified =
      verify({"--database-url", copy, "--expect-env", "prod", "--format", "json"});
  EXPECT_EQ(verified.exit_code, 1);
  const nlohmann::json report = nlohmann::json::parse(verified.out);
  const nlohmann::json& checked = report["databases"][0];
  EXPECT_EQ(checked["state"], "bound-elsewhere");
  EXPECT_EQ(checked["error"]["code"], "PMC-F004");
  EXPECT_EQ(checked["database"]["database_name"], name);
  EXPECT_EQ(checked["stored"]["binding"]["database_name"], name);
  EXPECT_NE(checked["database"]["system_identifier"],
            checked["stored"]["binding"]["system_identifier"]);
  EXPECT_TRUE(contains(checked["error"]["detail"].get<std::string>(),
                       "it was written in the cluster with system identifier"))
      << checked.dump();

  // If the copy really is prod now (the old server is gone), CI re-binds it after YES.
  const ProcessResult rebound = init(
      {"--database-url", copy, "--rebind", "--expect-env", "prod", "--apply"}, Ci::Yes, "YES\n");
  EXPECT_EQ(rebound.exit_code, 0) << rebound.err;
  EXPECT_EQ(connect_refusal(copy, "prod"), "");
  EXPECT_EQ(connect_refusal(prod, "prod"), "");
}

TEST_F(Outcomes, AFingerprintTheRoleCannotReadIsUnreadable) {
  const std::string url = fingerprinted(fresh(), "dev");
  const std::string database = sql_value(url, "SELECT current_database()");
  ASSERT_TRUE(run_sql(url, "CREATE ROLE pmc_no_select LOGIN").ok());
  const std::string as_role =
      "host=" + cluster().dir().string() + " dbname=" + database + " user=pmc_no_select";
  EXPECT_EQ(connect_refusal(as_role, "dev"), "PMC-F006");
  const ProcessResult verified = verify({"--database-url", as_role, "--expect-env", "dev"});
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_TRUE(contains(verified.out,
                       ": unreadable [PMC-F006]: cannot read the environment "
                       "fingerprint"))
      << verified.out;
}

// Where the role may not run pg_control_system(), the binding holds the database only; a reader
// that can see the cluster does not trust a binding it cannot confirm.
TEST_F(Outcomes, ABindingWithoutTheClusterIsTrustedOnlyByWhoCannotSeeTheCluster) {
  const std::string url = fresh();
  const std::string database = sql_value(url, "SELECT current_database()");
  ASSERT_TRUE(run_sql(url,
                      "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_control_system() FROM PUBLIC;"
                      "CREATE ROLE pmc_no_control LOGIN;"
                      "GRANT CREATE ON SCHEMA public TO pmc_no_control")
                  .ok());
  const std::string as_role =
      "host=" + cluster().dir().string() + " dbname=" + database + " user=pmc_no_control";
  const ProcessResult written = init({"--database-url", as_role, "--env", "dev", "--apply"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(sql_value(url, "SELECT system_identifier IS NULL FROM public.database_metadata"), "t");

  const ProcessResult limited =
      verify({"--database-url", as_role, "--expect-env", "dev", "--format", "json"});
  EXPECT_EQ(limited.exit_code, 0) << limited.out;
  EXPECT_TRUE(nlohmann::json::parse(limited.out)["databases"][0]["database"]["system_identifier"]
                  .is_null());
  const ProcessResult superuser = verify({"--database-url", url, "--expect-env", "dev"});
  EXPECT_EQ(superuser.exit_code, 1);
  EXPECT_TRUE(contains(superuser.out, ": bound-elsewhere [PMC-F004]")) << superuser.out;
  EXPECT_TRUE(contains(superuser.out, "system identifier (none recorded)")) << superuser.out;
}

}  // namespace
}  // namespace pmc::test
