// pmc-sync-reference-data: promotes the allowlisted reference data from dev to prod. Prints the
// plan by default (--dry-run); --apply (CI only) asks for the line YES and applies it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/contract.hpp"
#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/guard.hpp"
#include "pmc/sync/apply.hpp"
#include "pmc/sync/plan.hpp"
#include "pmc/sync/plan_report.hpp"
#include "pmc/sync/snapshot.hpp"

namespace {

constexpr char kProgram[] = "pmc-sync-reference-data";

struct Options {
  std::string dev_url;
  std::string prod_url;
  std::string format = "text";
  bool apply = false;
};

void print_plan(const Options& options, const pmc::sync::Plan& plan, const char* stage) {
  if (options.format == "json") {
    nlohmann::json document = pmc::sync::plan_as_json(plan);
    document["stage"] = stage;
    std::cout << document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << pmc::sync::plan_as_text(plan);
  }
  std::cout.flush();
}

// Exactly one line reading "YES"; anything else, or end of input, aborts.
void require_confirmation() {
  std::cerr << "Type YES to apply this plan to prod: " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line) || line != "YES") {
    throw pmc::Failure("PMC-5008", "promotion aborted: the confirmation was not YES",
                       "Nothing was written to prod.",
                       "Run again and type YES (exactly, upper case) to apply the plan.");
  }
}

pmc::db::ConnectOptions connect_options(const std::string& url, const char* environment) {
  pmc::db::ConnectOptions options;
  options.url = url;
  options.application_name = kProgram;
  options.expected_environment = environment;
  options.lock_timeout = std::chrono::seconds(60);
  return options;
}

int run(const Options& options, const std::optional<pmc::guard::CiPass>& ci) {
  const pmc::contract::Contract& contract = pmc::contract::embedded();
  pmc::db::ReadOnlyConnection dev = pmc::db::connect_read_only(connect_options(options.dev_url, "dev"));
  const pmc::sync::Snapshot dev_rows =
      pmc::sync::read_snapshot(dev, contract, pmc::sync::Protection::Ignore);
  if (!options.apply) {
    pmc::db::ReadOnlyConnection prod =
        pmc::db::connect_read_only(connect_options(options.prod_url, "prod"));
    print_plan(options,
               pmc::sync::plan_reference_sync(
                   dev_rows, pmc::sync::read_snapshot(prod, contract, pmc::sync::Protection::Read)),
               "dry-run");
    return 0;
  }
  if (!ci) {  // the guard saw no literal --apply (e.g. --apply=true): refuse, do not guess
    throw pmc::Failure("PMC-5020", "--apply must be given as the bare flag --apply", {},
                       "Run with --apply (in CI) or without it for a dry run.",
                       pmc::ExitCode::UsageOrInput);
  }
  pmc::db::WritableConnection prod =
      pmc::db::connect_writable(connect_options(options.prod_url, "prod"), *ci);
  const pmc::sync::Plan preview = pmc::sync::plan_reference_sync(
      dev_rows, pmc::sync::read_snapshot(prod, contract, pmc::sync::Protection::Read));
  print_plan(options, preview, "preview");
  if (!preview.writes_anything()) return 0;
  require_confirmation();
  const pmc::sync::Plan applied = pmc::sync::apply_reference_sync(prod, dev_rows, contract);
  if (options.format == "json") {
    print_plan(options, applied, "applied");
  } else {
    std::cout << "Applied in one transaction: " << applied.creates() << " created, "
              << applied.updates() << " updated, " << applied.protected_rows()
              << " protected (skipped).\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<pmc::guard::CiPass> ci = pmc::guard::enforce_ci_only_when_applying(argc, argv);
  pmc::cli::CommandLine command_line(
      kProgram,
      "Promotes the allowlisted reference data (rules/contract.json) from dev to prod. Prints the "
      "plan by default; --apply (CI only) applies it after the line YES on standard input.");
  CLI::App& app = command_line.app();
  Options options;
  pmc::cli::Format format = pmc::cli::Format::Text;
  app.add_option("--dev-url", options.dev_url, "the dev database (fingerprinted dev)")
      ->envname("DEV_DATABASE_URL")
      ->required();
  app.add_option("--prod-url", options.prod_url, "the prod database (fingerprinted prod)")
      ->envname("PROD_DATABASE_URL")
      ->required();
  command_line.add_format(format);
  bool dry_run_flag = false;
  CLI::Option* dry_run =
      app.add_flag("--dry-run", dry_run_flag, "print the plan, write nothing (default)");
  app.add_flag("--apply", options.apply, "apply the plan (CI only; asks for YES)")
      ->excludes(dry_run);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  options.format = format == pmc::cli::Format::Json ? "json" : "text";
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
