// Environment fingerprints: the `database_metadata` row that says which environment a database
// is and binds that statement to the one database it was written into, under a checksum.
// This header is the model and its rules; reading and writing the row is the database layer's
// job (pmc/fingerprint_access.hpp), because only that layer talks to libpq.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmc/error.hpp"

namespace pmc::fingerprint {

// The table, always schema-qualified so that search_path cannot substitute another one.
inline constexpr std::string_view kQualifiedTable = "public.database_metadata";
inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kProductionEnvironment = "prod";

// Stable codes of the validation outcomes (README.md, "Environment fingerprints", lists them).
inline constexpr char kMissingCode[] = "PMC-F001";
inline constexpr char kCorruptedCode[] = "PMC-F002";
inline constexpr char kEnvironmentMismatchCode[] = "PMC-F003";
inline constexpr char kBoundElsewhereCode[] = "PMC-F004";
inline constexpr char kProductionOutsideCiCode[] = "PMC-F005";
inline constexpr char kUnreadableCode[] = "PMC-F006";
inline constexpr char kAlreadyPresentCode[] = "PMC-F007";
inline constexpr char kInvalidEnvironmentCode[] = "PMC-F008";
inline constexpr char kRebindRefusedCode[] = "PMC-F009";

// What ties a fingerprint to one database of one cluster: the database's OID and name, and the
// cluster's system identifier (nullopt when the role may not run pg_control_system()).
struct Binding {
  std::string database_oid;  // decimal text, as PostgreSQL prints it
  std::string database_name;
  std::optional<std::string> system_identifier;  // decimal text
  bool operator==(const Binding&) const = default;
};

// The fields the checksum covers.
struct Fingerprint {
  int format_version = kFormatVersion;
  std::string environment;
  Binding binding;
};

// One row of database_metadata as read, every column as text exactly as stored.
struct StoredRow {
  std::string format_version;
  std::string environment;
  std::string database_oid;
  std::string database_name;
  std::optional<std::string> system_identifier;
  std::string checksum;
  std::string written_at;
  std::string written_by;
};

// Everything the database showed when asked about its fingerprint.
struct Observation {
  Binding current;  // what this database is now
  bool table_exists = false;
  std::vector<StoredRow> rows;
  std::string where;  // the URL with its password masked, for messages
};

enum class State {
  Healthy,
  Missing,
  Corrupted,
  EnvironmentMismatch,
  BoundElsewhere,
  ProductionOutsideCi,
  Unreadable,
};

struct Verdict {
  State state = State::Healthy;
  std::optional<Fingerprint> fingerprint;  // set when the row is intact (checksum holds)
  std::optional<Failure> failure;          // set unless healthy
  bool healthy() const { return state == State::Healthy; }
};

// Names an environment may have: lower-case ASCII letters, digits, '-' and '_', starting with a
// letter, at most 63 bytes.
bool is_valid_environment_name(std::string_view name);

// The exact bytes the checksum is computed over: versioned, one field per line, each value
// length-prefixed so that no two different fingerprints encode alike.
std::string canonical_encoding(const Fingerprint& fingerprint);
// Lower-case hex SHA-256 (OpenSSL) of canonical_encoding().
std::string checksum(const Fingerprint& fingerprint);

// The row back as a fingerprint, when its checksum holds and its fields parse; nullopt otherwise.
std::optional<Fingerprint> intact_fingerprint(const StoredRow& row);

// The validation every connection goes through, in this order: missing; corrupted; bound to
// another database; `prod` outside CI (whatever was expected); environment mismatch.
Verdict evaluate(const Observation& observation, std::string_view expected_environment,
                 bool in_ci);

std::string_view state_name(State state);  // "healthy", "missing", "corrupted", …
std::string describe(const Binding& binding);  // one line for messages

}  // namespace pmc::fingerprint
