// Database URLs: Prisma's parameters taken out, the rest checked with libpq's own parser, and
// printed only with the password masked.
#include <re2/re2.h>

#include <vector>

#include "prisma_parameters.hpp"
#include "session.hpp"

namespace pmc::db {

namespace {

// The three places a secret can sit in a URL; group 1 is what stays, group 2 the secret.
// URI form: scheme://user:password@host… (the userinfo ends at the last '@' of the authority).
const RE2& userinfo_pattern() {
  static const RE2 pattern(R"(^([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:]*:)([^/?#]*)@)");
  return pattern;
}
// URI query parameter: ?password=… or &password=… (and sslpassword, the client key's secret).
const RE2& query_pattern() {
  static const RE2 pattern(R"(([?&](?:ssl)?password=)([^&#]*))");
  return pattern;
}
// Keyword/value form: password=secret or password = 'quoted \' secret' (and sslpassword).
const RE2& keyword_pattern() {
  static const RE2 pattern(R"(((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))");
  return pattern;
}

// Every secret written in the URL, as written.
std::vector<std::string> secrets_in(std::string_view url) {
  std::vector<std::string> secrets;
  std::string secret;
  if (RE2::PartialMatch(url, userinfo_pattern(), nullptr, &secret)) secrets.push_back(secret);
  for (const RE2* pattern : {&query_pattern(), &keyword_pattern()}) {
    re2::StringPiece rest(url.data(), url.size());
    while (RE2::FindAndConsume(&rest, *pattern, nullptr, &secret)) secrets.push_back(secret);
  }
  return secrets;
}

}  // namespace

std::string mask_password(std::string_view url) {
  std::string out(url);
  RE2::Replace(&out, userinfo_pattern(), R"(\1****@)");
  RE2::GlobalReplace(&out, query_pattern(), R"(\1****)");
  RE2::GlobalReplace(&out, keyword_pattern(), R"(\1****)");
  return out;
}

DatabaseUrl require_parsable_url(const std::string& url) {
  if (url.empty()) {
    throw Failure("PMC-C001", "no database URL: give --database-url or set DATABASE_URL", {}, {},
                  ExitCode::UsageOrInput);
  }
  DatabaseUrl database_url = read_database_url(url);
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(database_url.libpq_url.c_str(), &error);
  if (parsed == nullptr) {
    std::string problem = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!problem.empty() && (problem.back() == '\n' || problem.back() == ' ')) {
      problem.pop_back();
    }
    // libpq quotes the URL, or parts of it, in its message: no secret may ride along.
    for (const std::string& secret : secrets_in(url)) {
      for (std::size_t at = secret.empty() ? std::string::npos : problem.find(secret);
           at != std::string::npos; at = problem.find(secret, at + 4)) {
        problem.replace(at, secret.size(), "****");
      }
    }
    const bool unknown_parameter = problem.find("invalid URI query parameter") != std::string::npos;
    throw Failure("PMC-C001", "invalid database URL \"" + mask_password(url) + "\": " + problem, {},
                  unknown_parameter ? "pmc reads libpq's connection parameters and Prisma's own "
                                      "(schema, socket_timeout, connection_limit, pool_timeout, "
                                      "pgbouncer, statement_cache_size, max_connection_lifetime, "
                                      "max_idle_connection_lifetime, sslaccept); see README.md, "
                                      "\"Database URLs\"."
                                    : std::string(),
                  ExitCode::UsageOrInput);
  }
  PQconninfoFree(parsed);
  return database_url;
}

}  // namespace pmc::db
