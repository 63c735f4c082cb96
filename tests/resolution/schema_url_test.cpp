// The resolution programs on a Prisma-style `?schema=app` URL: failed rows are read from
// app._prisma_migrations, unqualified names in the migrations are checked in `app` (a table of the
// same name in public does not count), and the marks land in app._prisma_migrations.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "raw_sql.hpp"
#include "resolution_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

constexpr char kAudit[] = "20250101000000_audit";
constexpr char kAuditScript[] = "CREATE TABLE audit (id integer PRIMARY KEY);\n";
constexpr char kRating[] = "20250102000000_rating";
constexpr char kRatingScript[] = "ALTER TABLE providers ADD COLUMN rating integer;\n";

class SchemaUrl : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = ThrowawayCluster::shared().fresh_database("schema_url");
    fingerprint(url_);  // public.database_metadata, whatever the URL's schema
    // Raw connections see the database as the programs do with ?schema=app.
    in_app_ = url_ + "&options=-c%20search_path%3Dapp";
    run_ok(url_, "CREATE SCHEMA app; CREATE TABLE app.providers (id integer PRIMARY KEY);");
    create_migrations_table(in_app_);
    dir_ = std::filesystem::temp_directory_path() / ("pmc-schema-url-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    for (const FixtureMigration& migration :
         {FixtureMigration{kAudit, kAuditScript}, FixtureMigration{kRating, kRatingScript}}) {
      std::filesystem::create_directories(dir_ / migration.name);
      std::ofstream(dir_ / migration.name / "migration.sql", std::ios::binary) << migration.script;
      record_failed(in_app_, migration, migration.name == kAudit ? 0 : 1);
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string url_, in_app_;
  std::filesystem::path dir_;
};

TEST_F(SchemaUrl, RowsAndObjectsAreLookedUpInTheNamedSchema) {
  run_ok(url_, "CREATE TABLE public.audit (id integer PRIMARY KEY);");  // not where app looks
  run_ok(in_app_, kRatingScript);                                       // app.providers.rating

  const ProcessResult gate = run_program("pmc-check-failed-migrations", url_ + "&schema=app", dir_);
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
  EXPECT_NE(gate.out.find(std::string(kAudit) + ": resolvable: mark rolled back"),
            std::string::npos)
      << gate.out;
  EXPECT_NE(gate.out.find(std::string(kRating) + ": resolvable: mark applied"), std::string::npos)
      << gate.out;
  // Without ?schema= the session looks in public, which has no history.
  const ProcessResult in_public = run_program("pmc-check-failed-migrations", url_, dir_);
  EXPECT_EQ(in_public.exit_code, 0) << in_public.err;
  EXPECT_EQ(in_public.out, "No failed migrations.\n");

  const ProcessResult resolved =
      run_program("pmc-resolve-applied-migrations", url_ + "&schema=app", dir_);
  EXPECT_EQ(resolved.exit_code, 0) << resolved.out << resolved.err;
  const std::vector<std::string> rows = migration_rows(in_app_);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_TRUE(rows[0].starts_with(std::string(kAudit) + "|false|true|")) << rows[0];
  EXPECT_TRUE(rows[1].starts_with(std::string(kRating) + "|false|true|")) << rows[1];
  EXPECT_TRUE(rows[2].starts_with(std::string(kRating) + "|true|false|")) << rows[2];
  EXPECT_EQ(sql_value(url_, "SELECT to_regclass('public._prisma_migrations') IS NULL"), "t");

  const ProcessResult again =
      run_program("pmc-resolve-applied-migrations", url_ + "&schema=app", dir_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "No failed migrations.\n");
  EXPECT_EQ(migration_rows(in_app_), rows);
}

}  // namespace
}  // namespace pmc::test
