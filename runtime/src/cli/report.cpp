// Failures printed the PostgreSQL way: error line, detail, hint; the code becomes the exit status.
#include <iostream>

#include "pmc/cli.hpp"

namespace pmc::cli {

int report(const std::string& program, const Failure& failure) {
  std::cerr << program << ": error [" << failure.code() << "]: " << failure.message() << "\n";
  if (!failure.detail().empty()) std::cerr << "detail: " << failure.detail() << "\n";
  if (!failure.hint().empty()) std::cerr << "hint: " << failure.hint() << "\n";
  return static_cast<int>(failure.exit_code());
}

int run(const std::string& program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const Failure& failure) {
    return report(program, failure);
  } catch (const std::exception& error) {
    std::cerr << program << ": error [PMC-X001]: internal error: " << error.what() << "\n";
    return static_cast<int>(ExitCode::UsageOrInput);
  }
}

}  // namespace pmc::cli
