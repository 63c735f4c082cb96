// pmc-verify-fingerprints: read-only. One line per given database with the state of its
// environment fingerprint, judged as every pmc connection judges it; exit 1 unless all are healthy.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/fingerprint/verification.hpp"
#include "pmc/guard.hpp"

namespace {

constexpr char kProgram[] = "pmc-verify-fingerprints";

struct Options {
  std::vector<std::string> urls;
  std::vector<std::string> expected_environments;
  pmc::cli::Format format = pmc::cli::Format::Text;
  std::chrono::milliseconds connect_budget{std::chrono::seconds(30)};
};

// One expected environment for every database, or one per database in the order given.
std::string expected_for(const Options& options, std::size_t index) {
  const std::size_t given = options.expected_environments.size();
  if (given == 1) return options.expected_environments.front();
  if (given == options.urls.size()) return options.expected_environments[index];
  throw pmc::Failure("PMC-F011",
                     std::to_string(given) + " expected environments for " +
                         std::to_string(options.urls.size()) + " databases",
                     {},
                     "Give --expect-env once for all databases, or once per --database-url in the "
                     "same order.",
                     pmc::ExitCode::UsageOrInput);
}

int run(const Options& options) {
  std::vector<pmc::fingerprint::DatabaseCheck> checks;
  for (std::size_t i = 0; i < options.urls.size(); ++i) {
    pmc::db::ConnectOptions connect = pmc::db::connect_options(options.urls[i], kProgram, expected_for(options, i));
    connect.connect_budget = options.connect_budget;
    checks.push_back(pmc::fingerprint::check_database(connect, pmc::guard::runs_in_ci()));
    if (options.format == pmc::cli::Format::Text) {
      std::cout << pmc::fingerprint::check_line(checks.back()) << std::endl;
    }
  }
  if (options.format == pmc::cli::Format::Json) {
    std::cout << pmc::fingerprint::checks_as_json(checks).dump(
                     -1, ' ', false, nlohmann::json::error_handler_t::replace)
              << std::endl;
  }
  return pmc::fingerprint::verification_exit_status(checks);
}

}  // namespace

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      kProgram,
      "Read-only: prints one line per database with the state of its environment fingerprint "
      "(healthy, missing, corrupted, environment-mismatch, bound-elsewhere, prod-outside-ci, "
      "unreadable, unreachable). Exit 0 when all are healthy, 1 otherwise, 2 on bad input.");
  Options options;
  command_line.add_database_urls(options.urls);
  command_line.add_expected_environments(options.expected_environments);
  command_line.add_format(options.format);
  command_line.add_connect_timeout(options.connect_budget);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options); });
}
