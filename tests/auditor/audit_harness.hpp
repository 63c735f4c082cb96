// Fixture repositories for pmc-audit's tests: laid out in a temporary git work tree with a
// generated compile_commands.json, audited by the real pmc-audit binary in a subprocess.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace pmc::test {

// A finding as the fixtures state it: repository-relative file, line, rule.
using Expected = std::tuple<std::string, int, std::string>;

struct AuditRun {
  ProcessResult process;
  nlohmann::json report;  // the parsed --format json output, when there is one
};

class FixtureRepository {
 public:
  // Lays out fixtures/audit/common, the repository's rules/contract.json and the fixture named
  // `fixture` (empty: none) in a new temporary directory, runs `git init` and writes the
  // compile_commands.json.
  explicit FixtureRepository(const std::string& fixture);
  ~FixtureRepository();
  FixtureRepository(const FixtureRepository&) = delete;
  FixtureRepository& operator=(const FixtureRepository&) = delete;

  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& build() const { return build_; }

  void write(const std::string& relative, const std::string& text) const;
  // compile_commands.json for every .cpp whose first line does not say "fixture: unlisted".
  void write_compile_commands() const;

  // The `// expect: rule, …` comments of every C/C++ file.
  std::set<Expected> expectations() const;

  // pmc-audit -p <build> --cache-dir <build>/cache --jobs 2 [extra…] <root>
  AuditRun audit(const std::vector<std::string>& extra = {}) const;
  // pmc-audit with exactly these arguments.
  static AuditRun run(const std::vector<std::string>& arguments);

 private:
  std::filesystem::path base_;
  std::filesystem::path root_;
  std::filesystem::path build_;
};

std::set<Expected> reported(const nlohmann::json& report);
std::string describe(const std::set<Expected>& findings);
std::vector<std::string> fixture_names();
std::string read_file(const std::filesystem::path& path);

}  // namespace pmc::test
