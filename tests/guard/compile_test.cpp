// The compile-time lock: code that opens a writing connection without the CI guard's pass, or
// tries to make, copy or forge a pass, does not compile. Each snippet under compile/ states what
// the compiler must say (`// expect-error: …`) or that it compiles (`// expect: compiles`, the
// control that keeps this test honest); the project's own compiler judges each one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

struct Snippet {
  fs::path path;
  bool must_compile = false;
  std::vector<std::string> expected_errors;
};

Snippet read_snippet(const fs::path& path) {
  Snippet snippet{path, false, {}};
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line == "// expect: compiles") snippet.must_compile = true;
    const std::string error_tag = "// expect-error: ";
    if (line.rfind(error_tag, 0) == 0)
      snippet.expected_errors.push_back(line.substr(error_tag.size()));
  }
  return snippet;
}

std::vector<Snippet> snippets() {
  std::vector<Snippet> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(PMC_COMPILE_SNIPPETS_DIR)) {
    if (entry.path().extension() == ".cpp") out.push_back(read_snippet(entry.path()));
  }
  std::sort(out.begin(), out.end(),
            [](const Snippet& a, const Snippet& b) { return a.path < b.path; });
  return out;
}

ProcessResult syntax_check(const fs::path& source) {
  return run_process({PMC_CXX_COMPILER, "-fsyntax-only", "-std=c++20",
                      "-I" + std::string(PMC_RUNTIME_INCLUDE_DIR), source.string()},
                     clean_environment());
}

TEST(CiPassType, EverySnippetStatesItsExpectation) {
  const std::vector<Snippet> all = snippets();
  ASSERT_GE(all.size(), 10u);
  int controls = 0;
  for (const Snippet& snippet : all) {
    EXPECT_NE(snippet.must_compile, !snippet.expected_errors.empty()) << snippet.path;
    controls += snippet.must_compile ? 1 : 0;
  }
  EXPECT_GE(controls, 1) << "without a snippet that compiles, a broken include path would pass";
}

TEST(CiPassType, GuardedCodeCompilesAndCodeWithoutThePassDoesNot) {
  for (const Snippet& snippet : snippets()) {
    SCOPED_TRACE(snippet.path.filename().string());
    const ProcessResult compiled = syntax_check(snippet.path);
    ASSERT_FALSE(compiled.timed_out);
    if (snippet.must_compile) {
      EXPECT_EQ(compiled.exit_code, 0) << compiled.err;
      continue;
    }
    EXPECT_NE(compiled.exit_code, 0) << "compiled, but must not";
    for (const std::string& expected : snippet.expected_errors) {
      EXPECT_NE(compiled.err.find("error: " + expected), std::string::npos)
          << "expected \"" << expected << "\", the compiler said:\n"
          << compiled.err;
    }
  }
}

}  // namespace
}  // namespace pmc::test
