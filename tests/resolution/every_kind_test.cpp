// For every object kind, the three states a failed migration can leave: all of it in the
// database, none of it, or part of it (run by hand, statement by statement). The predeploy gate
// must classify each, and pmc-resolve-applied-migrations must mark it as Prisma's resolve does,
// or leave it for a person, changing nothing else; a second run does nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog_snapshot.hpp"
#include "pmc/migrations/checksum.hpp"
#include "raw_sql.hpp"
#include "resolution_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

enum class State { All, None, Partial };
enum class Expect { Applied, RolledBack, Person };

struct KindCase {
  std::string migration;  // folder name suffix in fixtures/migrations/resolution
  Expect all, none, partial;
  std::size_t partial_statements = 1;  // how many statements "part of it" runs
};

const std::vector<KindCase>& kinds() {
  using E = Expect;
  static const std::vector<KindCase> cases = {
      {"base", E::Applied, E::RolledBack, E::Person},
      {"schemas", E::Applied, E::RolledBack, E::Person},
      {"tables", E::Applied, E::RolledBack, E::Person},
      {"columns", E::Applied, E::RolledBack, E::Person},
      {"enum_types", E::Applied, E::RolledBack, E::Person},
      {"enum_values", E::Applied, E::RolledBack, E::Person},
      {"indexes", E::Applied, E::RolledBack, E::Person},
      {"unique_constraints", E::Applied, E::RolledBack, E::Person},
      {"foreign_keys", E::Applied, E::RolledBack, E::Person},
      {"check_constraints", E::Applied, E::RolledBack, E::Person},
      {"sequences", E::Applied, E::RolledBack, E::Person},
      {"views", E::Applied, E::RolledBack, E::Person},
      {"extensions", E::Applied, E::RolledBack, E::Person},
      {"altered_columns", E::Applied, E::RolledBack, E::Person},
      {"renames", E::Applied, E::RolledBack, E::Person},
      {"drops", E::Applied, E::RolledBack, E::Person},
      // The enum exists (made by its idempotent DO block), the column does not: running the
      // migration again is safe, so it is rolled back.
      {"idempotent_enum", E::Applied, E::RolledBack, E::RolledBack},
      // An UPDATE: whatever the columns show, a person decides.
      {"data_migration", E::Person, E::Person, E::Person},
      {"implicit_names", E::Applied, E::RolledBack, E::Person},
      {"do_block_ddl", E::Applied, E::RolledBack, E::Person},
      {"search_path_and_long_names", E::Applied, E::RolledBack, E::Person, 2},
  };
  return cases;
}

std::string state_name(State state) {
  return state == State::All ? "all" : state == State::None ? "none" : "partial";
}

std::string database_name(std::size_t index, State state) {
  return "kind_" + std::to_string(index) + "_" + state_name(state);
}

// One template per fixture position is too many databases; instead one rolling template: before
// each migration is applied to it, it is copied once per state.
class EveryKind : public ::testing::TestWithParam<std::tuple<std::size_t, State>> {
 public:
  static void SetUpTestSuite() {
    ThrowawayCluster& cluster = ThrowawayCluster::shared();
    const std::vector<FixtureMigration> migrations = fixture_migrations(resolution_fixtures());
    ASSERT_EQ(migrations.size(), kinds().size());
    const std::string template_db = cluster.create_database("kinds_template");
    create_migrations_table(template_db);
    for (std::size_t i = 0; i < migrations.size(); ++i) {
      ASSERT_TRUE(migrations[i].name.ends_with("_" + kinds()[i].migration)) << migrations[i].name;
      // FILE_COPY: for a small template on a throwaway cluster, twice as fast as WAL_LOG.
      for (const State state : {State::All, State::None, State::Partial}) {
        run_ok(cluster.url(), "CREATE DATABASE " + database_name(i, state) +
                                  " TEMPLATE kinds_template STRATEGY FILE_COPY");
      }
      run_ok(template_db, migrations[i].script);
      record_applied(template_db, migrations[i], static_cast<int>(i));
    }
  }
};

Expect expected(const KindCase& kind, State state) {
  return state == State::All ? kind.all : state == State::None ? kind.none : kind.partial;
}

