// The shared flags on CLI11: same names, same environment variables, same errors everywhere.
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

CLI::Option* CommandLine::add_format(Format& format) {
  static const std::map<std::string, Format> kFormats = {{"text", Format::Text},
                                                         {"json", Format::Json}};
  return app_.add_option("--format", format, "text for people (default), json for machines")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case).description("text|json"));
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
