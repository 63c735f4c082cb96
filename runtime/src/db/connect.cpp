// The validating connect: every pmc connection is opened here, with bounded retry, and handed
// out only after the database's environment fingerprint has passed (pmc/fingerprint.hpp).
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "pmc/fingerprint_access.hpp"
#include "session.hpp"

namespace pmc::db {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstBackoff{100};
constexpr milliseconds kLongestBackoff{1000};

// Failures worth another attempt: the server is starting, restarting or not there yet
// (SQLSTATE 57P03 and a refused or missing socket), it has no connection slot free (53300), or
// it dropped us before the first query. libpq gives no SQLSTATE for a failed connect, so the
// messages decide: libpq's own stay English (pmc never calls setlocale()); a server whose
// lc_messages translates its refusals fails at once with PMC-C003 instead of being retried.
bool is_transient(const std::string& message) {
  static constexpr const char* kTransient[] = {
      "the database system is starting up",
      "the database system is not yet accepting connections",
      "the database system is in recovery mode",
      "the database system is shutting down",
      "Connection refused",
      "No such file or directory",
      "server closed the connection unexpectedly",
      "Connection reset by peer",
      "timeout expired",
      "sorry, too many clients already",
      "remaining connection slots are reserved",
  };
  for (const char* phrase : kTransient) {
    if (message.find(phrase) != std::string::npos) return true;
  }
  return false;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

std::string seconds_text(milliseconds duration) {
  const auto tenths = duration.count() / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

// The connection parameters: the URL's own, then ours (application_name, the session settings
// the server enforces from the first statement, a connect timeout bounded by the budget).
// Settings travel in `options`, so they are the session's defaults: RESET puts them back.
class ConnectionParameters {
 public:
  ConnectionParameters(const ConnectOptions& options, const DatabaseUrl& url, Access access) {
    char* error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(url.libpq_url.c_str(), &error);
    PQfreemem(error);  // require_parsable_url() already reported any problem
    std::string url_options;
    if (parsed != nullptr) {
      for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
        if (option->val == nullptr) continue;
        const std::string keyword = option->keyword;
        if (keyword == "options") {
          url_options = option->val;
        } else if (keyword == "connect_timeout") {
          has_connect_timeout_ = true;
          add(keyword, option->val);
        } else if (keyword != "application_name") {
          add(keyword, option->val);
        }
      }
      PQconninfoFree(parsed);
    }
    add("application_name", options.application_name.empty() ? "pmc" : options.application_name);
    std::string settings = url_options;
    // After the URL's own options, so that ?schema= is what the session starts with, as with
    // Prisma, whose engine sends it as the search_path startup parameter.
    if (url.schema) settings += " " + search_path_option(*url.schema);
    if (access == Access::ReadOnly) settings += " -c default_transaction_read_only=on";
    // The entry point's own limit first; otherwise Prisma's socket_timeout, its limit on a query.
    if (const auto timeout =
            options.statement_timeout ? options.statement_timeout : url.socket_timeout) {
      settings += " -c statement_timeout=" + std::to_string(timeout->count());
    }
    if (options.lock_timeout) {
      settings += " -c lock_timeout=" + std::to_string(options.lock_timeout->count());
    }
    if (!settings.empty()) add("options", settings);
  }

  // libpq's keyword and value arrays for this attempt, with the time left as connect_timeout.
  PGconn* connect(milliseconds left) {
    std::vector<const char*> keywords, values;
    for (const auto& [keyword, value] : parameters_) {
      keywords.push_back(keyword.c_str());
      values.push_back(value.c_str());
    }
    const std::string timeout = std::to_string(std::max<long>(2, (left.count() + 999) / 1000));
    if (!has_connect_timeout_) {
      keywords.push_back("connect_timeout");
      values.push_back(timeout.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    return PQconnectdbParams(keywords.data(), values.data(), 0);
  }

 private:
  void add(std::string keyword, std::string value) {
    parameters_.emplace_back(std::move(keyword), std::move(value));
  }
  std::vector<std::pair<std::string, std::string>> parameters_;
  bool has_connect_timeout_ = false;
};

void require_expected_environment(const ConnectOptions& options) {
  if (options.expected_environment.empty()) {
    throw Failure(fingerprint::kInvalidEnvironmentCode,
                  "no expected environment: give --expect-env or set PMC_EXPECTED_ENV", {}, {},
                  ExitCode::UsageOrInput);
  }
  if (!fingerprint::is_valid_environment_name(options.expected_environment)) {
    throw Failure(fingerprint::kInvalidEnvironmentCode,
                  "invalid expected environment \"" + options.expected_environment +
                      "\": use lower-case letters, digits, '-' and '_', starting with a letter",
                  {}, {}, ExitCode::UsageOrInput);
  }
}

// Refuses the session unless its fingerprint passes; on success records the environment.
void validate_fingerprint(Session& session, const ConnectOptions& options) {
  const fingerprint::Verdict verdict = fingerprint::evaluate(
      observe_fingerprint(session), options.expected_environment, guard::runs_in_ci());
  if (verdict.failure) throw *verdict.failure;
  session.environment = verdict.fingerprint->environment;
}

}  // namespace

std::unique_ptr<Session> open_session(const ConnectOptions& options, Access access) {
  const DatabaseUrl url = require_parsable_url(options.url);
  const std::string where = mask_password(options.url);
  ConnectionParameters parameters(options, url, access);
  const Clock::time_point started = Clock::now();
  const Clock::time_point deadline = started + options.connect_budget;
  milliseconds backoff = kFirstBackoff;
  std::string last_error;
  for (int attempt = 1;; ++attempt) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    PGconn* connection = parameters.connect(left);
    if (PQstatus(connection) == CONNECTION_OK) {
      auto session = std::make_unique<Session>(connection, where);
      session->url_schema = url.schema;
      try {
        session->run("SELECT 1", {}, "the first query");
        return session;
      } catch (const DatabaseError& error) {
        if (!session->connection_lost()) throw;
        last_error = "connection lost before the first query: " + trimmed(error.server_message());
      }
    } else {
      last_error = trimmed(PQerrorMessage(connection));
      PQfinish(connection);
      if (!is_transient(last_error)) {
        throw Failure("PMC-C003", "could not connect to " + where, last_error,
                      "Check the URL, the role and its password, and that the database exists.");
      }
    }
    const Clock::time_point now = Clock::now();
    if (now + backoff >= deadline) {
      throw Failure(
          "PMC-C002", "could not connect to " + where + " within the connect budget",
          std::to_string(attempt) + " attempts in " +
              seconds_text(std::chrono::duration_cast<milliseconds>(now - started)) +
              " (budget " + seconds_text(options.connect_budget) + "); last error: " + last_error,
          "Check that the server is running and reachable at that address, then run again.");
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kLongestBackoff);
  }
}

ConnectOptions connect_options(std::string url, std::string program, std::string expected_environment) {
  ConnectOptions options;
  options.url = std::move(url);
  options.application_name = std::move(program);
  options.expected_environment = std::move(expected_environment);
  return options;
}

ReadOnlyConnection connect_read_only(const ConnectOptions& options) {
  require_parsable_url(options.url);
  require_expected_environment(options);
  std::unique_ptr<Session> session = open_session(options, Access::ReadOnly);
  validate_fingerprint(*session, options);
  return ReadOnlyConnection(std::move(session));
}

WritableConnection connect_writable(const ConnectOptions& options, const guard::CiPass&) {
  require_parsable_url(options.url);
  require_expected_environment(options);
  std::unique_ptr<Session> session = open_session(options, Access::ReadWrite);
  validate_fingerprint(*session, options);
  return WritableConnection(std::move(session));
}

fingerprint::Observation inspect_fingerprint(const ConnectOptions& options) {
  std::unique_ptr<Session> session = open_session(options, Access::ReadOnly);
  return observe_fingerprint(*session);
}

FingerprintInitConnection connect_for_fingerprint_init(const ConnectOptions& options,
                                                       const guard::CiPass&) {
  return FingerprintInitConnection(open_session(options, Access::ReadWrite));
}

}  // namespace pmc::db
