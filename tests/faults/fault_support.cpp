// Sessions, polling and the journal of the fault-injection suites, on raw libpq.
#include "fault_support.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/wait.h>

#include <iostream>
#include <thread>

#include "raw_sql.hpp"

namespace pmc::test {

HoldingSession::HoldingSession(const std::string& url, const std::string& application_name)
    : connection_(PQconnectdb((url + "&application_name=" + application_name).c_str())) {
  EXPECT_EQ(PQstatus(connection_), CONNECTION_OK) << PQerrorMessage(connection_);
}

HoldingSession::~HoldingSession() { PQfinish(connection_); }

void HoldingSession::run(const std::string& statement) {
  PGresult* result = PQexec(connection_, statement.c_str());
  const ExecStatusType status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
      << statement << ": " << PQresultErrorMessage(result);
  PQclear(result);
}

int HoldingSession::backend_pid() const { return PQbackendPID(connection_); }

bool wait_for(const std::string& url, const std::string& condition,
              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (sql_value(url, condition) == "t") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

namespace {

std::string lock_waiters(const std::string& application, const std::string& statement_part) {
  return " FROM pg_stat_activity WHERE datname = current_database() AND application_name = " +
         sql_literal(application) + " AND wait_event_type = 'Lock' AND strpos(query, " +
         sql_literal(statement_part) + ") > 0";
}

}  // namespace

std::string waits_on_lock(const std::string& application, const std::string& statement_part) {
  return "SELECT count(*) = 1" + lock_waiters(application, statement_part);
}

std::string waiting_backend(const std::string& url, const std::string& application,
                            const std::string& statement_part) {
  const SqlResult result =
      run_sql(url, "SELECT pid::text" + lock_waiters(application, statement_part));
  if (!result.ok() || result.rows.size() != 1 || !result.rows[0][0]) return "";
  return *result.rows[0][0];
}

bool wait_until_gone(const std::string& url, const std::string& application,
                     std::chrono::milliseconds timeout) {
  return wait_for(url,
                  "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = " +
                      sql_literal(application),
                  timeout);
}

int wait_for_exit(int pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1000;
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::string describe_exit(int code) {
  return code >= 0 ? "exit " + std::to_string(code) : "killed by signal " + std::to_string(-code);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const std::size_t start = trimmed.rfind('\n');
  return start == std::string::npos ? trimmed : trimmed.substr(start + 1);
}

std::string error_line(const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (mentions(line, ": error [")) return line;
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return "(no error line)";
}

void journal(const std::string& line) {
  std::cout << "[fault] " << line << std::endl;
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  static int counter = 0;
  if (test != nullptr) ::testing::Test::RecordProperty("fault_" + std::to_string(++counter), line);
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace pmc::test
