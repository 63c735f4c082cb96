// pmc-check-failed-migrations: the predeploy gate (read-only). For each failed migration, the
// analysis resolution makes: resolvable as applied, as rolled back, or needs a person. Exit 0 when
// nothing needs a person, 1 otherwise. Opens only a read-only connection and writes nothing.
#include <iostream>
#include <optional>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/resolution/assessment.hpp"
#include "pmc/resolution/report.hpp"

namespace {

constexpr char kProgram[] = "pmc-check-failed-migrations";

struct Options {
  std::string database_url;
  std::string expected_environment;
  std::string migrations_dir;
  pmc::cli::Format format = pmc::cli::Format::Text;
};

int run(const Options& options) {
  const pmc::migrations::MigrationStore store =
      pmc::migrations::MigrationStore::load(options.migrations_dir);
  const pmc::db::ConnectOptions connect =
      pmc::db::connect_options(options.database_url, kProgram, options.expected_environment);
  pmc::db::ReadOnlyConnection connection = pmc::db::connect_read_only(connect);
  const pmc::resolution::Assessment assessment =
      pmc::resolution::assess_failed_migrations(connection, store);
  pmc::resolution::write_assessment(std::cout, assessment, options.format == pmc::cli::Format::Json);
  return assessment.needing_person() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      kProgram,
      "Predeploy gate (read-only): decides for each failed migration whether the database shows "
      "it applied, rolled back, or something a person must look at. Exit 0 when nothing needs a "
      "person, 1 otherwise.");
  Options options;
  command_line.add_database_url(options.database_url);
  command_line.add_expected_environment(options.expected_environment);
  command_line.add_migrations_dir(options.migrations_dir);
  command_line.add_format(options.format);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options); });
}
