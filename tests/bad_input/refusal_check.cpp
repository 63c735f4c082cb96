// Checks a refusal's shape and prints it, so the suite's output lists every input and its answer.
#include "refusal_check.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <vector>

namespace pmc::test {

void expect_refusal(const std::string& input, const ProcessResult& run,
                    const std::string& program, int exit_code, const std::string& code,
                    const std::string& named, Lines lines) {
  std::vector<std::string> err_lines;
  std::istringstream err(run.err);
  for (std::string line; std::getline(err, line);) {
    // A deprecated program says so first, by design; the refusal follows.
    if (err_lines.empty() && line.rfind(program + ": deprecated: ", 0) == 0) continue;
    err_lines.push_back(line);
  }
  std::cout << "[bad-input] " << input << ": exit " << run.exit_code << ": "
            << (err_lines.empty() ? "(no message)" : err_lines.front()) << std::endl;

  EXPECT_EQ(run.exit_code, exit_code) << run.err;
  EXPECT_EQ(run.signal, 0);
  EXPECT_EQ(run.out, "");
  ASSERT_FALSE(err_lines.empty());
  const std::string prefix = program + ": error [" + code + "]: ";
  EXPECT_EQ(err_lines.front().rfind(prefix, 0), 0u) << run.err;
  EXPECT_NE(err_lines.front().find(named), std::string::npos) << run.err;
  if (lines == Lines::ErrorOnly) {
    EXPECT_EQ(err_lines.size(), 1u) << run.err;
  } else {
    EXPECT_LE(err_lines.size(), 3u) << run.err;
    for (std::size_t i = 1; i < err_lines.size(); ++i) {
      const bool detail_or_hint =
          err_lines[i].rfind("detail: ", 0) == 0 || err_lines[i].rfind("hint: ", 0) == 0;
      EXPECT_TRUE(detail_or_hint) << err_lines[i];
    }
  }
}

}  // namespace pmc::test
