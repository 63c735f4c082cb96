// What the fault-injection suites share: sessions of their own that hold locks while pmc runs,
// polling pg_stat_activity for the moment to strike, and a journal of what was injected when and
// what the next run saw (printed, so every run of the suite leaves the record in its output).
#pragma once

#include <chrono>
#include <string>

#include "process.hpp"

struct pg_conn;

namespace pmc::test {

// The ways a run is interrupted from outside, each a parameter of the interrupted-run suites.
enum class Fault { ServerStoppedFast, ServerStoppedImmediately, BackendTerminated };

// What was done, for the [fault] journal.
inline std::string fault_name(Fault fault) {
  switch (fault) {
    case Fault::ServerStoppedFast: return "server stopped (pg_ctl stop -m fast)";
    case Fault::ServerStoppedImmediately: return "server stopped (pg_ctl stop -m immediate)";
    case Fault::BackendTerminated: return "backend terminated (pg_terminate_backend)";
  }
  return "?";
}

// The parameter's name in test names.
inline std::string fault_test_name(Fault fault) {
  switch (fault) {
    case Fault::ServerStoppedFast: return "ServerStoppedFast";
    case Fault::ServerStoppedImmediately: return "ServerStoppedImmediately";
    case Fault::BackendTerminated: return "BackendTerminated";
  }
  return "unknown";
}

// A raw libpq session (tests may open them) that stays open, with whatever it holds, until it is
// destroyed or the server goes away.
class HoldingSession {
 public:
  HoldingSession(const std::string& url, const std::string& application_name);
  ~HoldingSession();
  HoldingSession(const HoldingSession&) = delete;
  HoldingSession& operator=(const HoldingSession&) = delete;

  void run(const std::string& statement);  // fails the test when the statement fails
  int backend_pid() const;

 private:
  pg_conn* connection_;
};

// Polls `condition` (a query returning one boolean) every 20 ms until it reads true or `timeout`
// passes; returns whether it did.
bool wait_for(const std::string& url, const std::string& condition,
              std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The condition "a session of `application` in this database waits on a lock while running a
// statement whose text contains `statement_part`".
std::string waits_on_lock(const std::string& application, const std::string& statement_part);

// The backend pid of that waiting session, as text ("" when there is none).
std::string waiting_backend(const std::string& url, const std::string& application,
                            const std::string& statement_part);

// Waits until no session of `application` is left in the server (a killed client's backend may
// still be finishing its statement). Returns whether they were all gone within `timeout`.
bool wait_until_gone(const std::string& url, const std::string& application,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Waits for a process started with spawn_detached; the exit code, or -signal when it was killed.
int wait_for_exit(int pid);
std::string describe_exit(int code);  // "exit 1", "killed by signal 9"

std::string first_line(const std::string& text);
std::string last_line(const std::string& text);
// A program's error line (`<program>: error [CODE]: …`), after any notice printed before it.
std::string error_line(const std::string& text);

// One line of the record: printed to stdout as "[fault] …" and kept as a test property.
void journal(const std::string& line);

bool mentions(const std::string& text, const std::string& part);

}  // namespace pmc::test
