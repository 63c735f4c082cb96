// Database URLs: checked with libpq's own parser, and printed only with the password masked.
#include <re2/re2.h>

#include "session.hpp"

namespace pmc::db {

std::string mask_password(std::string_view url) {
  std::string out(url);
  // URI form: scheme://user:password@host… (the userinfo ends at the last '@' of the authority).
  static const RE2 kUserinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:]*:)[^/?#]*(@))");
  RE2::Replace(&out, kUserinfo, R"(\1****\2)");
  // URI query parameter: ?password=… or &password=…
  static const RE2 kQueryPassword(R"(([?&]password=)[^&#]*)");
  RE2::GlobalReplace(&out, kQueryPassword, R"(\1****)");
  // Keyword/value form: password=secret or password = 'quoted \' secret'
  static const RE2 kKeywordPassword(R"((^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))");
  RE2::GlobalReplace(&out, kKeywordPassword, R"(\1\2****)");
  return out;
}

void require_parsable_url(const std::string& url) {
  if (url.empty()) {
    throw Failure("PMC-C001",
                  "no database URL: give --database-url or set DATABASE_URL", {}, {},
                  ExitCode::UsageOrInput);
  }
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    std::string problem = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!problem.empty() && (problem.back() == '\n' || problem.back() == ' ')) {
      problem.pop_back();
    }
    throw Failure("PMC-C001",
                  "invalid database URL \"" + mask_password(url) + "\": " + problem, {}, {},
                  ExitCode::UsageOrInput);
  }
  PQconninfoFree(parsed);
}

}  // namespace pmc::db
