// pmc-sync-dev-to-prod-services, removed: whatever it is given, one line naming its replacement
// and exit 1; and its binary holds nothing that could reach a database.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "process.hpp"

namespace pmc::test {
namespace {

TEST(RemovedSyncProgram, ExitsOneWithOneLineNamingItsReplacement) {
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{}, std::vector<std::string>{"--apply"},
        std::vector<std::string>{"--help"}, std::vector<std::string>{"--dry-run"}}) {
    for (const bool in_ci : {true, false}) {
      Environment environment = clean_environment();
      if (in_ci) environment["CI"] = "true";
      environment["DATABASE_URL"] = "postgresql:///nowhere?host=/nonexistent";
      std::vector<std::string> argv = {pmc_binary("pmc-sync-dev-to-prod-services")};
      argv.insert(argv.end(), arguments.begin(), arguments.end());
      const ProcessResult result = run_process(argv, environment, "YES\n");
      EXPECT_EQ(result.exit_code, 1);
      EXPECT_NE(result.err.find("pmc-sync-reference-data"), std::string::npos) << result.err;
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
      EXPECT_EQ(result.err.back(), '\n');
      EXPECT_TRUE(result.out.empty()) << result.out;
    }
  }
}

// Its link line (scripts/CMakeLists.txt) names no library: no libpq, no part of libpmc.
TEST(RemovedSyncProgram, LinksNothingThatCanReachADatabase) {
#ifdef PMC_REMOVED_PROGRAM_OBJECT
  // A sanitized build links the sanitizer runtime into every binary, with its interceptors of
  // popen, system, exec…: the symbols are those of the program's own code.
  const std::string symbol_source = PMC_REMOVED_PROGRAM_OBJECT;
#else
  const std::string symbol_source = pmc_binary("pmc-sync-dev-to-prod-services");
#endif
  const ProcessResult symbols = run_process({"/usr/bin/nm", "-C", symbol_source}, clean_environment());
  ASSERT_EQ(symbols.exit_code, 0) << symbols.err;
  ASSERT_NE(symbols.out.find(" main\n"), std::string::npos) << "no symbol table to inspect";
  for (const char* forbidden : {"pmc::", " PQ", " lo_", "CLI::", "system", "popen", "exec"}) {
    EXPECT_EQ(symbols.out.find(forbidden), std::string::npos) << forbidden << "\n" << symbols.out;
  }
  const ProcessResult libraries = run_process(
      {"/usr/bin/readelf", "-d", pmc_binary("pmc-sync-dev-to-prod-services")}, clean_environment());
  ASSERT_EQ(libraries.exit_code, 0) << libraries.err;
  EXPECT_NE(libraries.out.find("(NEEDED)"), std::string::npos) << libraries.out;
  EXPECT_EQ(libraries.out.find("libpq"), std::string::npos) << libraries.out;
}

}  // namespace
}  // namespace pmc::test
