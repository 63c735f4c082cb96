// pmc-deploy-db against real PostgreSQL, run as a real subprocess: from empty, re-runs, a failing
// script, concurrent deploys, edited and CRLF files, the advisory lock, refusals and bad input.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "migration_test_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

bool table_exists(const std::string& url, const std::string& name) {
  return one(url, "SELECT to_regclass('" + name + "') IS NOT NULL") == "t";
}

// A session of its own holding Prisma's advisory lock until destroyed.
class LockHolder {
 public:
  explicit LockHolder(const std::string& url)
      : connection_(PQconnectdb((url + "&application_name=pmc-test-lock-holder").c_str())) {
    EXPECT_EQ(PQstatus(connection_), CONNECTION_OK) << PQerrorMessage(connection_);
    PQclear(PQexec(connection_, "SELECT pg_advisory_lock(72707369)"));
  }
  ~LockHolder() { PQfinish(connection_); }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;

 private:
  PGconn* connection_;
};

// The reference app's history plus `name` whose second statement fails.
constexpr char kFailing[] = "20240301000000_reviews";
constexpr char kFailingScript[] =
    "-- CreateTable\n"
    "CREATE TABLE \"reviews\" (\n"
    "    \"id\" SERIAL NOT NULL,\n"
    "    \"bookingId\" INTEGER NOT NULL,\n"
    "    CONSTRAINT \"reviews_pkey\" PRIMARY KEY (\"id\")\n"
    ");\n\n"
    "-- CreateIndex\n"
    "CREATE INDEX \"reviews_rating_idx\" ON \"reviews\"(\"rating\");\n";

class Deploy : public ::testing::Test {
 protected:
  void SetUp() override { url_ = fingerprinted_database("deploy"); }
  std::string url_;
};

TEST_F(Deploy, AppliesTheHistoryFromEmptyWithPrismasRows) {
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  const ProcessResult run = deploy(url_, folder);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  for (const std::string& name : folder.names()) {
    EXPECT_TRUE(contains(run.out, "applied " + name + " (")) << run.out;
  }
  EXPECT_TRUE(contains(run.out, "4 migrations applied in")) << run.out;
  EXPECT_TRUE(contains(run.out, "created the _prisma_migrations table")) << run.out;

  // One row per folder, in folder order, exactly as Prisma leaves them.
  std::vector<std::string> expected;
  for (const std::string& name : folder.names()) {
    expected.push_back(name + "|" + sha256_hex(folder.read(name)) + "|true|false|1|<null>");
  }
  EXPECT_EQ(migration_rows(url_), expected);
  EXPECT_EQ(one(url_,
                "SELECT count(*) FROM _prisma_migrations WHERE id ~ "
                "'^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'"),
            "4");
  EXPECT_EQ(one(url_,
                "SELECT count(*) FROM _prisma_migrations WHERE finished_at >= started_at"
                " AND finished_at <= now() AND started_at > now() - interval '5 minutes'"),
            "4");
  for (const char* table : {"service_categories", "services", "providers", "provider_services",
                            "bookings", "database_metadata"}) {
    EXPECT_TRUE(table_exists(url_, table)) << table;
  }
  // The fingerprint written before the deploy is untouched by the history's database_metadata.
  EXPECT_EQ(one(url_, "SELECT environment FROM database_metadata"), "prod");
}

TEST_F(Deploy, TheHistoryBuildsTheReferenceSchema) {
  const std::string reference = ThrowawayCluster::shared().fresh_database("reference");
  sql(reference, read_file(fs::path(PMC_SOURCE_DIR) / "fixtures/reference-data/schema.sql"));
  write_fingerprint(reference);
  const ProcessResult run = deploy(url_, MigrationsFolder::copy_of(reference_migrations()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(schema_dump(url_), schema_dump(reference));
}

TEST_F(Deploy, ASecondRunIsANoOp) {
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  ASSERT_EQ(deploy(url_, folder).exit_code, 0);
  const std::vector<std::string> before =
      sql(url_, "SELECT id || finished_at::text FROM _prisma_migrations ORDER BY id");
  const ProcessResult again = deploy(url_, folder);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "No pending migrations to apply (4 already applied)."))
      << again.out;
  EXPECT_FALSE(contains(again.out, "applied 2024")) << again.out;
  EXPECT_EQ(sql(url_, "SELECT id || finished_at::text FROM _prisma_migrations ORDER BY id"),
            before);
}

