// The one command-line language of every pmc program (design.md, "One command-line language"):
// the shared flags on CLI11, a flag beating its environment variable, and the one place that
// prints a pmc::Failure the PostgreSQL way and turns it into the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pmc/error.hpp"

namespace pmc::cli {

enum class Format { Text, Json };

class CommandLine {
 public:
  // `program` is the binary's name (pmc-deploy-db …); --help and --version come with it.
  CommandLine(std::string program, std::string description);

  CLI::App& app() { return app_; }
  const std::string& program() const { return program_; }

  // --database-url URL / DATABASE_URL (required).
  CLI::Option* add_database_url(std::string& url);
  // --database-url URL, repeatable / DATABASE_URL for one (at least one required).
  CLI::Option* add_database_urls(std::vector<std::string>& urls);
  // --expect-env NAME / PMC_EXPECTED_ENV (required, no default).
  CLI::Option* add_expected_environment(std::string& name);
  // --expect-env NAME, repeatable / PMC_EXPECTED_ENV for one (at least one required): one for
  // every database, or one per --database-url in the same order (the program checks which).
  CLI::Option* add_expected_environments(std::vector<std::string>& names);
  // --format text|json (default text).
  CLI::Option* add_format(Format& format);
  // --connect-timeout SECONDS: how long connecting may keep retrying a server that is not there
  // yet (0.1 to 3600, fractions allowed); `budget` keeps its value (30 s) when not given.
  CLI::Option* add_connect_timeout(std::chrono::milliseconds& budget);
  // --migrations DIR, the Prisma migrations folder (default prisma/migrations).
  CLI::Option* add_migrations_dir(std::string& dir);
  // --lock-timeout SECONDS, how long to wait for the migration advisory lock (default 10, as
  // Prisma; a non-negative number, fractions allowed).
  CLI::Option* add_lock_timeout(std::chrono::milliseconds& timeout);

  // Parses argv. Returns the exit status when the program is done already: 0 after --help or
  // --version, 2 after bad input (one line on stderr). nullopt: go on.
  std::optional<int> parse(int argc, char** argv);

 private:
  std::string program_;
  CLI::App app_;
};

// Prints `pmc-x: error [PMC-xxxx]: message`, then `detail: …` and `hint: …` when present, on
// stderr; returns the failure's exit status.
int report(const std::string& program, const Failure& failure);

// Runs a program's body; a pmc::Failure it throws is reported and becomes the exit status, any
// other exception is reported as an internal error (exit 2).
int run(const std::string& program, const std::function<int()>& body);

std::string version_text(const std::string& program);

}  // namespace pmc::cli
