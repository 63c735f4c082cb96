// pmc-sync-reference-data: promotes the allowlisted reference data from dev to prod. Prints the
// plan by default (--dry-run); --apply (CI only) asks for the line YES and applies it.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <future>
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
  pmc::cli::Format format = pmc::cli::Format::Text;
  bool apply = false;
  std::chrono::milliseconds connect_budget{std::chrono::seconds(30)};
};

void print_plan(const Options& options, const pmc::sync::Plan& plan, const char* stage) {
  if (options.format == pmc::cli::Format::Json) {
    nlohmann::json document = pmc::sync::plan_as_json(plan);
    document["stage"] = stage;
    std::cout << document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    pmc::sync::write_plan_text(std::cout, plan);
  }
  std::cout.flush();
}

// Exactly one line reading "YES" (its newline may be the end of input); anything else aborts,
// "yes", " YES", "YES\r" and an empty first line included, and so does no input at all.
void require_confirmation() {
  // A line of its own: in CI logs the answer (or the refusal) then starts on the next line.
  std::cerr << "Type YES to apply this plan to prod (anything else aborts):" << std::endl;
  std::string line;
  if (!std::getline(std::cin, line) || line != "YES") {
    throw pmc::Failure("PMC-5008", "promotion aborted: the confirmation was not YES",
                       "Nothing was written to prod.",
                       "Run again and type YES (exactly, upper case) to apply the plan.");
  }
}

pmc::db::ConnectOptions connect_options(const Options& given, const std::string& url,
                                        const char* environment) {
  pmc::db::ConnectOptions options = pmc::db::connect_options(url, kProgram, environment);
  options.connect_budget = given.connect_budget;
  options.lock_timeout = std::chrono::seconds(60);
  return options;
}

int run(const Options& options, const std::optional<pmc::guard::CiPass>& ci) {
  // The guard only knows the bare flag; --apply=true parses as --apply without its pass. Refuse
  // here, before any connection is opened, rather than guess.
  if (options.apply && !ci) {
    throw pmc::Failure("PMC-5020", "--apply must be given as the bare flag --apply", {},
                       "Run with --apply (in CI) or without it for a dry run.",
                       pmc::ExitCode::UsageOrInput);
  }
  const pmc::contract::Contract& contract = pmc::contract::embedded();
  // Dev is read on a thread of its own while prod is connected to and read: the two databases
  // answer at once. Both fingerprints are checked before anything is planned.
  std::future<pmc::sync::Snapshot> dev_read = std::async(std::launch::async, [&] {
    pmc::db::ReadOnlyConnection dev =
        pmc::db::connect_read_only(connect_options(options, options.dev_url, "dev"));
    return pmc::sync::read_snapshot(dev, contract, pmc::sync::Protection::Ignore);
  });
  if (!options.apply) {
    pmc::db::ReadOnlyConnection prod =
        pmc::db::connect_read_only(connect_options(options, options.prod_url, "prod"));
    const pmc::sync::Snapshot prod_rows =
        pmc::sync::read_snapshot(prod, contract, pmc::sync::Protection::Read);
    print_plan(options, pmc::sync::plan_reference_sync(dev_read.get(), prod_rows), "dry-run");
    return 0;
  }
  pmc::db::WritableConnection prod =
      pmc::db::connect_writable(connect_options(options, options.prod_url, "prod"), *ci);
  pmc::sync::Snapshot dev_rows;
  pmc::sync::Plan preview;
  {
    const pmc::sync::Snapshot prod_rows =
        pmc::sync::read_snapshot(prod, contract, pmc::sync::Protection::Read);
    dev_rows = dev_read.get();
    preview = pmc::sync::plan_reference_sync(dev_rows, prod_rows);
  }
  print_plan(options, preview, "preview");
  if (!preview.writes_anything()) return 0;
  require_confirmation();
  const pmc::sync::Plan applied = pmc::sync::apply_reference_sync(prod, dev_rows, contract);
  if (options.format == pmc::cli::Format::Json) {
    print_plan(options, applied, "applied");
    return 0;
  }
  // The applied plan was recomputed under the transaction's locks; prod may have changed since
  // the preview (a service booked meanwhile is now protected), and then people see what ran.
  if (applied != preview) {
    std::cout << "Prod changed after the preview; this plan, recomputed inside the transaction, "
                 "is what was applied:\n";
    print_plan(options, applied, "applied");
  }
  std::cout << "Applied in one transaction: " << applied.creates() << " created, "
            << applied.updates() << " updated, " << applied.protected_rows()
            << " protected (skipped).\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<pmc::guard::CiPass> ci =
      pmc::guard::enforce_ci_only_when_applying(argc, argv);
  pmc::cli::CommandLine command_line(
      kProgram,
      "Promotes the allowlisted reference data (rules/contract.json) from dev to prod. Prints the "
      "plan by default; --apply (CI only) applies it after the line YES on standard input.");
  CLI::App& app = command_line.app();
  Options options;
  app.add_option("--dev-url", options.dev_url, "the dev database (fingerprinted dev)")
      ->envname("DEV_DATABASE_URL")
      ->required();
  app.add_option("--prod-url", options.prod_url, "the prod database (fingerprinted prod)")
      ->envname("PROD_DATABASE_URL")
      ->required();
  command_line.add_format(options.format);
  command_line.add_connect_timeout(options.connect_budget);
  bool dry_run_flag = false;
  CLI::Option* dry_run =
      app.add_flag("--dry-run", dry_run_flag, "print the plan, write nothing (default)");
  app.add_flag("--apply", options.apply, "apply the plan (CI only; asks for YES)")
      ->excludes(dry_run);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
