// Which SQL literals only read (libpg_query's parse trees), and which sink calls can mutate:
// spawns of database tools or built commands, look-ups of sink names, taken addresses.
#include <gtest/gtest.h>

#include <filesystem>

#include "classify/sink_judge.hpp"
#include "classify/sql_effect.hpp"

namespace pmc::audit {
namespace {

const contract::Contract& repository_contract() {
  static const contract::Contract contract =
      contract::load_file(std::filesystem::path(PMC_SOURCE_DIR) / "rules" / "contract.json");
  return contract;
}

SqlEffect effect(const std::string& sql) {
  return sql_effect(sql, repository_contract().sinks.state_changing_sql_functions);
}

TEST(SqlEffect, ReadsOnly) {
  EXPECT_EQ(effect("SELECT 1"), SqlEffect::ReadOnly);
  EXPECT_EQ(effect("SELECT count(*) FROM bookings; SHOW search_path"), SqlEffect::ReadOnly);
  EXPECT_EQ(effect("SET statement_timeout = 0"), SqlEffect::ReadOnly);
  EXPECT_EQ(effect("BEGIN"), SqlEffect::ReadOnly);
  EXPECT_EQ(effect("EXPLAIN DELETE FROM bookings"), SqlEffect::ReadOnly);  // planned, not run
  EXPECT_EQ(effect("EXPLAIN (ANALYZE) SELECT 1"), SqlEffect::ReadOnly);
  EXPECT_EQ(effect("SELECT id FROM services FOR UPDATE"), SqlEffect::ReadOnly);
}

TEST(SqlEffect, Mutates) {
  EXPECT_EQ(effect("DELETE FROM bookings"), SqlEffect::Mutating);
  EXPECT_EQ(effect("SELECT 1; DROP TABLE services"), SqlEffect::Mutating);
  EXPECT_EQ(effect("WITH gone AS (DELETE FROM t RETURNING 1) SELECT * FROM gone"), SqlEffect::Mutating);
  EXPECT_EQ(effect("SELECT setval('s', 1)"), SqlEffect::Mutating);
  EXPECT_EQ(effect("SELECT pg_catalog.NEXTVAL('s')"), SqlEffect::Mutating);
  EXPECT_EQ(effect("SELECT * INTO backup FROM services"), SqlEffect::Mutating);
  EXPECT_EQ(effect("EXPLAIN ANALYZE DELETE FROM bookings"), SqlEffect::Mutating);
  EXPECT_EQ(effect("LOCK TABLE services"), SqlEffect::Mutating);
  EXPECT_EQ(effect("DO $$ BEGIN PERFORM 1; END $$"), SqlEffect::Mutating);
}

TEST(SqlEffect, TextThatIsNotSql) {
  EXPECT_EQ(effect("pmc_statement"), SqlEffect::NotSql);
  EXPECT_EQ(effect(""), SqlEffect::NotSql);
  EXPECT_EQ(effect("could not connect"), SqlEffect::NotSql);
}

SinkArgument literal(std::string text) { return {true, std::move(text)}; }
SinkArgument dynamic() { return {false, {}}; }

SinkFact sink(SinkKind kind, std::string function, std::vector<SinkArgument> arguments,
              int command_argument = -1) {
  SinkFact fact;
  fact.kind = kind;
  fact.function = std::move(function);
  fact.arguments = std::move(arguments);
  fact.command_argument = command_argument;
  return fact;
}

TEST(SinkJudge, SqlMutatesUnlessAReadOnlyLiteral) {
  const SinkJudge judge(repository_contract());
  EXPECT_FALSE(judge.mutates(sink(SinkKind::Sql, "PQexec", {dynamic(), literal("SELECT 1")})));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Sql, "PQexec", {dynamic(), literal("UPDATE t SET a = 1")})));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Sql, "PQexec", {dynamic(), dynamic()})));
  // A statement name is not SQL; the query literal decides.
  EXPECT_FALSE(judge.mutates(sink(SinkKind::Sql, "PQprepare", {dynamic(), literal("count"), literal("SELECT 1"), dynamic()})));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Sql, "PQexecPrepared", {dynamic(), literal("count"), dynamic()})));
}

TEST(SinkJudge, SpawnsOfDatabaseToolsOrBuiltCommandsMutate) {
  const SinkJudge judge(repository_contract());
  EXPECT_FALSE(judge.mutates(sink(SinkKind::Spawn, "system", {literal("git status")}, 0)));
  EXPECT_FALSE(judge.mutates(sink(SinkKind::Spawn, "popen", {literal("pg_dump -Fc prod"), literal("r")}, 0)));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Spawn, "system", {literal("ls; /usr/bin/psql -c 'DROP TABLE x'")}, 0)));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Spawn, "system", {dynamic()}, 0)));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Spawn, "execl", {literal("/bin/sh"), literal("sh"), literal("-c"), dynamic()}, 0)));
  EXPECT_FALSE(judge.mutates(sink(SinkKind::Spawn, "posix_spawnp", {dynamic(), literal("git"), dynamic(), dynamic(), dynamic(), dynamic()}, 1)));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::Spawn, "execvp", {literal("prisma"), dynamic()}, 0)));
}

TEST(SinkJudge, LookUpsOfSinkNamesMutate) {
  const SinkJudge judge(repository_contract());
  EXPECT_TRUE(judge.mutates(sink(SinkKind::DynamicLookup, "dlsym", {dynamic(), literal("PQexec")})));
  EXPECT_TRUE(judge.mutates(sink(SinkKind::DynamicLookup, "dlsym", {dynamic(), dynamic()})));
  EXPECT_FALSE(judge.mutates(sink(SinkKind::DynamicLookup, "dlsym", {dynamic(), literal("cos")})));
  EXPECT_TRUE(judge.may_find_connection(sink(SinkKind::DynamicLookup, "dlsym", {dynamic(), literal("PQconnectdb")})));
  EXPECT_FALSE(judge.may_find_connection(sink(SinkKind::DynamicLookup, "dlsym", {dynamic(), literal("PQexec")})));
}

TEST(SinkJudge, TakenAddressesOfSqlSinksMutateConnectionsAreTheirOwnRule) {
  const SinkJudge judge(repository_contract());
  SinkFact exec = sink(SinkKind::Sql, "PQexec", {});
  exec.address_taken = true;
  EXPECT_TRUE(judge.mutates(exec));
  SinkFact connect = sink(SinkKind::Connection, "PQconnectdb", {});
  EXPECT_FALSE(judge.mutates(connect));
  connect.address_taken = true;
  EXPECT_FALSE(judge.mutates(connect));
}

}  // namespace
}  // namespace pmc::audit
