// Migrations that change their session for good (SET without LOCAL, SET ROLE): pmc-deploy-db's
// bookkeeping still reaches the `_prisma_migrations` it started with, never one the script's
// search_path finds, and the next migration starts with the session the connection started
// with (?schema= included), as it would in a deploy of its own.
#include <gtest/gtest.h>

#include "migration_test_support.hpp"

namespace pmc::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr char kLeaves[] = "20240301000000_leaves_search_path";
constexpr char kNext[] = "20240302000000_next";
// What the next migration finds its session to be, kept in a table where its search_path puts it.
constexpr char kNextScript[] =
    "CREATE TABLE next_sees AS SELECT current_setting('search_path') AS search_path,"
    " current_schema()::text AS schema_then, current_user::text AS who,"
    " current_setting('lock_timeout') AS lock_timeout,"
    " current_setting('statement_timeout') AS statement_timeout;\n";

// A `_prisma_migrations` where a script's search_path would send unqualified bookkeeping.
constexpr char kDecoy[] =
    "CREATE SCHEMA other;"
    "CREATE TABLE other._prisma_migrations (id varchar(36) PRIMARY KEY NOT NULL,"
    " checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL,"
    " logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),"
    " applied_steps_count integer NOT NULL DEFAULT 0)";

struct Target {
  const char* label;
  const char* url_suffix;   // appended to the database's URL for pmc
  const char* schema;       // where `_prisma_migrations` and the migrations' tables go
  const char* search_path;  // what the session starts with
};

class SearchPathLeftBehind : public ::testing::TestWithParam<Target> {
 protected:
  void SetUp() override {
    url_ = fingerprinted_database("session_path");
    sql(url_, kDecoy);
  }
  std::string pmc_url() const { return url_ + GetParam().url_suffix; }
  std::string table(const std::string& name) const {
    return std::string(GetParam().schema) + "." + name;
  }
  std::vector<std::string> rows() const {
    return sql(url_,
               "SELECT migration_name || '|' || (finished_at IS NOT NULL)::text || '|' ||"
               " coalesce(logs, '<null>') FROM " +
                   table("_prisma_migrations") + " ORDER BY started_at");
  }

  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

TEST_P(SearchPathLeftBehind, TheRowIsFinishedAndTheNextMigrationStartsAfresh) {
  folder_.write(kLeaves, "SET search_path TO other;\nCREATE TABLE made_in_other (id integer);\n");
  folder_.write(kNext, kNextScript);
  const ProcessResult deployed = deploy(pmc_url(), folder_);
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  EXPECT_TRUE(contains(deployed.out, "6 migrations applied")) << deployed.out;

  const std::vector<std::string> recorded = rows();
  ASSERT_EQ(recorded.size(), kReferenceMigrationCount + 2);
  for (const std::string& row : recorded) EXPECT_TRUE(contains(row, "|true|")) << row;
  EXPECT_EQ(recorded[kReferenceMigrationCount], std::string(kLeaves) + "|true|<null>");
  EXPECT_EQ(one(url_, "SELECT count(*) FROM other._prisma_migrations"), "0");
  // The script's own SET held for the rest of its script…
  EXPECT_EQ(one(url_, "SELECT to_regclass('other.made_in_other') IS NOT NULL"), "t");
  // …and not beyond it.
  EXPECT_EQ(one(url_, "SELECT search_path || '|' || schema_then FROM " + table("next_sees")),
            std::string(GetParam().search_path) + "|" + GetParam().schema);
  EXPECT_EQ(one(url_, "SELECT to_regclass('other.next_sees') IS NULL"), "t");

  // A second deploy reads the same history: nothing to do.
  const ProcessResult again = deploy(pmc_url(), folder_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "No pending migrations to apply (6 already applied"))
      << again.out;
}

// The script commits its SET and then fails: the error still lands in its own row's logs.
TEST_P(SearchPathLeftBehind, AFailureAfterACommittedSetIsRecordedInTheRightRow) {
  folder_.write(kLeaves, "SET search_path TO other;\nCOMMIT;\nSELECT 1/0;\n");
  folder_.write(kNext, kNextScript);
  const ProcessResult deployed = deploy(pmc_url(), folder_);
  ASSERT_EQ(deployed.exit_code, 1) << deployed.out;
  EXPECT_TRUE(contains(deployed.err, "[PMC-3018]")) << deployed.err;
  EXPECT_TRUE(contains(deployed.err, "recorded as failed, with the error in logs")) << deployed.err;

  const std::vector<std::string> recorded = rows();
  ASSERT_EQ(recorded.size(), kReferenceMigrationCount + 1);
  EXPECT_TRUE(contains(recorded.back(), std::string(kLeaves) + "|false|Migration name: "))
      << recorded.back();
  EXPECT_TRUE(contains(recorded.back(), "division by zero")) << recorded.back();
  EXPECT_EQ(one(url_, "SELECT count(*) FROM other._prisma_migrations"), "0");
}

