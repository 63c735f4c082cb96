// pmc-resolve-applied-migrations (CI only): marks each failed migration applied or rolled back
// when the catalog shows which, with Prisma's resolve bookkeeping under Prisma's advisory lock.
// Never runs migration SQL. Leaves what needs a person untouched and then exits 1.
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/guard.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/resolution/report.hpp"
#include "pmc/resolution/resolve.hpp"

namespace {

constexpr char kProgram[] = "pmc-resolve-applied-migrations";

struct Options {
  std::string database_url;
  std::string expected_environment;
  std::string migrations_dir;
  std::chrono::milliseconds lock_timeout{};
  pmc::cli::Format format = pmc::cli::Format::Text;
};

int run(const Options& options, const pmc::guard::CiPass& ci) {
  const pmc::migrations::MigrationStore store =
      pmc::migrations::MigrationStore::load(options.migrations_dir);
  const pmc::db::ConnectOptions connect =
      pmc::db::connect_options(options.database_url, kProgram, options.expected_environment);
  pmc::db::WritableConnection connection = pmc::db::connect_writable(connect, ci);
  const pmc::resolution::Assessment assessment =
      pmc::resolution::resolve_failed_migrations(connection, store, options.lock_timeout);
  pmc::resolution::write_assessment(std::cout, assessment, options.format == pmc::cli::Format::Json);
  return assessment.needing_person() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  pmc::cli::CommandLine command_line(
      kProgram,
      "Marks each failed migration applied or rolled back when the database shows which (every "
      "object it touches checked in the catalog), as `prisma migrate resolve` records it. Leaves "
      "the others for a person and exits 1. Never runs migration SQL. CI only.");
  Options options;
  command_line.add_database_url(options.database_url);
  command_line.add_expected_environment(options.expected_environment);
  command_line.add_migrations_dir(options.migrations_dir);
  command_line.add_lock_timeout(options.lock_timeout);
  command_line.add_format(options.format);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
