// The bad-input matrix's one verdict: refused with the right exit status, nothing on stdout, and
// one error line on stderr that names the input (`<program>: error [CODE]: …`), followed at most
// by its `detail:` and `hint:` lines, each a line of its own.
#pragma once

#include <string>

#include "process.hpp"

namespace pmc::test {

enum class Lines { ErrorOnly, WithDetailAndHint };

void expect_refusal(const std::string& input, const ProcessResult& run,
                    const std::string& program, int exit_code, const std::string& code,
                    const std::string& named, Lines lines = Lines::ErrorOnly);

}  // namespace pmc::test
