// The analysis both pmc-check-failed-migrations and pmc-resolve-applied-migrations run: every
// failed row of `_prisma_migrations`, its file, its effects, one catalog query, a decision each.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/resolution/catalog_check.hpp"
#include "pmc/resolution/decision.hpp"
#include "pmc/resolution/effects.hpp"

namespace pmc::resolution {

struct FailedMigration {
  std::string name;
  std::vector<migrations::MigrationRow> failed_rows;  // finished_at and rolled_back_at NULL
  MigrationEffects effects;                           // empty when the file could not be read
  std::vector<EffectCheck> checks;
  Decision decision;
  bool resolved = false;  // set once pmc-resolve-applied-migrations has marked it
};

struct Assessment {
  std::vector<FailedMigration> migrations;  // in folder order (names without a folder last)
  std::size_t needing_person() const;
};

// Reads only. A failed migration needs a person, before any catalog check, when its folder is
// gone, its migration.sql changed after it failed, its SQL does not parse, or it also has a
// finished row. The read-only form reads `_prisma_migrations` in the session's current schema;
// the resolving one reads the table its caller located under the advisory lock.
Assessment assess_failed_migrations(db::ReadOnlyConnection& connection,
                                    const migrations::MigrationStore& store);
Assessment assess_failed_migrations(db::WritableConnection& connection,
                                    const migrations::MigrationsTable& table,
                                    const migrations::MigrationStore& store);

}  // namespace pmc::resolution