std::string outcome_key(Expect expect) {
  return expect == Expect::Applied      ? "applied"
         : expect == Expect::RolledBack ? "rolled-back"
                                        : "needs-person";
}

std::string catalog_text(const std::string& url) {
  std::string text;
  for (const CatalogObject& object : catalog_snapshot(url)) {
    text +=
        object.kind + " " + object.identity + " " + object.qualified() + " " + object.detail + "\n";
  }
  return text;
}

TEST_P(EveryKind, IsClassifiedAndResolvedAsTheCatalogShows) {
  const auto [index, state] = GetParam();
  const KindCase& kind = kinds()[index];
  const FixtureMigration migration = fixture_migrations(resolution_fixtures())[index];
  const Expect expect = expected(kind, state);
  const std::string url = ThrowawayCluster::shared().url(database_name(index, state));
  fingerprint(url);
  record_failed(url, migration, static_cast<int>(index));
  if (state == State::All) run_ok(url, migration.script);
  if (state == State::Partial)
    run_ok(url, first_statements(migration.script, kind.partial_statements));

  const std::vector<std::string> rows = migration_rows(url);
  const std::string catalog = catalog_text(url);

  // The predeploy gate classifies and changes nothing.
  const ProcessResult check =
      run_program("pmc-check-failed-migrations", url, resolution_fixtures(), {"--format", "json"});
  ASSERT_EQ(check.exit_code, expect == Expect::Person ? 1 : 0) << check.out << check.err;
  const nlohmann::json report = nlohmann::json::parse(check.out);
  ASSERT_EQ(report["failed_migrations"].size(), 1U) << check.out;
  const nlohmann::json& assessed = report["failed_migrations"][0];
  EXPECT_EQ(assessed["name"], migration.name);
  EXPECT_EQ(assessed["outcome"], outcome_key(expect)) << assessed.dump(2);
  EXPECT_EQ(migration_rows(url), rows);
  EXPECT_EQ(catalog_text(url), catalog);
  if (expect == Expect::Person && kind.migration != "data_migration") {
    // It names what exists and what is missing.
    std::set<std::string> states;
    for (const auto& effect : assessed["effects"])
      states.insert(effect["state"].get<std::string>());
    EXPECT_TRUE(states.contains("done") && states.contains("not-done")) << assessed.dump(2);
  }

  // Resolution marks it with Prisma's bookkeeping, or leaves it; the schema stays as it is.
  const ProcessResult resolve =
      run_program("pmc-resolve-applied-migrations", url, resolution_fixtures());
  EXPECT_EQ(resolve.exit_code, expect == Expect::Person ? 1 : 0) << resolve.out << resolve.err;
  std::vector<std::string> wanted = rows;
  const std::string failed_row =
      migration.name + "|false|false|" + migrations::checksum_of(migration.script) + "|";
  ASSERT_EQ(wanted.back().rfind(failed_row, 0), 0U) << wanted.back();
  if (expect != Expect::Person) {
    wanted.back().replace(
        0, failed_row.size(),
        migration.name + "|false|true|" + migrations::checksum_of(migration.script) + "|");
  }
  if (expect == Expect::Applied) {
    wanted.push_back(migration.name + "|true|false|" + migrations::checksum_of(migration.script) +
                     "||0");
  }
  const std::vector<std::string> resolved_rows = migration_rows(url);
  EXPECT_EQ(resolved_rows, wanted);
  EXPECT_EQ(catalog_text(url), catalog);

  // A second run finds nothing to do.
  if (expect != Expect::Person) {
    const ProcessResult again =
        run_program("pmc-resolve-applied-migrations", url, resolution_fixtures());
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(again.out, "No failed migrations.\n");
    EXPECT_EQ(migration_rows(url), resolved_rows);
  }
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<std::size_t, State>>& info) {
  return kinds()[std::get<0>(info.param)].migration + "_" + state_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EveryKind,
                         ::testing::Combine(::testing::Range<std::size_t>(0, kinds().size()),
                                            ::testing::Values(State::All, State::None,
                                                              State::Partial)),
                         case_name);

}  // namespace
}  // namespace pmc::test
