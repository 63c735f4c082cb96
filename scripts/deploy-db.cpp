// pmc-deploy-db: `migrate deploy` and nothing else. Applies the pending migrations of a Prisma
// migrations folder under Prisma's advisory lock, with Prisma's bookkeeping, one line each.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/guard.hpp"
#include "pmc/migrations/deploy.hpp"
#include "pmc/migrations/store.hpp"

namespace {

constexpr char kProgram[] = "pmc-deploy-db";

struct Options {
  std::string database_url;
  std::string expected_environment;
  std::string migrations_dir;
  std::chrono::milliseconds lock_timeout{};
};

std::string milliseconds_text(std::chrono::microseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::string count_text(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

int run(const Options& options, const pmc::guard::CiPass& ci) {
  // The folder is read and checked before any connection: bad input leaves the database alone.
  const pmc::migrations::MigrationStore store =
      pmc::migrations::MigrationStore::load(options.migrations_dir);
  const pmc::db::ConnectOptions connect =
      pmc::db::connect_options(options.database_url, kProgram, options.expected_environment);
  pmc::db::WritableConnection connection = pmc::db::connect_writable(connect, ci);
  std::cout << count_text(store.migrations().size(), "migration") << " found in "
            << store.dir().string() << "; target " << pmc::db::mask_password(options.database_url)
            << " (" << connection.environment() << ")\n"
            << std::flush;

  pmc::migrations::DeployOptions deploy;
  deploy.lock_timeout = options.lock_timeout;
  const pmc::migrations::DeployReport report = pmc::migrations::deploy_migrations(
      connection, store, deploy, [](const pmc::migrations::AppliedMigration& applied) {
        std::cout << "applied " << applied.name << " (" << milliseconds_text(applied.duration)
                  << ")\n"
                  << std::flush;
      });

  for (const std::string& name : report.missing_locally) {
    std::cout << "note: " << name << " is applied in the database but has no folder in "
              << store.dir().string() << "\n";
  }
  std::string table_note;
  if (report.created_schema) table_note += "; created schema \"" + *report.created_schema + "\"";
  if (report.created_migrations_table) table_note += "; created the _prisma_migrations table";
  if (report.applied.empty()) {
    std::cout << "No pending migrations to apply (" << report.already_applied << " already applied"
              << table_note << ").\n";
  } else {
    std::cout << count_text(report.applied.size(), "migration") << " applied in "
              << milliseconds_text(report.duration) << " (" << report.already_applied
              << " already applied" << table_note << ").\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  pmc::cli::CommandLine command_line(
      kProgram,
      "Applies the pending migrations of a Prisma migrations folder, as `prisma migrate deploy` "
      "does (CI only).");
  Options options;
  command_line.add_database_url(options.database_url);
  command_line.add_expected_environment(options.expected_environment);
  command_line.add_migrations_dir(options.migrations_dir);
  command_line.add_lock_timeout(options.lock_timeout);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
