// Failed rows → failed migrations in folder order → effects → one catalog query → decisions.
#include "pmc/resolution/assessment.hpp"

#include <algorithm>
#include <map>

#include "pmc/migrations/checksum.hpp"
#include "pmc/resolution/extract.hpp"
#include "pmc/sql/parser.hpp"

namespace pmc::resolution {
namespace {

// Why a failed migration cannot be analysed at all; empty when it can.
std::string precheck(const FailedMigration& migration, const migrations::LocalMigration* local,
                     const std::vector<migrations::MigrationRow>& rows,
                     const migrations::MigrationStore& store) {
  if (local == nullptr) {
    return "there is no folder " + (store.dir() / migration.name).string() +
           " with a migration.sql: pmc cannot tell what it did";
  }
  for (const migrations::MigrationRow& row : migration.failed_rows) {
    if (!migrations::checksum_matches(local->script, row.checksum)) {
      return "its migration.sql changed after it failed (row " + row.id + " has checksum " +
             row.checksum + ", the file has " + local->checksum +
             "): what ran is not what the file says";
    }
  }
  for (const migrations::MigrationRow& row : rows) {
    if (row.migration_name == migration.name && row.state() == migrations::RowState::Applied) {
      return "it also has a finished row (" + row.id + "): the history contradicts itself";
    }
  }
  return {};
}

template <class Connection>
Assessment assess(Connection& connection, const migrations::MigrationsTable& table,
                  const migrations::MigrationStore& store) {
  const std::vector<migrations::MigrationRow> rows =
      migrations::read_migration_rows(connection, table);
  std::map<std::string, std::size_t> position;  // folder order; unknown names after, by start
  for (std::size_t i = 0; i < store.migrations().size(); ++i) {
    position[store.migrations()[i].name] = i;
  }
  Assessment assessment;
  for (const migrations::MigrationRow& row : migrations::failed_rows(rows)) {
    auto same = [&](const FailedMigration& m) { return m.name == row.migration_name; };
    auto found = std::find_if(assessment.migrations.begin(), assessment.migrations.end(), same);
    if (found == assessment.migrations.end()) {
      assessment.migrations.push_back(FailedMigration{row.migration_name, {}, {}, {}, {}, false});
      found = std::prev(assessment.migrations.end());
    }
    found->failed_rows.push_back(row);
  }
  // Folder order; migrations without a folder after them, in the order their rows started.
  std::vector<std::pair<std::size_t, std::size_t>> order;
  for (std::size_t i = 0; i < assessment.migrations.size(); ++i) {
    const auto folder = position.find(assessment.migrations[i].name);
    order.emplace_back(folder == position.end() ? position.size() : folder->second, i);
  }
  std::sort(order.begin(), order.end());
  std::vector<FailedMigration> ordered;
  for (const auto& [folder, i] : order) ordered.push_back(std::move(assessment.migrations[i]));
  assessment.migrations = std::move(ordered);

  std::vector<std::size_t> analysed;
  std::vector<MigrationEffects> effects;
  for (std::size_t i = 0; i < assessment.migrations.size(); ++i) {
    FailedMigration& migration = assessment.migrations[i];
    const migrations::LocalMigration* local = store.find(migration.name);
    if (std::string problem = precheck(migration, local, rows, store); !problem.empty()) {
      migration.decision = {Outcome::NeedsPerson, problem};
      continue;
    }
    try {
      migration.effects = extract_effects(local->script);
    } catch (const sql::ParseError& error) {
      migration.decision = {Outcome::NeedsPerson,
                            "its SQL does not parse (" + std::string(error.what()) + ")"};
      continue;
    }
    analysed.push_back(i);
    effects.push_back(migration.effects);
  }
  if (analysed.empty()) return assessment;
  std::vector<std::vector<EffectCheck>> checks = check_effects(connection, effects);
  for (std::size_t k = 0; k < analysed.size(); ++k) {
    FailedMigration& migration = assessment.migrations[analysed[k]];
    migration.checks = std::move(checks[k]);
    migration.decision = decide(migration.checks, migration.effects.findings);
  }
  return assessment;
}

}  // namespace

std::size_t Assessment::needing_person() const {
  return static_cast<std::size_t>(std::count_if(
      migrations.begin(), migrations.end(),
      [](const FailedMigration& m) { return m.decision.outcome == Outcome::NeedsPerson; }));
}

Assessment assess_failed_migrations(db::ReadOnlyConnection& connection,
                                    const migrations::MigrationStore& store) {
  return assess(connection, migrations::MigrationsTable::locate(connection), store);
}

Assessment assess_failed_migrations(db::WritableConnection& connection,
                                    const migrations::MigrationsTable& table,
                                    const migrations::MigrationStore& store) {
  return assess(connection, table, store);
}

}  // namespace pmc::resolution