TEST_F(Deploy, AppliesOnlyTheNewFolderAfterAnEarlierDeploy) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  ASSERT_EQ(deploy(url_, folder).exit_code, 0);
  folder.write("20240301000000_provider_email",
               "ALTER TABLE \"providers\" ADD COLUMN \"email\" TEXT;\n");
  const ProcessResult run = deploy(url_, folder);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "applied 20240301000000_provider_email (")) << run.out;
  EXPECT_TRUE(contains(run.out, "1 migration applied in")) << run.out;
  EXPECT_EQ(count_of(run.out, "applied 2024"), 1u) << run.out;
  EXPECT_EQ(one(url_,
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'providers' AND column_name = 'email'"),
            "1");
}

TEST_F(Deploy, AFailingScriptLeavesNoneOfItsStatementsAndBlocksTheNextDeploy) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  folder.write(kFailing, kFailingScript);
  folder.write("20240302000000_after", "CREATE TABLE \"after_reviews\" (\"id\" INTEGER);\n");

  const ProcessResult run = deploy(url_, folder);
  EXPECT_EQ(run.exit_code, 1) << run.err << run.out;
  EXPECT_TRUE(contains(run.err, "[PMC-3018]")) << run.err;
  EXPECT_TRUE(contains(run.err, kFailing)) << run.err;
  EXPECT_TRUE(contains(run.err, "42703")) << run.err;  // undefined_column
  EXPECT_TRUE(contains(run.err, "\"rating\" does not exist")) << run.err;
  // The four before it applied; its first statement (CREATE TABLE) did not survive the second.
  EXPECT_EQ(count_of(run.out, "applied 2024"), 4u) << run.out;
  EXPECT_FALSE(table_exists(url_, "reviews"));
  EXPECT_FALSE(table_exists(url_, "reviews_id_seq"));
  EXPECT_FALSE(table_exists(url_, "after_reviews"));
  // A failed row: not finished, not rolled back, no step counted, the error in logs.
  EXPECT_EQ(one(url_,
                "SELECT (finished_at IS NULL)::text || (rolled_back_at IS NULL)::text ||"
                " applied_steps_count FROM _prisma_migrations WHERE migration_name = '" +
                    std::string(kFailing) + "'"),
            "truetrue0");
  const std::string logs =
      one(url_, "SELECT logs FROM _prisma_migrations WHERE migration_name = '" +
                    std::string(kFailing) + "'");
  EXPECT_TRUE(contains(logs, "column \"rating\" does not exist")) << logs;
  EXPECT_TRUE(contains(logs, "42703")) << logs;
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations"), "5");

  const ProcessResult next = deploy(url_, folder);
  EXPECT_EQ(next.exit_code, 1) << next.out;
  EXPECT_TRUE(contains(next.err, "[PMC-3009]")) << next.err;
  EXPECT_TRUE(contains(next.err, "The `" + std::string(kFailing) + "` migration started at"))
      << next.err;
  EXPECT_FALSE(table_exists(url_, "after_reviews"));
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations"), "5");
}

