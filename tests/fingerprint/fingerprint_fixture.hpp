// Shared by the fingerprint suites: fresh databases fingerprinted as asked, the two programs run
// as real subprocesses with a controlled environment, and pg_dump/pg_restore copies.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "process.hpp"
#include "raw_sql.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {

// The test process writes fingerprints itself as CI would (tests may claim to be CI).
inline const guard::CiPass& test_ci_pass() {
  setenv("CI", "true", 1);
  static const guard::CiPass pass = guard::enforce_ci_only_execution();
  return pass;
}

inline db::ConnectOptions options_for(const std::string& url, const std::string& expected) {
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "pmc-fingerprint-test";
  options.expected_environment = expected;
  options.connect_budget = std::chrono::seconds(10);
  return options;
}

inline std::string fingerprinted(const std::string& url, const std::string& environment) {
  db::connect_for_fingerprint_init(options_for(url, environment), test_ci_pass())
      .write_first(environment);
  return url;
}

enum class Ci { Yes, No };

inline ProcessResult run_program(const std::string& program, std::vector<std::string> arguments,
                                 Ci ci, const std::string& input = "",
                                 const Environment& extra = {}) {
  Environment environment = clean_environment();
  if (ci == Ci::Yes) environment["CI"] = "true";
  for (const auto& [name, value] : extra) environment[name] = value;
  arguments.insert(arguments.begin(), pmc_binary(program));
  return run_process(arguments, environment, input);
}

inline ProcessResult verify(std::vector<std::string> arguments, Ci ci = Ci::Yes) {
  return run_program("pmc-verify-fingerprints", std::move(arguments), ci);
}

inline ProcessResult init(std::vector<std::string> arguments, Ci ci = Ci::Yes,
                          const std::string& input = "", const Environment& extra = {}) {
  return run_program("pmc-init-fingerprint", std::move(arguments), ci, input, extra);
}

// pg_dump -Fc of `from` restored into `to` (an empty database): a copy, fingerprint included.
inline void copy_database(const std::string& from, const std::string& to) {
  const std::string bin = PMC_PG_BINDIR;
  char dump_path[] = "/tmp/pmc-fingerprint-dump-XXXXXX";
  const int fd = mkstemp(dump_path);
  ASSERT_GE(fd, 0);
  close(fd);
  const ProcessResult dumped =
      run_process({bin + "/pg_dump", "--format=custom", "--file", dump_path, "--dbname", from},
                  clean_environment());
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  const ProcessResult restored = run_process(
      {bin + "/pg_restore", "--exit-on-error", "--dbname", to, dump_path}, clean_environment());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  std::remove(dump_path);
}

// The row exactly as stored, to show that a refused run changed nothing.
inline std::string stored_row(const std::string& url) {
  const SqlResult row = run_sql(url, "SELECT row_to_json(m)::text FROM public.database_metadata m");
  if (!row.ok()) return "ERROR: " + row.error;
  std::string out;
  for (const auto& values : row.rows) out += values[0].value_or("<null>") + "\n";
  return out;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace pmc::test
