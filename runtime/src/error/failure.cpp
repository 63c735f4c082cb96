// pmc::Failure: a stable code, what failed, the facts, what to do, and the exit status.
#include "pmc/error.hpp"

#include <utility>

namespace pmc {

Failure::Failure(std::string code, std::string message, std::string detail, std::string hint,
                 ExitCode exit_code)
    : std::runtime_error("[" + code + "] " + message),
      code_(std::move(code)),
      message_(std::move(message)),
      detail_(std::move(detail)),
      hint_(std::move(hint)),
      exit_code_(exit_code) {}

}  // namespace pmc
