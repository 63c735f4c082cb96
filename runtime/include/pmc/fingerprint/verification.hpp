// pmc-verify-fingerprints' work: read each database's fingerprint without trusting it, judge it
// exactly as the validating connect would, and report one line or one JSON object per database.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/fingerprint.hpp"

namespace pmc::fingerprint {

struct DatabaseCheck {
  std::string where;                 // the URL, password masked
  std::string expected_environment;  // what the fingerprint must state
  std::string state;  // state_name() of the verdict, or "unreachable" / "invalid-input"
  std::optional<Binding> current;          // what the database is, when it could be read
  std::optional<StoredRow> stored;         // the row, when there is exactly one
  std::optional<Fingerprint> fingerprint;  // the row as a fingerprint, when its checksum holds
  std::optional<Failure> failure;          // why it is not healthy
  bool healthy() const { return !failure.has_value(); }
};

// One read-only session (options.expected_environment is what is checked); never throws for
// what it finds: a database that cannot be reached or read is a check with a failure.
DatabaseCheck check_database(const db::ConnectOptions& options, bool in_ci);

// `URL: state environment …` or `URL: state [PMC-Fxxx] what failed`, one line, no newline.
std::string check_line(const DatabaseCheck& check);
nlohmann::json checks_as_json(const std::vector<DatabaseCheck>& checks);

// 0 when every database is healthy, 2 when an input was unusable (a bad URL or environment
// name), otherwise 1.
int verification_exit_status(const std::vector<DatabaseCheck>& checks);

}  // namespace pmc::fingerprint
