// Bad input stops pmc-audit with one clear error naming the input, exit status 2, no crash:
// compilation databases missing, malformed or empty, a unit that does not compile, unreadable
// paths, a malformed or missing contract, no git repository, bad options.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

void expect_input_error(const AuditRun& run, const std::string& code, const std::string& words) {
  EXPECT_EQ(run.process.signal, 0);
  EXPECT_EQ(run.process.exit_code, 2) << run.process.out << run.process.err;
  EXPECT_EQ(run.process.err.rfind("pmc-audit: error [" + code + "]: ", 0), 0u) << run.process.err;
  EXPECT_NE(run.process.err.find(words), std::string::npos) << run.process.err;
  EXPECT_TRUE(run.process.out.empty()) << run.process.out;
}

TEST(BadInput, MissingCompilationDatabase) {
  const FixtureRepository repository("clean");
  const fs::path empty = repository.build() / "empty";
  fs::create_directories(empty);
  const AuditRun run = FixtureRepository::run({"-p", empty.string(), repository.root().string()});
  expect_input_error(run, "PMC-A003", (empty / "compile_commands.json").string() + " does not exist");
}

TEST(BadInput, MalformedCompilationDatabase) {
  const FixtureRepository repository("clean");
  std::ofstream(repository.build() / "compile_commands.json", std::ios::trunc) << "[{\"directory\": \"/tmp\", ";
  expect_input_error(repository.audit(), "PMC-A004", "is not a valid compilation database");
}

TEST(BadInput, CompilationDatabaseListingNothing) {
  const FixtureRepository repository("clean");
  std::ofstream(repository.build() / "compile_commands.json", std::ios::trunc) << "[]";
  expect_input_error(repository.audit(), "PMC-A004", "lists no file to compile");
}

TEST(BadInput, AFileThatDoesNotCompile) {
  const FixtureRepository repository("clean");
  repository.write("tools/broken.cpp", "int main() { return undefined_name; }\n");
  repository.write_compile_commands();
  const AuditRun run = repository.audit();
  expect_input_error(run, "PMC-A006", "tools/broken.cpp does not compile");
  EXPECT_NE(run.process.err.find("undefined_name"), std::string::npos) << run.process.err;
}

TEST(BadInput, AnUnlistedFileThatDoesNotCompile) {
  const FixtureRepository repository("clean");
  repository.write("tools/unlisted.cpp", "// fixture: unlisted\nint main() { return missing(); }\n");
  repository.write_compile_commands();
  expect_input_error(repository.audit(), "PMC-A006", "tools/unlisted.cpp does not compile");
}

TEST(BadInput, APathThatDoesNotExist) {
  const FixtureRepository repository("clean");
  const fs::path missing = repository.root() / "no-such-folder";
  const AuditRun run = FixtureRepository::run({"-p", repository.build().string(), missing.string()});
  expect_input_error(run, "PMC-A002", "cannot read " + missing.string());
}

TEST(BadInput, ATrackedSourceThatCannotBeRead) {
  const FixtureRepository repository("clean");
  fs::create_symlink("/nonexistent/ghost.cpp", repository.root() / "tools" / "ghost.cpp");
  expect_input_error(repository.audit(), "PMC-A002", "cannot read " + (repository.root() / "tools" / "ghost.cpp").string());
}

TEST(BadInput, MalformedContract) {
  const FixtureRepository repository("clean");
  repository.write("rules/contract.json", "{\"version\": \"1.1.0\",\n  \"categories\": [\n");
  expect_input_error(repository.audit(), "PMC-A007", "rules/contract.json:");
}

TEST(BadInput, ContractThatBreaksItsOwnRules) {
  const FixtureRepository repository("clean");
  std::string contract = read_file(repository.root() / "rules" / "contract.json");
  contract.replace(contract.find("\"migrate-deploy\"]"), 16, "\"migrate-everything\"");
  repository.write("rules/contract.json", contract);
  const AuditRun run = repository.audit();
  expect_input_error(run, "PMC-A007", "is not valid");
}

TEST(BadInput, MissingContract) {
  const FixtureRepository repository("clean");
  fs::remove(repository.root() / "rules" / "contract.json");
  expect_input_error(repository.audit(), "PMC-A002", "rules/contract.json");
}

TEST(BadInput, NotAGitRepository) {
  const FixtureRepository repository("clean");
  fs::remove_all(repository.root() / ".git");
  expect_input_error(repository.audit(), "PMC-A001", "is not inside a git work tree");
}

TEST(BadInput, BadShardAndMergeArguments) {
  const FixtureRepository repository("clean");
  expect_input_error(repository.audit({"--shard", "3/2", "--facts-out", (repository.build() / "s").string()}),
                     "PMC-A009", "--shard must be K/N");
  const fs::path garbage = repository.build() / "garbage.json";
  std::ofstream(garbage) << "{\"not\": \"a shard\"}";
  expect_input_error(repository.audit({"--merge", garbage.string()}), "PMC-A008", garbage.string());
}

// A 100 MB compilation database (a large build's, mostly files of other repositories) is read,
// not refused, and the audit of the repository's own files comes out as without it.
TEST(BadInput, AHundredMegabyteCompilationDatabase) {
  const FixtureRepository repository("clean");
  const fs::path database = repository.build() / "compile_commands.json";
  std::string text = read_file(database);
  const std::size_t close = text.rfind(']');
  ASSERT_NE(close, std::string::npos);
  text.resize(close);
  text.reserve(101u << 20);
  const std::string flags(200, 'D');
  for (std::size_t n = 0; text.size() < (100u << 20); ++n) {
    const std::string file = "/elsewhere/generated/unit_" + std::to_string(n) + ".cpp";
    text += ",\n{\"directory\": \"/elsewhere\", \"file\": \"" + file +
            "\", \"arguments\": [\"clang++-19\", \"-std=c++20\", \"-D" + flags + "\", \"-c\", \"" + file +
            "\"]}";
  }
  text += "\n]\n";
  std::ofstream(database, std::ios::binary | std::ios::trunc) << text;
  ASSERT_GE(fs::file_size(database), 100u << 20);

  const AuditRun run = repository.audit({"--format", "json"});
  ASSERT_TRUE(run.report.is_object()) << "exit " << run.process.exit_code << "\n" << run.process.err;
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.report.at("summary").at("errors").get<int>(), 0) << run.process.out;
}

TEST(BadInput, UnknownOption) {
  const AuditRun run = FixtureRepository::run({"--no-such-option"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("pmc-audit: error [PMC-U001]"), std::string::npos) << run.process.err;
}

}  // namespace
}  // namespace pmc::test
