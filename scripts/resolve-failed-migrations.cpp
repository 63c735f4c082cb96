// pmc-resolve-failed-migrations (deprecated): `prisma migrate resolve --applied | --rolled-back
// NAME` with Prisma's checks and no look at the catalog. pmc-resolve-applied-migrations replaces
// it.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/guard.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/lock.hpp"
#include "pmc/migrations/prisma_resolve.hpp"
#include "pmc/migrations/store.hpp"

namespace {

constexpr char kProgram[] = "pmc-resolve-failed-migrations";

struct Options {
  std::string database_url;
  std::string expected_environment;
  std::string migrations_dir;
  std::chrono::milliseconds lock_timeout{};
  std::string applied;
  std::string rolled_back;
};

int run(const Options& options, const pmc::guard::CiPass& ci) {
  std::cerr << kProgram
            << ": deprecated: it marks a migration as told, without checking the database; use "
               "pmc-resolve-applied-migrations, which checks every object the migration touches "
               "before marking it.\n";
  const bool applying = !options.applied.empty();
  // --rolled-back needs no folder (Prisma reads only the table), but a folder given must be valid.
  std::optional<pmc::migrations::MigrationStore> store;
  if (applying) store = pmc::migrations::MigrationStore::load(options.migrations_dir);

  const pmc::db::ConnectOptions connect =
      pmc::db::connect_options(options.database_url, kProgram, options.expected_environment);
  pmc::db::WritableConnection connection = pmc::db::connect_writable(connect, ci);
  const pmc::migrations::MigrationLock lock =
      pmc::migrations::acquire_migration_lock(connection, options.lock_timeout);
  const pmc::migrations::MigrationsTable table =
      pmc::migrations::MigrationsTable::locate(connection);
  if (applying) {
    pmc::migrations::resolve_as_applied(connection, table, *store, options.applied);
    std::cout << "Migration " << options.applied << " marked as applied.\n";
  } else {
    pmc::migrations::resolve_as_rolled_back(connection, table, options.rolled_back);
    std::cout << "Migration " << options.rolled_back << " marked as rolled back.\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  pmc::cli::CommandLine command_line(
      kProgram,
      "Deprecated: marks one failed migration applied or rolled back as `prisma migrate resolve` "
      "does, without checking the database. Use pmc-resolve-applied-migrations (CI only).");
  CLI::App& app = command_line.app();
  Options options;
  command_line.add_database_url(options.database_url);
  command_line.add_expected_environment(options.expected_environment);
  command_line.add_migrations_dir(options.migrations_dir);
  command_line.add_lock_timeout(options.lock_timeout);
  CLI::Option* applied =
      app.add_option("--applied", options.applied, "record migration NAME as applied")
          ->type_name("NAME");
  CLI::Option* rolled_back = app.add_option("--rolled-back", options.rolled_back,
                                            "record the failed migration NAME as rolled back")
                                 ->type_name("NAME");
  applied->excludes(rolled_back);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  if (applied->count() + rolled_back->count() != 1 ||
      (options.applied.empty() && options.rolled_back.empty())) {
    std::cerr << kProgram << ": error [PMC-U001]: give one migration name, with --applied NAME or "
              << "--rolled-back NAME (see --help)\n";
    return static_cast<int>(pmc::ExitCode::UsageOrInput);
  }
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