INSTANTIATE_TEST_SUITE_P(Session, SearchPathLeftBehind,
                         ::testing::Values(Target{"Default", "", "public", "\"$user\", public"},
                                           Target{"PrismaSchema", "&schema=app", "app", "\"app\""}),
                         [](const auto& info) { return std::string(info.param.label); });

// SET ROLE and timeouts, deployed by a login role that is no superuser (the usual deployer,
// member of the role that owns the schema's objects): the bookkeeping runs as the deployer again
// (the owner role may not write `_prisma_migrations`), and the next migration sees none of them.
TEST(SessionLeftBehind, RoleAndTimeoutsAreResetBeforeTheBookkeeping) {
  const std::string url = fingerprinted_database("session_role");
  const std::string database = one(url, "SELECT current_database()");
  const std::string owner = database + "_owner", deployer = database + "_deployer";
  sql(url, "CREATE ROLE " + owner + " NOLOGIN; CREATE ROLE " + deployer + " LOGIN IN ROLE " +
               owner + "; ALTER DATABASE " + database + " OWNER TO " + deployer +
               "; ALTER SCHEMA public OWNER TO " + deployer +
               "; GRANT CREATE ON SCHEMA public TO " + owner +
               "; GRANT SELECT ON public.database_metadata TO " + deployer);
  const std::string as_deployer = url.substr(0, url.rfind("user=")) + "user=" + deployer;
  ASSERT_EQ(one(as_deployer, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"),
            "false");
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  folder.write(kLeaves, "SET ROLE " + owner +
                            ";\nSET lock_timeout = '4321ms';\nSET statement_timeout = '54s';\n"
                            "CREATE TABLE owned (id integer);\n");
  folder.write(kNext, kNextScript);
  const ProcessResult deployed = deploy(as_deployer, folder);
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;

  EXPECT_EQ(one(url, "SELECT tableowner FROM pg_tables WHERE tablename = 'owned'"), owner);
  EXPECT_EQ(
      one(url, "SELECT who || '|' || lock_timeout || '|' || statement_timeout FROM next_sees"),
      deployer + "|0|0");
  EXPECT_EQ(one(url, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL"), "0");
  sql(url, "REASSIGN OWNED BY " + deployer + ", " + owner + " TO CURRENT_USER; DROP OWNED BY " +
               deployer + ", " + owner + "; DROP ROLE " + deployer + "; DROP ROLE " + owner);
}

// A migration gives the login role a schema of its own, and keeps an empty copy of the history
// there: "$user" now comes first in the search_path even after the session is reset, but the
// bookkeeping stays with the table it started with.
TEST(SessionLeftBehind, ASchemaNamedAfterTheLoginRoleDoesNotMoveTheHistory) {
  const std::string url = fingerprinted_database("session_user_schema");
  const std::string role_schema = "\"" + one(url, "SELECT session_user") + "\"";
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  folder.write(kLeaves, "CREATE SCHEMA " + role_schema + ";\nCREATE TABLE " + role_schema +
                            "._prisma_migrations AS SELECT * FROM public._prisma_migrations"
                            " WITH NO DATA;\n");
  folder.write(kNext, kNextScript);
  const ProcessResult deployed = deploy(url, folder);
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  EXPECT_EQ(one(url,
                "SELECT count(*) FILTER (WHERE finished_at IS NOT NULL) || '/' || count(*)"
                " FROM public._prisma_migrations"),
            std::to_string(kReferenceMigrationCount + 2) + "/" +
                std::to_string(kReferenceMigrationCount + 2));
  EXPECT_EQ(one(url, "SELECT count(*) FROM " + role_schema + "._prisma_migrations"), "0");
  // PostgreSQL's own rule still holds for the migrations: the next one's table went to "$user".
  EXPECT_EQ(one(url, "SELECT schema_then FROM " + role_schema + ".next_sees"),
            one(url, "SELECT session_user"));
}

}  // namespace
}  // namespace pmc::test
