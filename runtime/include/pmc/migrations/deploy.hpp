// `migrate deploy`: Prisma's algorithm, plus a refusal to deploy over an edited applied migration.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/mutation.hpp"

namespace pmc::migrations {

struct DeployOptions {
  std::chrono::milliseconds lock_timeout{std::chrono::seconds(10)};  // Prisma's wait
};

struct AppliedMigration {
  std::string name;
  std::chrono::microseconds duration{};  // bookkeeping and script together
};

struct DeployReport {
  std::size_t migrations_found = 0;
  std::optional<std::string> created_schema;  // the URL's ?schema=, made as Prisma makes it
  bool created_migrations_table = false;
  std::vector<AppliedMigration> applied;
  std::chrono::microseconds duration{};
  std::size_t already_applied = 0;           // folders with an applied row before this run
  std::vector<std::string> missing_locally;  // applied rows without a folder (Prisma goes on too)
};

// Under Prisma's advisory lock (PMC-3102 when it stays taken): creates the URL's `?schema=` when
// it does not exist, as Prisma does, and `_prisma_migrations` when missing (refusing a schema
// that holds tables other than PostGIS's and pmc's fingerprint, PMC-3005, and a search_path
// naming no existing schema, PMC-3104), refuses failed rows (PMC-3009) and applied migrations
// whose file changed since (PMC-3101, CRLF-tolerant), then applies each pending migration as one
// simple-protocol query with Prisma's bookkeeping, calling `on_applied` after each; after each
// script the session's settings and role are reset to how the connection started. Stops at the
// first failing script: logs recorded, PMC-3018.
PMC_MUTATION("migrate-deploy")
DeployReport deploy_migrations(db::WritableConnection& connection, const MigrationStore& store,
                               const DeployOptions& options,
                               const std::function<void(const AppliedMigration&)>& on_applied = {});

}  // namespace pmc::migrations
