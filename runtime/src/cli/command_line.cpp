// The shared flags on CLI11: same names, same environment variables, same errors everywhere.
#include <cmath>
#include <iostream>

#include "pmc/cli.hpp"

namespace pmc::cli {

CommandLine::CommandLine(std::string program, std::string description)
    : program_(std::move(program)), app_(std::move(description), program_) {
  app_.set_version_flag("--version", version_text(program_));
  app_.get_formatter()->column_width(34);
}

CLI::Option* CommandLine::add_database_url(std::string& url) {
  return app_.add_option("--database-url", url, "the target database (libpq URL or keyword string)")
      ->envname("DATABASE_URL")
      ->required();
}

CLI::Option* CommandLine::add_database_urls(std::vector<std::string>& urls) {
  return app_.add_option("--database-url", urls, "a database to check (repeat for several)")
      ->envname("DATABASE_URL")
      ->required();
}

CLI::Option* CommandLine::add_expected_environment(std::string& name) {
  return app_.add_option("--expect-env", name,
                         "the environment the fingerprint must state (required, no default)")
      ->envname("PMC_EXPECTED_ENV")
      ->required();
}

CLI::Option* CommandLine::add_expected_environments(std::vector<std::string>& names) {
  return app_
      .add_option("--expect-env", names,
                  "the environment each fingerprint must state: once for all databases, or once "
                  "per --database-url in the same order (required, no default)")
      ->type_name("NAME")
      ->envname("PMC_EXPECTED_ENV")
      ->required();
}

CLI::Option* CommandLine::add_format(Format& format) {
  static const std::map<std::string, Format> kFormats = {{"text", Format::Text},
                                                         {"json", Format::Json}};
  return app_.add_option("--format", format, "text for people (default), json for machines")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case).description("text|json"));
}

CLI::Option* CommandLine::add_migrations_dir(std::string& dir) {
  if (dir.empty()) dir = "prisma/migrations";
  return app_.add_option("--migrations", dir, "the Prisma migrations folder")
      ->type_name("DIR")
      ->capture_default_str();
}

CLI::Option* CommandLine::add_lock_timeout(std::chrono::milliseconds& timeout) {
  timeout = std::chrono::seconds(10);
  return app_
      .add_option_function<double>(
          "--lock-timeout",
          [&timeout](const double& seconds) {
            timeout = std::chrono::milliseconds(static_cast<long>(seconds * 1000.0 + 0.5));
          },
          "seconds to wait for the migration advisory lock (default 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0));
}

CLI::Option* CommandLine::add_connect_timeout(std::chrono::milliseconds& budget) {
  return app_
      .add_option_function<double>(
          "--connect-timeout",
          [&budget](double seconds) {
            budget = std::chrono::milliseconds(std::llround(seconds * 1000.0));
          },
          "seconds to keep retrying a server that is starting or not there yet (default 30)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0));
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
  try {
    app_.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::CallForHelp&) {
    std::cout << app_.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << app_.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    std::cerr << program_ << ": error [PMC-U001]: " << error.what() << " (see --help)\n";
    return static_cast<int>(ExitCode::UsageOrInput);
  }
}

std::string version_text(const std::string& program) { return program + " " + PMC_VERSION; }

}  // namespace pmc::cli
