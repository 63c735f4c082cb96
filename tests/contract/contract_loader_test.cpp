// The contract loader: the real rules/contract.json loads and is what the binaries embed; every
// kind of malformed file is refused with its origin, the line of the problem and what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pmc/contract.hpp"

namespace pmc::contract {
namespace {

const std::filesystem::path kContractPath = std::filesystem::path(PMC_SOURCE_DIR) / "rules/contract.json";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int line_at(const std::string& text, std::size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

TEST(ContractLoader, TheRepositoryContractLoads) {
  Contract contract = load_file(kContractPath);
  EXPECT_EQ(contract.version.substr(0, 2), "1.");
  ASSERT_NE(contract.find_entry_point_by_binary("pmc-deploy-db"), nullptr);
  EXPECT_EQ(contract.find_entry_point_by_binary("pmc-deploy-db")->categories,
            std::vector<std::string>{"migrate-deploy"});
  EXPECT_FALSE(contract.find_entry_point_by_binary("pmc-deploy-db")->spawns_processes);
  const EntryPoint* removed = contract.find_entry_point_by_binary("pmc-sync-dev-to-prod-services");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->status, EntryPointStatus::Removed);
  EXPECT_TRUE(removed->categories.empty());
  EXPECT_EQ(contract.environment.ci_variable, "CI");
  EXPECT_EQ(contract.environment.ci_value, "true");
  const ReferenceTable* services = contract.find_reference_table("services");
  ASSERT_NE(services, nullptr);
  EXPECT_EQ(services->natural_key, "name");
  EXPECT_EQ(services->columns,
            (std::vector<std::string>{"name", "description", "categoryId", "basePrice", "isActive"}));
  EXPECT_EQ(contract.find_reference_table("bookings"), nullptr);
  EXPECT_TRUE(contract.is_excluded("fixtures/violations/main.cpp"));
  EXPECT_FALSE(contract.is_excluded("scripts/deploy-db.cpp"));
}

TEST(ContractLoader, TheEmbeddedCopyIsTheRepositoryFile) {
  EXPECT_EQ(embedded_text(), read_text(kContractPath));
  EXPECT_EQ(embedded().entry_points.size(), load_file(kContractPath).entry_points.size());
}

TEST(ContractLoader, AMissingFileNamesThePath) {
  try {
    load_file("/nonexistent/contract.json");
    FAIL() << "expected ContractError";
  } catch (const ContractError& error) {
    EXPECT_EQ(error.origin(), "/nonexistent/contract.json");
    EXPECT_NE(std::string(error.what()).find("cannot open"), std::string::npos);
  }
}

struct Malformation {
  const char* name;
  const char* find;        // text in the real contract to replace (its first occurrence)
  const char* replace;     // replacement
  const char* expected;    // part of the problem text
  int line_offset;         // expected line relative to the line of `find` (-1: no line check)
};

void PrintTo(const Malformation& m, std::ostream* out) { *out << m.name; }

class MalformedContract : public ::testing::TestWithParam<Malformation> {};

TEST_P(MalformedContract, IsRefusedWithLineAndProblem) {
  const Malformation& m = GetParam();
  std::string text = read_text(kContractPath);
  const std::size_t at = text.find(m.find);
  ASSERT_NE(at, std::string::npos) << m.find;
  const int line = line_at(text, at);
  text.replace(at, std::string(m.find).size(), m.replace);
  try {
    parse(text, "test-contract.json");
    FAIL() << "accepted: " << m.name;
  } catch (const ContractError& error) {
    EXPECT_EQ(error.origin(), "test-contract.json");
    EXPECT_NE(error.problem().find(m.expected), std::string::npos) << error.what();
    if (m.line_offset >= 0) EXPECT_EQ(error.line(), line + m.line_offset) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("test-contract.json:" + std::to_string(error.line()) + ": ", 0), 0u)
        << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    EachKind, MalformedContract,
    ::testing::Values(
        Malformation{"syntax_missing_comma", "\"version\": \"1.1.0\",", "\"version\": \"1.1.0\"",
                     "invalid JSON", 1},
        Malformation{"truncated", "\"excluded_paths\"", "", "invalid JSON", -1},
        Malformation{"missing_version", "\"version\": \"1.1.0\",", "", "missing key \"version\"", -1},
        Malformation{"unsupported_version", "\"version\": \"1.1.0\"", "\"version\": \"2.0.0\"",
                     "not supported", 0},
        Malformation{"bad_version", "\"version\": \"1.1.0\"", "\"version\": \"one\"",
                     "MAJOR.MINOR.PATCH", 0},
        Malformation{"wrong_type", "\"migrations_dir\": \"prisma/migrations\"",
                     "\"migrations_dir\": [\"prisma/migrations\"]", "must be a string, found an array", 0},
        Malformation{"wrong_list_type", "\"excluded_paths\": [\"fixtures/\", \"tests/\", \"bench/\"]",
                     "\"excluded_paths\": \"fixtures/\"", "must be an array, found a string", 0},
        Malformation{"unknown_top_key", "\"migrations_dir\"", "\"skip_checks\": true, \"migrations_dir\"",
                     "unknown key \"skip_checks\"", 0},
        Malformation{"unknown_entry_key", "\"spawns_processes\": false\n    },",
                     "\"spawns_processes\": false, \"allow_local\": true\n    },",
                     "unknown key \"allow_local\"", 0},
        Malformation{"duplicate_key", "\"binary\": \"pmc-deploy-db\",",
                     "\"binary\": \"pmc-deploy-db\", \"binary\": \"pmc-evil\",", "duplicate key", 0},
        Malformation{"unknown_category", "\"categories\": [\"migrate-deploy\"]",
                     "\"categories\": [\"migrate-deploy\", \"anything\"]", "is not one of the contract's categories", 0},
        Malformation{"unknown_guard", "\"guard\": \"ci-only\",\n      \"categories\": [\"migrate-deploy\"]",
                     "\"guard\": \"trust-me\",\n      \"categories\": [\"migrate-deploy\"]", "is not one of the contract's guards", 0},
        Malformation{"removed_with_category", "\"categories\": [],\n      \"status\": \"removed\"",
                     "\"categories\": [\"reference-sync\"],\n      \"status\": \"removed\"", "may reach no category", 0},
        Malformation{"removed_with_guard", "\"guard\": \"none\"", "\"guard\": \"ci-only\"",
                     "removed program has guard \"none\"", 0},
        Malformation{"bad_status", "\"status\": \"deprecated\"", "\"status\": \"retired\"",
                     "must be \"active\", \"deprecated\" or \"removed\"", 0},
        Malformation{"bad_replacement", "\"replaced_by\": \"pmc-sync-reference-data\"",
                     "\"replaced_by\": \"pmc-nowhere\"", "must name another entry point", 0},
        Malformation{"absolute_source", "\"source\": \"scripts/deploy-db.cpp\"",
                     "\"source\": \"/etc/deploy-db.cpp\"", "relative repository path", 0},
        Malformation{"natural_key_not_a_column", "\"natural_key\": \"name\"", "\"natural_key\": \"slug\"",
                     "must be one of the table's columns", 0},
        Malformation{"writable_key_column", "\"columns\": [\"name\", \"description\", \"icon\", \"isActive\"]",
                     "\"columns\": [\"id\", \"name\", \"description\", \"icon\", \"isActive\"]",
                     "cannot be writable", -1},
        Malformation{"reference_to_unlisted_table", "{\"column\": \"categoryId\", \"table\": \"service_categories\"}",
                     "{\"column\": \"categoryId\", \"table\": \"categories\"}", "must be an allowlisted table", 0},
        Malformation{"bad_flag_pattern", "\"--force\",", "\"force\",", "must look like --name", 0},
        Malformation{"empty_string", "\"migrations_dir\": \"prisma/migrations\"", "\"migrations_dir\": \"\"",
                     "must not be empty", 0},
        Malformation{"empty_sinks", "\"database_tools\": [\"psql\", \"pg_restore\", \"dropdb\", \"createdb\", \"prisma\"]",
                     "\"database_tools\": []", "must not be empty", 0},
        Malformation{"helper_is_entry_point", "{\"binary\": \"pmc-verify-fingerprints\", \"source\": \"scripts/verify-fingerprints.cpp\"}",
                     "{\"binary\": \"pmc-deploy-db\", \"source\": \"scripts/verify-fingerprints.cpp\"}",
                     "both as an entry point and as a read-only helper", 0},
        Malformation{"not_an_object", "{\n  \"version\"", "[\n  \"version\"", "invalid JSON", -1}),
    [](const ::testing::TestParamInfo<Malformation>& info) { return std::string(info.param.name); });

TEST(ContractLoader, EmptyInputIsRefused) {
  EXPECT_THROW(parse("", "empty.json"), ContractError);
  EXPECT_THROW(parse("[]", "array.json"), ContractError);
  EXPECT_THROW(parse("{}", "object.json"), ContractError);
}

}  // namespace
}  // namespace pmc::contract
