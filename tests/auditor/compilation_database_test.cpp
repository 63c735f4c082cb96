// The compile_commands.json reader: response files are expanded when they are regular files, and
// left as written, without reading them, when they are devices or FIFOs (which never end).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "tooling/compilation_database.hpp"

namespace pmc::audit {
namespace {

namespace fs = std::filesystem;

class CompilationDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pmc-compilation-database-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A database with one entry compiling a.cpp with `argument` among its arguments; the command
  // pmc-audit would run for a.cpp.
  std::vector<std::string> arguments_with(const std::string& argument) {
    std::ofstream(dir_ / "compile_commands.json")
        << R"([{"directory": ")" << dir_.string() << R"(", "arguments": ["clang++", ")"
        << argument << R"(", "-c", "a.cpp"], "file": "a.cpp"}])";
    const CompilationDatabase database = CompilationDatabase::load(dir_);
    const std::vector<UnitCommand> units = database.commands_for((dir_ / "a.cpp").string());
    EXPECT_EQ(units.size(), 1u);
    return units.empty() ? std::vector<std::string>() : units.front().arguments;
  }

  static bool has(const std::vector<std::string>& arguments, const std::string& argument) {
    return std::find(arguments.begin(), arguments.end(), argument) != arguments.end();
  }

  fs::path dir_;
};

TEST_F(CompilationDatabaseTest, ARegularResponseFileIsExpanded) {
  std::ofstream(dir_ / "flags.rsp") << "-DFROM_RESPONSE_FILE -std=c++20\n";
  const std::vector<std::string> arguments = arguments_with("@flags.rsp");
  EXPECT_TRUE(has(arguments, "-DFROM_RESPONSE_FILE"));
  EXPECT_FALSE(has(arguments, "@flags.rsp"));
}

// Found by fuzzing (fixtures/fuzz/compile_commands/): LLVM read @/dev/zero until memory ran out.
TEST_F(CompilationDatabaseTest, AResponseFileThatNeverEndsIsNotRead) {
  EXPECT_TRUE(has(arguments_with("@/dev/zero"), "@/dev/zero"));
}

TEST_F(CompilationDatabaseTest, AResponseFileThatIsAFifoIsNotOpened) {
  const fs::path fifo = dir_ / "flags.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(has(arguments_with("@" + fifo.string()), "@" + fifo.string()));
}

}  // namespace
}  // namespace pmc::audit
