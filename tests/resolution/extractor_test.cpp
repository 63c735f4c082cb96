// The extractor without a database: names as PostgreSQL resolves and chooses them, the net effect
// of statements on one another, DO blocks, and everything the catalog cannot show.
#include <gtest/gtest.h>

#include <algorithm>

#include "pmc/resolution/extract.hpp"
#include "pmc/sql/parser.hpp"

namespace pmc::resolution {
namespace {

// "create table public.t", "rename column t.a <- t.b" …: the effects in a comparable form.
std::vector<std::string> lines(const MigrationEffects& effects) {
  std::vector<std::string> out;
  for (const Effect& effect : effects.effects) {
    std::string line = action_name(effect.action) + " " + describe(effect.object);
    if (effect.previous) line += " <- " + describe(*effect.previous);
    if (effect.idempotent) line += " ?";
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> lines(std::string_view script) { return lines(extract_effects(script)); }

std::vector<Concern> concerns(std::string_view script) {
  std::vector<Concern> out;
  for (const Finding& finding : extract_effects(script).findings) out.push_back(finding.concern);
  return out;
}

bool has(const std::vector<std::string>& all, const std::string& line) {
  return std::find(all.begin(), all.end(), line) != all.end();
}

const Effect& only_column(const MigrationEffects& effects, const std::string& name) {
  for (const Effect& effect : effects.effects) {
    if (effect.object.kind == ObjectKind::Column && effect.object.name == name) return effect;
  }
  throw std::runtime_error("no column " + name);
}

TEST(ExtractorNames, QuotedNamesKeepTheirCaseUnquotedOnesFold) {
  EXPECT_EQ(
      lines("CREATE TABLE Users (Email text); CREATE TABLE \"Users\" (\"Email\" text);"),
      (std::vector<std::string>{"create table users", "create column users.email",
                                "create table \"Users\"", "create column \"Users\".\"Email\""}));
}

TEST(ExtractorNames, SchemaQualifiedNamesAndIndexesInTheirTablesSchema) {
  const auto effects = lines(
      "CREATE TABLE billing.invoices (id int);"
      "CREATE INDEX ON billing.invoices (id);"
      "CREATE INDEX inv_id ON billing.invoices (id);");
  EXPECT_TRUE(has(effects, "create table billing.invoices"));
  EXPECT_TRUE(has(effects, "create index billing.invoices_id_idx on invoices"));
  EXPECT_TRUE(has(effects, "create index billing.inv_id on invoices"));
}

TEST(ExtractorNames, SetSearchPathAndCreateSchemaElementsMoveUnqualifiedNames) {
  const auto effects = lines(
      "SET search_path TO billing; CREATE TABLE a (id int); RESET search_path; CREATE TABLE b ();"
      "CREATE SCHEMA s CREATE TABLE c () CREATE VIEW v AS SELECT 1;");
  EXPECT_TRUE(has(effects, "create table billing.a"));
  EXPECT_TRUE(has(effects, "create table b"));
  EXPECT_TRUE(has(effects, "create schema s"));
  EXPECT_TRUE(has(effects, "create table s.c"));
  EXPECT_TRUE(has(effects, "create view s.v"));
  // Several schemas: where a name lands depends on what exists, which pmc does not guess.
  EXPECT_EQ(concerns("SET search_path TO a, b; CREATE TABLE t ();"),
            std::vector<Concern>{Concern::Unsupported});
}

TEST(ExtractorNames, KeysSequencesAndChecksGetPostgresChosenNames) {
  const auto effects = lines(
      "CREATE TABLE t (id serial PRIMARY KEY, email text UNIQUE, org int REFERENCES o,"
      " age int CHECK (age > 0), CHECK (age < 200), CHECK (age > id), UNIQUE (email) INCLUDE (age),"
      " big bigint GENERATED ALWAYS AS IDENTITY);"
      "ALTER TABLE t ADD CHECK (age <> 7), ADD FOREIGN KEY (org, age) REFERENCES o2;");
  for (const char* expected :
       {"create sequence t_id_seq", "create constraint t_pkey on t",
        "create constraint t_email_key on t", "create constraint t_org_fkey on t",
        "create constraint t_age_check on t", "create constraint t_age_check1 on t",
        "create constraint t_check on t", "create constraint t_email_age_key on t",
        "create sequence t_big_seq", "create constraint t_age_check2 on t",
        "create constraint t_org_age_fkey on t"}) {
    EXPECT_TRUE(has(effects, expected)) << expected;
  }
  // A key and its index are one object: the constraint is what is checked.
  EXPECT_FALSE(has(effects, "create index t_pkey on t"));
}

TEST(ExtractorNames, IndexNamesFromExpressionsAndRepeatedColumns) {
  const auto effects = lines(
      "CREATE INDEX ON t (lower(email), lower(name));"
      "CREATE INDEX ON t ((a + b));"
      "CREATE INDEX ON t (a) INCLUDE (b);"
      "CREATE INDEX ON t (a);"
      "CREATE UNIQUE INDEX ON t (a);");
  EXPECT_TRUE(has(effects, "create index t_lower_lower1_idx on t"));
  EXPECT_TRUE(has(effects, "create index t_expr_idx on t"));
  EXPECT_TRUE(has(effects, "create index t_a_b_idx on t"));
  EXPECT_TRUE(has(effects, "create index t_a_idx on t"));
  EXPECT_TRUE(has(effects, "create index t_a_idx1 on t"));  // the name above is taken
}

TEST(ExtractorNames, LongNamesAreCutTo63BytesWithoutSplittingACharacter) {
  const std::string table(60, 'x');
  EXPECT_TRUE(has(lines("CREATE TABLE " + table + " (email text UNIQUE);"),
                  "create constraint " + std::string(53, 'x') + "_email_key on " + table));
  // 'é' is two bytes; cut to 58 bytes the name would end in half a character: PostgreSQL (and
  // pmc) cut one byte more.
  std::string accented = "a";
  for (int i = 0; i < 29; ++i) accented += "\xc3\xa9";
  std::string kept = "a";
  for (int i = 0; i < 28; ++i) kept += "\xc3\xa9";
  const MigrationEffects effects =
      extract_effects("CREATE TABLE \"" + accented + "\" (id int PRIMARY KEY);");
  ASSERT_EQ(effects.effects.size(), 3U);
  EXPECT_EQ(effects.effects[2].object.name, kept + "_pkey");
}

TEST(ExtractorColumns, TypesTypmodsNullabilityAndDefaults) {
  const MigrationEffects effects = extract_effects(
      "CREATE TABLE t (a varchar(20) NOT NULL DEFAULT 'x', b numeric(10,2), c timestamp(3),"
      " d text[] DEFAULT '{}', e int DEFAULT -1, f \"Status\" NULL);");
  const ColumnExpectation& a = only_column(effects, "a").column;
  EXPECT_EQ(a.type_names, (std::vector<std::string>{"pg_catalog", "varchar"}));
  EXPECT_EQ(a.type_modifier, 24);
  EXPECT_EQ(a.not_null, std::optional<bool>(true));
  EXPECT_EQ(a.default_sql, normalized_default("'x'::character varying"));
  EXPECT_EQ(only_column(effects, "b").column.type_modifier, ((10 << 16) | 2) + 4);
  EXPECT_EQ(only_column(effects, "c").column.type_modifier, 3);
  EXPECT_EQ(only_column(effects, "d").column.array_dimensions, 1);
  EXPECT_EQ(only_column(effects, "d").column.default_sql, normalized_default("'{}'::text[]"));
  // pg_get_expr() prints a negative constant as a cast string: the two still compare equal.
  EXPECT_EQ(only_column(effects, "e").column.default_sql, normalized_default("'-1'::integer"));
  EXPECT_NE(only_column(effects, "e").column.default_sql, normalized_default("1"));
  EXPECT_EQ(only_column(effects, "f").column.type_names, std::vector<std::string>{"Status"});
  EXPECT_EQ(only_column(effects, "f").column.default_sql, std::nullopt);
  EXPECT_TRUE(only_column(effects, "f").column.sets_default);
}

TEST(ExtractorColumns, AltersFoldIntoWhatTheMigrationMadeAndPrimaryKeysMakeNotNull) {
  const MigrationEffects effects = extract_effects(
      "CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN a TYPE "
      "bigint;"
      "ALTER TABLE u ADD PRIMARY KEY (b); ALTER TABLE u ALTER COLUMN c DROP DEFAULT;");
  const Effect& a = only_column(effects, "a");
  EXPECT_EQ(a.action, Action::Create);
  EXPECT_EQ(a.column.type_names, (std::vector<std::string>{"pg_catalog", "int8"}));
  EXPECT_EQ(a.column.not_null, std::optional<bool>(true));
  EXPECT_EQ(only_column(effects, "b").action, Action::Alter);
  EXPECT_EQ(only_column(effects, "b").column.not_null, std::optional<bool>(true));
  EXPECT_TRUE(only_column(effects, "c").column.sets_default);
  EXPECT_EQ(only_column(effects, "c").column.default_sql, std::nullopt);
}

TEST(ExtractorNetEffect, CreateThenDropLeavesNothingAndDropThenCreateIsIndistinguishable) {
  EXPECT_TRUE(lines("CREATE TABLE tmp (a int); CREATE INDEX ON tmp (a); DROP TABLE tmp;").empty());
  EXPECT_EQ(concerns("DROP INDEX i; CREATE INDEX i ON t (a);"),
            std::vector<Concern>{Concern::Indistinguishable});
  EXPECT_EQ(concerns("DROP TABLE b; ALTER TABLE a RENAME TO b;"),
            std::vector<Concern>{Concern::Indistinguishable});
  // Prisma's enum change: the new type takes the old one's name.
  EXPECT_EQ(concerns("CREATE TYPE \"Role_new\" AS ENUM ('A');"
                     "ALTER TYPE \"Role\" RENAME TO \"Role_old\";"
                     "ALTER TYPE \"Role_new\" RENAME TO \"Role\";"
                     "DROP TYPE \"Role_old\";"),
            std::vector<Concern>{Concern::Indistinguishable});
}

TEST(ExtractorNetEffect, RenamesCarryWhatCameBeforeAndRememberWhereThingsWere) {
  EXPECT_EQ(
      lines("CREATE TABLE a (x int); ALTER TABLE a RENAME TO b; ALTER TABLE b RENAME x TO y;"),
      (std::vector<std::string>{"create table b", "create column b.y"}));
  EXPECT_EQ(
      lines("ALTER TABLE a RENAME TO b; ALTER TABLE b RENAME COLUMN x TO y;"
            "ALTER TABLE b DROP COLUMN z;"),
      (std::vector<std::string>{"rename table b <- table a", "rename column b.y <- column a.x",
                                "drop column b.z <- column a.z"}));
  EXPECT_TRUE(lines("ALTER TABLE a RENAME TO b; ALTER TABLE b RENAME TO a;").empty());
  // A key made here and its index share a name: ALTER INDEX renames the constraint.
  EXPECT_EQ(lines("ALTER TABLE t ADD CONSTRAINT k UNIQUE (a); ALTER INDEX k RENAME TO k2;"),
            std::vector<std::string>{"create constraint k2 on t"});
  // A column of a renamed enum type shows the type's new name.
  const MigrationEffects effects = extract_effects(
      "CREATE TYPE s AS ENUM ('a'); CREATE TABLE t (c s); ALTER TYPE s RENAME TO s2;");
  EXPECT_EQ(only_column(effects, "c").column.type_names, std::vector<std::string>{"s2"});
}

TEST(ExtractorNetEffect, IdempotentFormsAreMarked) {
  EXPECT_EQ(
      lines("CREATE TABLE IF NOT EXISTS t (); DROP INDEX IF EXISTS i;"
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS c int; CREATE OR REPLACE VIEW v AS SELECT 1;"
            "ALTER TYPE e ADD VALUE IF NOT EXISTS 'x'; CREATE EXTENSION IF NOT EXISTS citext;"),
      (std::vector<std::string>{"create table t ?", "drop index i ?", "create column t.c ?",
                                "create view v ?", "create enum value 'x' of e ?",
                                "create extension citext ?"}));
}

TEST(ExtractorDoBlocks, ExceptionBlocksAndIfsAreConditionalAndLiteralExecuteIsRead) {
  const MigrationEffects effects = extract_effects(
      "SELECT 1;\n"
      "DO $$\nBEGIN\n  CREATE TYPE p AS ENUM ('LOW');\nEXCEPTION WHEN duplicate_object THEN "
      "null;\nEND $$;\n"
      "DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'x') THEN\n"
      "    CREATE TABLE x (a int);\n  END IF;\n"
      "  EXECUTE 'CREATE INDEX x_a ON x (a)';\n  CREATE TABLE y ();\nEND $$;");
  EXPECT_EQ(lines(effects),
            (std::vector<std::string>{"create enum type p ?", "create enum value 'LOW' of p ?",
                                      "create table x ?", "create column x.a ?",
                                      "create index x_a on x", "create table y"}));
  EXPECT_TRUE(effects.findings.empty());
  // Lines: the DO starts on line 2 (its CREATE TYPE on 4); the second DO's CREATE TABLE y on 12.
  EXPECT_EQ(effects.effects[0].line, 4);
  EXPECT_EQ(effects.effects[5].line, 12);
}

TEST(ExtractorDoBlocks, BuiltExecuteDataChangesAndOtherLanguagesAreFindings) {
  EXPECT_EQ(concerns("DO $$ BEGIN EXECUTE format('CREATE TABLE %I ()', 't'); END $$;"),
            std::vector<Concern>{Concern::DynamicSql});
  EXPECT_EQ(concerns("DO $$ DECLARE n text := 't'; BEGIN EXECUTE 'DROP TABLE ' || n; END $$;"),
            std::vector<Concern>{Concern::DynamicSql});
  EXPECT_EQ(concerns("DO $$ BEGIN UPDATE t SET a = 1; END $$;"),
            std::vector<Concern>{Concern::DataChange});
  EXPECT_EQ(concerns("DO $$ BEGIN PERFORM setval('s', 10); END $$;"),
            std::vector<Concern>{Concern::DataChange});
  EXPECT_EQ(concerns("DO $$ DECLARE n int; BEGIN n := nextval('s'); END $$;"),
            std::vector<Concern>{Concern::DataChange});
  EXPECT_EQ(concerns("DO $$ BEGIN EXECUTE 'DELETE FROM t'; END $$;"),
            std::vector<Concern>{Concern::DataChange});
  EXPECT_EQ(concerns("DO LANGUAGE plperl $$ 1 $$;"), std::vector<Concern>{Concern::Unsupported});
  // Reading the catalog in a condition is no data change.
  EXPECT_TRUE(
      concerns("DO $$ BEGIN IF to_regclass('t') IS NULL THEN CREATE TABLE t (); END IF; END $$;")
          .empty());
}

TEST(ExtractorDataChanges, DmlAnywhereAndCallsThatMayWrite) {
  for (const char* script :
       {"INSERT INTO t VALUES (1);", "UPDATE t SET a = 1;", "DELETE FROM t;", "TRUNCATE t;",
        "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE;", "COPY t FROM STDIN;",
        "CALL backfill();", "SELECT * INTO t2 FROM t;",
        "WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone;",
        "EXPLAIN ANALYZE UPDATE t SET a = 2;", "SELECT setval('t_id_seq', 100);",
        "SELECT my_backfill_function();", "CREATE TABLE t2 AS SELECT * FROM t;",
        "CREATE MATERIALIZED VIEW m AS SELECT 1;"}) {
    EXPECT_EQ(concerns(script), std::vector<Concern>{Concern::DataChange}) << script;
  }
  for (const char* script : {"SELECT 1;", "SELECT count(*) FROM t;", "EXPLAIN UPDATE t SET a = 2;",
                             "SELECT 1/0;", "SET statement_timeout = 0;"}) {
    EXPECT_TRUE(concerns(script).empty()) << script;
  }
}

TEST(ExtractorUnsupported, StatementsWhoseEffectPmcDoesNotCheckFailClosed) {
  for (const char* script :
       {"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';", "GRANT SELECT ON t TO u;",
        "COMMENT ON TABLE t IS 'x';", "ALTER TABLE t OWNER TO u;", "CREATE TABLE t (LIKE u);",
        "CREATE TABLE t () INHERITS (u);", "DROP FUNCTION f;",
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX i;", "ALTER SEQUENCE s RESTART;",
        "CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION f();"}) {
    EXPECT_EQ(concerns(script), std::vector<Concern>{Concern::Unsupported}) << script;
  }
}

TEST(ExtractorErrors, ASyntaxErrorIsAParseErrorWithItsPosition) {
  try {
    extract_effects("CREATE TABLE t (a int);\nCREATE TABLE (;");
    FAIL() << "no parse error";
  } catch (const sql::ParseError& error) {
    EXPECT_TRUE(error.has_position());
    EXPECT_EQ(error.position().line, 2);
  }
}

}  // namespace
}  // namespace pmc::resolution
