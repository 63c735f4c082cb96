// Runs the Prisma CLI through prisma-route.sh (PMC_PRISMA_ROUTE, set by the build).
#include "prisma_cli_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace pmc::test {

void install_prisma_cli() {
  const ProcessResult install = run_process({"/bin/bash", PMC_PRISMA_ROUTE, "install"},
                                            clean_environment(), "", std::chrono::minutes(10));
  ASSERT_EQ(install.exit_code, 0) << install.err << install.out;
}

PrismaOutput prisma(const std::string& url, const MigrationsFolder& folder,
                    const std::vector<std::string>& arguments) {
  Environment environment = clean_environment();
  environment["DATABASE_URL"] = url;
  std::vector<std::string> argv = {"/bin/bash", PMC_PRISMA_ROUTE, "run", folder.path().string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const ProcessResult result = run_process(argv, environment);
  PrismaOutput output;
  output.exit_code = result.exit_code;
  std::istringstream lines(result.out + result.err);
  for (std::string line; std::getline(lines, line);) {
    if (!contains(line, "Datasource \"db\"")) output.text += line + "\n";
  }
  return output;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace pmc::test
