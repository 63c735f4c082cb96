// pmc-init-fingerprint: writes a database's first environment fingerprint (only where there is
// none, never changing one) or, with --rebind, re-binds a moved database's fingerprint after the
// line YES. Without --apply it only reports what it would do; --apply runs only in CI.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <string>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/fingerprint/init_report.hpp"
#include "pmc/fingerprint/init_rules.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"

namespace {

namespace fp = pmc::fingerprint;

constexpr char kProgram[] = "pmc-init-fingerprint";

struct Options {
  std::string url;
  std::string environment;           // --env: the first fingerprint's environment
  std::string expected_environment;  // --expect-env: what a re-bound fingerprint must state
  bool rebind = false;
  bool apply = false;
  pmc::cli::Format format = pmc::cli::Format::Text;
  std::chrono::milliseconds connect_budget{std::chrono::seconds(30)};
};

pmc::Failure usage(std::string message, std::string hint) {
  return pmc::Failure("PMC-F011", std::move(message), {}, std::move(hint),
                      pmc::ExitCode::UsageOrInput);
}

// The environment the flags name; they must not contradict each other.
std::string environment_from_flags(const Options& options) {
  if (options.rebind) {
    if (!options.environment.empty()) {
      throw usage("--env cannot be combined with --rebind",
                  "A re-bind keeps the environment it finds: name it with --expect-env.");
    }
    if (options.expected_environment.empty()) {
      throw usage("--rebind needs --expect-env NAME (or PMC_EXPECTED_ENV)",
                  "Name the environment the fingerprint to re-bind states.");
    }
    return options.expected_environment;
  }
  if (options.environment.empty()) {
    throw usage("--env NAME is required: the environment to write",
                "For example: --env dev. Re-binding a moved database is --rebind --expect-env.");
  }
  if (!options.expected_environment.empty() &&
      options.expected_environment != options.environment) {
    throw usage("--env \"" + options.environment + "\" contradicts the expected environment \"" +
                    options.expected_environment + "\" (--expect-env or PMC_EXPECTED_ENV)",
                "Give one environment, or make both say the same.");
  }
  return options.environment;
}

// Which environment this run is about, a valid name, before any connection is opened.
std::string environment_of(const Options& options) {
  std::string environment = environment_from_flags(options);
  if (!fp::is_valid_environment_name(environment)) {
    throw pmc::Failure(fp::kInvalidEnvironmentCode,
                       "invalid environment \"" + environment +
                           "\": use lower-case letters, digits, '-' and '_', starting with a "
                           "letter (at most 63)",
                       {}, {}, pmc::ExitCode::UsageOrInput);
  }
  return environment;
}

void print(const Options& options, const fp::InitReport& report) {
  if (options.format == pmc::cli::Format::Json) {
    std::cout << fp::init_report_json(report).dump(-1, ' ', false,
                                                   nlohmann::json::error_handler_t::replace)
              << '\n';
  } else {
    std::cout << fp::init_report_text(report);
  }
  std::cout.flush();
}

// Exactly one line reading "YES"; anything else, or end of input, aborts with nothing written.
void require_confirmation(const std::string& where) {
  std::cerr << "Type YES to re-bind the fingerprint of " << where
            << " to this database (anything else aborts):" << std::endl;
  std::string line;
  if (!std::getline(std::cin, line) || line != "YES") {
    throw pmc::Failure("PMC-F010", "re-bind aborted: the confirmation was not YES",
                       "Nothing was written to " + where + ".",
                       "Run again and type YES (exactly, upper case) to re-bind.");
  }
}

// What --apply would do, read without writing; a refusal is thrown as it would be then.
fp::InitDecision decide(const Options& options, const pmc::db::ConnectOptions& connect,
                        const std::string& environment) {
  const fp::Observation observation = pmc::db::inspect_fingerprint(connect);
  fp::InitDecision decision = options.rebind ? fp::decide_rebind(observation, environment)
                                             : fp::decide_first_write(observation, environment);
  if (decision.step == fp::InitStep::Refuse) throw *decision.refusal;
  return decision;
}

int run(const Options& options, const std::optional<pmc::guard::CiPass>& ci) {
  if (options.apply && !ci) {  // --apply=… parses as --apply, but the guard saw no bare --apply
    throw usage("--apply must be given as the bare flag --apply",
                "Run with --apply (in CI) or without it to see what would be done.");
  }
  const std::string environment = environment_of(options);
  pmc::db::ConnectOptions connect = pmc::db::connect_options(options.url, kProgram, environment);
  connect.connect_budget = options.connect_budget;
  connect.lock_timeout = std::chrono::seconds(30);
  const std::string where = pmc::db::mask_password(options.url);
  const fp::InitMode mode = options.rebind ? fp::InitMode::Rebind : fp::InitMode::FirstWrite;

  if (!options.apply) {
    print(options, fp::preview_report(decide(options, connect, environment), mode, where));
    if (options.format == pmc::cli::Format::Text) {
      std::cout << "dry run: nothing written; --apply (in CI) does it"
                << (options.rebind ? " after the line YES" : "") << ".\n";
    }
    return 0;
  }
  if (options.rebind) {
    const fp::InitDecision preview = decide(options, connect, environment);
    print(options, fp::preview_report(preview, mode, where));
    if (preview.step == fp::InitStep::NothingToDo) return 0;
    require_confirmation(where);
    pmc::db::FingerprintInitConnection database =
        pmc::db::connect_for_fingerprint_init(connect, *ci);
    print(options, fp::change_report(database.rebind(environment), where));
    return 0;
  }
  pmc::db::FingerprintInitConnection database = pmc::db::connect_for_fingerprint_init(connect, *ci);
  print(options, fp::change_report(database.write_first(environment), where));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<pmc::guard::CiPass> ci =
      pmc::guard::enforce_ci_only_when_applying(argc, argv);
  pmc::cli::CommandLine command_line(
      kProgram,
      "Writes a database's first environment fingerprint (public.database_metadata), only where "
      "there is none; never changes one. --rebind re-binds the fingerprint of a database that was "
      "moved (restored or cloned) after the line YES. Without --apply it only shows what it would "
      "do; --apply runs only in CI.");
  CLI::App& app = command_line.app();
  Options options;
  command_line.add_database_url(options.url);
  app.add_option("--env", options.environment, "the environment to write (dev, prod, …)")
      ->type_name("NAME");
  command_line.add_expected_environment(options.expected_environment)
      ->required(false)
      ->description(
          "with --rebind: the environment the fingerprint states; otherwise, when "
          "given, it must equal --env");
  app.add_flag("--rebind", options.rebind,
               "re-bind a moved database's fingerprint (needs --expect-env; asks for YES)");
  app.add_flag("--apply", options.apply, "write (CI only); without it nothing is written");
  command_line.add_format(options.format);
  command_line.add_connect_timeout(options.connect_budget);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run(kProgram, [&] { return run(options, ci); });
}