TEST_F(Deploy, FourDeploysStartedAtOnceApplyEachMigrationOnce) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  for (int i = 0; i < 30; ++i) {
    const std::string n = std::to_string(100 + i);
    folder.write("20240401000" + n + "_extra_" + n,
                 "CREATE TABLE \"extra_" + n +
                     "\" (\"id\" SERIAL PRIMARY KEY, \"v\" TEXT);\n"
                     "CREATE INDEX \"extra_" +
                     n + "_v_idx\" ON \"extra_" + n + "\"(\"v\");\n");
  }
  const std::size_t total = folder.names().size();

  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url_;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const MigrationsFolder logs;
  std::vector<int> pids;
  for (int i = 0; i < 4; ++i) {
    pids.push_back(spawn_detached({pmc_binary("pmc-deploy-db"), "--migrations",
                                   folder.path().string(), "--lock-timeout", "60"},
                                  environment, (logs.path() / std::to_string(i)).string()));
  }
  std::size_t applied_lines = 0;
  for (int i = 0; i < 4; ++i) {
    int status = 0;
    ASSERT_EQ(waitpid(pids[static_cast<std::size_t>(i)], &status, 0),
              pids[static_cast<std::size_t>(i)]);
    const std::string log = read_file(logs.path() / std::to_string(i));
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << log;
    applied_lines += count_of(log, "\napplied 2024");
  }
  EXPECT_EQ(applied_lines, total);
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations"), std::to_string(total));
  EXPECT_EQ(one(url_,
                "SELECT count(DISTINCT migration_name) FROM _prisma_migrations"
                " WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            std::to_string(total));
}

TEST_F(Deploy, RefusesAnAppliedMigrationEditedAfterwardsNamingTheFile) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  ASSERT_EQ(deploy(url_, folder).exit_code, 0);
  const std::string edited = "20240122093000_providers";
  folder.write(edited, folder.read(edited) +
                           "\nCREATE INDEX \"providers_name_idx\" ON "
                           "\"providers\"(\"name\");\n");
  folder.write("20240301000000_new", "CREATE TABLE \"new_table\" (\"id\" INTEGER);\n");
  const ProcessResult run = deploy(url_, folder);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.err, "[PMC-3101]")) << run.err;
  EXPECT_TRUE(contains(run.err, folder.script(edited).string())) << run.err;
  EXPECT_TRUE(contains(run.err, sha256_hex(folder.read(edited)))) << run.err;
  EXPECT_FALSE(table_exists(url_, "new_table"));
  EXPECT_FALSE(table_exists(url_, "providers_name_idx"));
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations"), "4");
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string with_lf(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

TEST_F(Deploy, ToleratesLineEndingsChangedAfterApplyingAsPrismaCompares) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  ASSERT_EQ(deploy(url_, folder).exit_code, 0);
  for (const std::string& name : folder.names()) folder.write(name, with_crlf(folder.read(name)));
  const ProcessResult crlf = deploy(url_, folder);
  EXPECT_EQ(crlf.exit_code, 0) << crlf.err;
  EXPECT_TRUE(contains(crlf.out, "No pending migrations")) << crlf.out;

  // Applied from CRLF files (checksums of the CRLF bytes), later checked out with LF.
  const std::string other = fingerprinted_database("deploy_crlf");
  ASSERT_EQ(deploy(other, folder).exit_code, 0);
  EXPECT_EQ(one(other, "SELECT checksum FROM _prisma_migrations ORDER BY started_at LIMIT 1"),
            sha256_hex(folder.read(folder.names().front())));
  for (const std::string& name : folder.names()) folder.write(name, with_lf(folder.read(name)));
  const ProcessResult lf = deploy(other, folder);
  EXPECT_EQ(lf.exit_code, 0) << lf.err;
  EXPECT_TRUE(contains(lf.out, "No pending migrations")) << lf.out;

  // A changed line ending is tolerated; a changed byte besides is not.
  folder.write(folder.names().front(), with_crlf(folder.read(folder.names().front())) + " ");
  EXPECT_EQ(deploy(other, folder).exit_code, 1);
}

TEST_F(Deploy, GivesUpWaitingForTheAdvisoryLockWithAClearError) {
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  {
    const LockHolder holder(url_);
    const auto started = std::chrono::steady_clock::now();
    const ProcessResult run = deploy(url_, folder, {"--lock-timeout", "0.5"});
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_TRUE(contains(run.err, "[PMC-3102]")) << run.err;
    EXPECT_TRUE(contains(run.err, "timed out after 0.5 s")) << run.err;
    EXPECT_TRUE(contains(run.err, "pg_advisory_lock(72707369)")) << run.err;
    EXPECT_TRUE(contains(run.err, "pmc-test-lock-holder")) << run.err;  // who holds it
    EXPECT_GE(waited, std::chrono::milliseconds(500));
    EXPECT_LT(waited, std::chrono::seconds(10));
    EXPECT_FALSE(table_exists(url_, "_prisma_migrations"));
  }
  const ProcessResult after = deploy(url_, folder, {"--lock-timeout", "0.5"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

TEST_F(Deploy, WaitsForTheLockAndGoesOnOnceItIsReleased) {
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url_;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const MigrationsFolder logs;
  int pid = 0;
  {
    const LockHolder holder(url_);
    pid = spawn_detached({pmc_binary("pmc-deploy-db"), "--migrations", folder.path().string(),
                          "--lock-timeout", "60"},
                         environment, (logs.path() / "log").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), 0);  // still waiting
    EXPECT_FALSE(table_exists(url_, "_prisma_migrations"));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(logs.path() / "log");
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"),
            "4");
}

TEST_F(Deploy, RefusesASchemaThatHoldsTablesButNoMigrationsTable) {
  sql(url_, "CREATE TABLE legacy_customers (id int)");
  const ProcessResult run = deploy(url_, MigrationsFolder::copy_of(reference_migrations()));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.err, "[PMC-3005]")) << run.err;
  EXPECT_TRUE(contains(run.err, "legacy_customers")) << run.err;
  EXPECT_TRUE(contains(run.err, "baseline")) << run.err;
  EXPECT_FALSE(table_exists(url_, "_prisma_migrations"));
  EXPECT_FALSE(table_exists(url_, "services"));
}

