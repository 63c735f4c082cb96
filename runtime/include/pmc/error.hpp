// Failures as PostgreSQL reports them: what failed, the facts, what to do; plus a stable code
// (PMC-xxxx) users can search for, and the exit status it maps to.
#pragma once

#include <stdexcept>
#include <string>

namespace pmc {

enum class ExitCode : int { Done = 0, Refused = 1, UsageOrInput = 2 };

class Failure : public std::runtime_error {
 public:
  Failure(std::string code, std::string message, std::string detail = {}, std::string hint = {},
          ExitCode exit_code = ExitCode::Refused);
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }
  ExitCode exit_code() const { return exit_code_; }

 private:
  std::string code_, message_, detail_, hint_;
  ExitCode exit_code_;
};

}  // namespace pmc