TEST_F(Deploy, KeepsItsTableInTheSchemaTheSearchPathNames) {
  sql(url_, "CREATE SCHEMA app");
  const std::string app_url = url_ + "&options=-csearch_path%3Dapp";
  const ProcessResult run = deploy(app_url, MigrationsFolder::copy_of(reference_migrations()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(table_exists(url_, "app._prisma_migrations"));
  EXPECT_TRUE(table_exists(url_, "app.services"));
  EXPECT_FALSE(table_exists(url_, "public._prisma_migrations"));
  EXPECT_FALSE(table_exists(url_, "public.services"));
}

TEST_F(Deploy, BadInputIsRefusedBeforeTheDatabaseIsTouched) {
  const std::string missing = "/nonexistent/prisma/migrations";
  const ProcessResult no_folder = run_pmc("pmc-deploy-db", url_, {"--migrations", missing});
  EXPECT_EQ(no_folder.exit_code, 2);
  EXPECT_TRUE(contains(no_folder.err, "[PMC-3103]") && contains(no_folder.err, missing))
      << no_folder.err;

  MigrationsFolder empty_one = MigrationsFolder::copy_of(reference_migrations());
  fs::create_directories(empty_one.path() / "20240301000000_forgotten");
  const ProcessResult no_script = deploy(url_, empty_one);
  EXPECT_EQ(no_script.exit_code, 2);
  EXPECT_TRUE(contains(no_script.err, "[PMC-3015]") &&
              contains(no_script.err, "20240301000000_forgotten"))
      << no_script.err;

  MigrationsFolder mysql = MigrationsFolder::copy_of(reference_migrations());
  write_file(mysql.path() / "migration_lock.toml", "provider = \"mysql\"\n");
  const ProcessResult provider = deploy(url_, mysql);
  EXPECT_EQ(provider.exit_code, 1);
  EXPECT_TRUE(contains(provider.err, "[PMC-3019]") && contains(provider.err, "mysql"))
      << provider.err;

  const ProcessResult bad_timeout =
      deploy(url_, MigrationsFolder::copy_of(reference_migrations()), {"--lock-timeout", "-1"});
  EXPECT_EQ(bad_timeout.exit_code, 2);
  EXPECT_TRUE(contains(bad_timeout.err, "--lock-timeout")) << bad_timeout.err;

  EXPECT_FALSE(table_exists(url_, "_prisma_migrations"));
  EXPECT_FALSE(table_exists(url_, "services"));
}

TEST_F(Deploy, RefusesOutsideCiAndAnotherEnvironmentWithoutWriting) {
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  Environment outside = clean_environment();
  outside["DATABASE_URL"] = url_;
  outside["PMC_EXPECTED_ENV"] = "prod";
  const ProcessResult not_ci =
      run_process({pmc_binary("pmc-deploy-db"), "--migrations", folder.path().string()}, outside);
  EXPECT_EQ(not_ci.exit_code, 1);
  EXPECT_TRUE(contains(not_ci.err, "runs only in CI")) << not_ci.err;
  EXPECT_TRUE(not_ci.out.empty()) << not_ci.out;

  const ProcessResult wrong_env =
      run_pmc("pmc-deploy-db", url_, {"--migrations", folder.path().string()}, "staging");
  EXPECT_EQ(wrong_env.exit_code, 1) << wrong_env.err;
  EXPECT_FALSE(table_exists(url_, "_prisma_migrations"));
}

}  // namespace
}  // namespace pmc::test
